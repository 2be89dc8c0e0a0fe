"""A team's coders propose codes (`[codebook] coders_may_add`); the lead accepts, merges or
rejects; blind coding holds. Asserts on the database and the YAML file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from coder.codebook import load_codebook
from coder.project.code_proposals import propose_code
from coder.project.codebook_rights import codebook_right
from coder.project.project import Project
from coder.store.operations import apply_code, mark_reviewed

Cli = Callable[..., tuple[int, str, str]]
BOOK = Path("codebooks") / "relational-robustness.yaml"


def query(root: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(root / ".coder" / "coder.db")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def allow_proposals(root: Path) -> None:
    config = root / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[codebook]\ncoders_may_add = true\n", "utf-8"
    )


def team(root: Path, excerpt: Callable[[Project], int]) -> None:
    with Project.open(root) as project:
        for coder in ("ada", "bo"):
            mark_reviewed(project, coder, excerpt(project))


def test_rights_follow_the_team_and_the_setting(
    small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    with Project.open(small_project) as project:
        assert codebook_right(project, "ada", lead=False) == "change"  # alone: their own
    team(small_project, lambda p: excerpt_ids(p)[1])
    with Project.open(small_project) as project:
        assert codebook_right(project, "ada", lead=False) == "none"
        assert codebook_right(project, "ada", lead=True) == "change"
    allow_proposals(small_project)
    with Project.open(small_project) as project:
        assert codebook_right(project, "ada", lead=False) == "propose"


def test_proposal_is_usable_blind_and_the_lead_decides(
    small_project: Path, excerpt_ids: Callable[..., list[int]], coder_cli: Cli
) -> None:
    team(small_project, lambda p: excerpt_ids(p)[1])
    allow_proposals(small_project)
    yaml_before = (small_project / BOOK).read_text(encoding="utf-8")
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        project.show_proposals_of("ada")
        sleep = propose_code(project, "ada", {"nb": "Søvn"}, "risk")
        other = propose_code(project, "ada", {"nb": "Nettmobbing"}, None)
        third = propose_code(project, "ada", {"nb": "Tull"}, None)
        assert sleep.hotkey is not None and project.codebook.by_hotkey(sleep.hotkey) == sleep
        for code in (sleep, other, third):
            apply_code(project, "ada", ids[1], code.id)
        # blind: bo's codebook has none of ada's proposals
        project.show_proposals_of("bo")
        assert not project.codebook.has_code(sleep.id)
    # the YAML is the lead's: untouched by a proposal
    assert (small_project / BOOK).read_text(encoding="utf-8") == yaml_before
    # reopening: ada's codings on proposed codes are not orphans
    with Project.open(small_project):
        pass
    code, out, err = coder_cli("--project", small_project, "codebook", "proposals")
    assert code == 0, err
    assert f"1  {sleep.id}  (nb: Søvn)  by ada, under risk, 1 coding(s)" in out

    code, out, err = coder_cli("--project", small_project, "codebook", "accept", "1")
    assert code == 0, err
    book = load_codebook(small_project / BOOK)
    assert book.code(sleep.id).label == {"nb": "Søvn"} and book.code(sleep.id).parent == "risk"
    code, out, err = coder_cli(
        "--project", small_project, "codebook", "merge", other.id, "risk.psychosocial.bullying"
    )
    assert code == 0, err
    assert "merged proposal 2" in out
    code, out, err = coder_cli("--project", small_project, "codebook", "reject", "3")
    assert code == 0, err
    assert "1 coding(s) removed" in out
    assert sorted(query(small_project, "SELECT code_id FROM codings")) == sorted(
        [(sleep.id,), ("risk.psychosocial.bullying",)]
    )
    assert query(small_project, "SELECT id, status, decided_into FROM code_proposals") == [
        (1, "accepted", None),
        (2, "merged", "risk.psychosocial.bullying"),
        (3, "rejected", None),
    ]
    kinds = {row[0] for row in query(small_project, "SELECT kind FROM events")}
    assert {"proposal.add", "codebook.add", "proposal.merged", "proposal.rejected"} <= kinds
    code, _, err = coder_cli("--project", small_project, "codebook", "reject", "3")
    assert code == 1 and "is rejected already" in err


def test_a_coders_copy_of_a_lead_project_is_a_team(small_project: Path) -> None:
    marker = small_project / ".coder" / "team.json"  # what `coder team join` leaves
    marker.write_text('{"coder": "ada"}', encoding="utf-8")
    with Project.open(small_project) as project:
        assert codebook_right(project, "ada", lead=False) == "none"
