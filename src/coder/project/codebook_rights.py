"""``codebook_right``: whether a person may change the codebook, propose codes, or neither.

In a team, the codebook is the lead's: codebook changes from the app need lead mode
(``coder open --lead``). A project with one coder has no lead but that coder, who changes it
freely. With ``[codebook] coders_may_add = true`` a team's coders may propose new codes; the
lead accepts, merges or rejects them (``coder.store.code_proposals``). Blind coding holds:
a coder sees only their own proposals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from coder.project.project import Project

Right = Literal["change", "propose", "none"]
"""``change``: edit the codebook; ``propose``: suggest codes to the lead; ``none``: neither."""


TEAM_COPY_MARKER = "team.json"
"""``.coder/team.json``: the marker ``coder team join`` leaves in a coder's copy
(``coder.team.copy_marker``); a copy is always part of a team."""


def in_team(project: Project, coder: str) -> bool:
    """Whether others code this project too: other human coders exist, or it is a coder's copy
    of a lead's project (``coder team join``)."""
    from coder.store.codebook_changes import human_coders

    if (project.db_path.parent / TEAM_COPY_MARKER).is_file():
        return True
    return any(name != coder for name in human_coders(project))


def codebook_right(project: Project, coder: str, *, lead: bool) -> Right:
    """What ``coder`` may do to the codebook (``lead``: the app runs in lead mode)."""
    if lead or not in_team(project, coder):
        return "change"
    return "propose" if project.settings.codebook_rules.coders_may_add else "none"


def refusal(project: Project) -> str:
    """What a team's coder is told when a codebook change is not theirs to make."""
    return (
        "the codebook is the lead's in a team: a lead changes it (`coder open --lead`); "
        f"to let coders propose codes, set coders_may_add = true under [codebook] in "
        f"{project.root / 'coder.toml'}"
    )
