"""A lead's project and coders' copies for the ``coder team`` tests.

``lead_project(folder)``: ``agreement_project`` (t1: 6 codable excerpts, t2: 4; cases c1, c2)
with ``bo`` having coded in it. ``copy_for(lead, coder, folder)``: the coder's hand-out, joined
into ``folder`` and opened. ``return_and_merge(copy, lead, folder)``: the copy's return merged.
"""

from __future__ import annotations

from pathlib import Path

from coder.project.project import Project
from coder.store.operations import add_memo, apply_code, mark_reviewed, set_rating
from coder.store.queries import load_excerpts
from coder.team.handout import handout
from coder.team.join import join
from coder.team.merge import CoderMerge, merge_returns
from coder.team.team_return import write_return
from support.lead_projects import CODE, OTHER, agreement_project


def lead_project(folder: Path) -> Project:
    """The lead's project; ``bo`` coded t1's first excerpt, wrote a memo and rated c1."""
    project, ids = agreement_project(folder)
    apply_code(project, "bo", ids["t1"][0], CODE)
    mark_reviewed(project, "bo", ids["t1"][0])
    add_memo(project, "bo", "bo sitt notat om skolen", excerpt_id=ids["t1"][0])
    set_rating(project, "bo", "c1", "relational_robustness", "trembling")
    return project


def codable(project: Project, transcript: str = "t1") -> list[int]:
    """Codable excerpt ids of a transcript, in order."""
    return [e.id for e in load_excerpts(project, transcript) if e.codable]


def copy_for(lead: Project, coder: str, folder: Path, passphrase: str | None = None) -> Project:
    """Hand out to ``coder``, join into ``folder``/``coder``, open the copy."""
    folder.mkdir(parents=True, exist_ok=True)
    pack = folder / f"{coder}-handout.coderpack"
    handout(lead, coder, pack, passphrase)
    join(pack, folder / coder, passphrase)
    return Project.open(folder / coder)


def some_work(copy: Project, coder: str) -> None:
    """A little of everything: codes (one on a span), a review, a memo, a rating."""
    ids = codable(copy)
    apply_code(copy, coder, ids[1], CODE)
    apply_code(copy, coder, ids[2], OTHER)
    excerpt = load_excerpts(copy, "t1")[3]
    apply_code(copy, coder, excerpt.id, OTHER, span=(excerpt.start, excerpt.start + 5))
    mark_reviewed(copy, coder, ids[4])
    add_memo(copy, coder, "Ensomhet på skolen – ærlig talt", excerpt_id=ids[1])
    set_rating(copy, coder, "c2", "relational_robustness", "wavering")


def return_and_merge(
    copy: Project, lead: Project, folder: Path, name: str = "return.coderpack"
) -> list[CoderMerge]:
    """Write the copy's return into ``folder`` and merge it into ``lead``."""
    path = folder / name
    write_return(copy, path)
    return merge_returns(lead, [path])
