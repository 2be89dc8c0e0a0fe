"""`coder codebook add|edit|move|merge|split|retire|undo|diff`: the YAML file and the database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.project.project import Project
from coder.store.operations import apply_code
from support import processes

Cli = Callable[..., tuple[int, str, str]]
BOOK = Path("codebooks") / "relational-robustness.yaml"


def query(root: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows read by an independent reader (sqlite3) from the project database."""
    connection = sqlite3.connect(root / ".coder" / "coder.db")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def codings(root: Path) -> list[tuple[object, ...]]:
    """(coder, excerpt, code) of every stored coding, sorted."""
    return query(
        root,
        "SELECT coders.name, excerpt_id, code_id FROM codings JOIN coders"
        " ON coders.id = codings.coder_id ORDER BY 1, 2, 3",
    )


def event_kinds(root: Path) -> list[str]:
    return [str(row[0]) for row in query(root, "SELECT kind FROM events ORDER BY id")]


def test_add_writes_the_yaml_keeps_comments_and_bumps_the_version(
    small_project: Path, coder_cli: Cli
) -> None:
    path = small_project / BOOK
    before = path.read_text(encoding="utf-8")
    code, out, err = coder_cli(
        "--project",
        small_project,
        "codebook",
        "add",
        "Søvnproblemer",
        "--label",
        "en=Sleep problems",
        "--parent",
        "risk",
        "--description",
        "Sover dårlig.",
    )
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    assert (
        "codes:\n  # ------------------------------------------------------------------ risk"
        in after
    )
    assert "    label: {nb: Søvnproblemer, en: Sleep problems}" in after
    book = load_codebook(path)
    assert book.version == "1.1.0"
    new = book.code("risk.sovnproblemer")
    assert new.parent == "risk" and new.description == "Sover dårlig."
    assert new.hotkey is not None and book.by_hotkey(new.hotkey) == new
    assert f"added risk.sovnproblemer (hotkey {new.hotkey})" in out
    # every line of the old file is still there, in order
    old_lines = before.splitlines()
    kept = iter(after.splitlines())
    assert all(
        any(line == other for other in kept) for line in old_lines if line != "  version: 1.0.0"
    )
    assert "codebook.add" in event_kinds(small_project)


def test_merge_moves_every_coders_codings_and_undo_puts_them_back(
    small_project: Path, excerpt_ids: Callable[..., list[int]], coder_cli: Cli
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        apply_code(project, "ada", ids[1], "risk.family")
        apply_code(project, "ada", ids[3], "risk.family")
        apply_code(project, "ada", ids[3], "risk.ses")  # already on the target: kept once
        apply_code(project, "bo", ids[1], "risk.family")
    before = codings(small_project)
    text_before = (small_project / BOOK).read_text(encoding="utf-8")
    code, out, err = coder_cli(
        "--project", small_project, "codebook", "merge", "risk.family", "risk.ses"
    )
    assert code == 0, err
    assert "3 coding(s) moved" in out
    assert codings(small_project) == sorted(
        [("ada", ids[1], "risk.ses"), ("ada", ids[3], "risk.ses"), ("bo", ids[1], "risk.ses")]
    )
    book = load_codebook(small_project / BOOK)
    family = book.code("risk.family")
    assert family.retired and family.merged_into == "risk.ses" and family.hotkey is None
    assert family not in book.active_codes
    with Project.open(small_project) as project:  # opening: no orphan, the code is kept
        from coder.errors import CoderError

        with pytest.raises(CoderError, match="retired; use risk.ses"):
            apply_code(project, "ada", ids[5], "risk.family")

    code, out, err = coder_cli("--project", small_project, "codebook", "undo")
    assert code == 0, err
    assert "undid merge of risk.family into risk.ses" in out
    assert codings(small_project) == before
    restored = (small_project / BOOK).read_text(encoding="utf-8")
    assert restored.replace("version: 1.1.1", "version: 1.0.0") == text_before
    assert event_kinds(small_project)[-2:] == ["codebook.merge", "undo"]


def test_split_by_assignment_and_the_rest(
    small_project: Path,
    excerpt_ids: Callable[..., list[int]],
    coder_cli: Cli,
    tmp_path: Path,
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        for excerpt in (ids[1], ids[3], ids[5]):
            apply_code(project, "ada", excerpt, "risk.psychosocial.bullying")
    for label in ("Mobbing på nett", "Mobbing på skolen"):
        code, _, err = coder_cli(
            "--project", small_project, "codebook", "add", label, "--parent", "risk.psychosocial"
        )
        assert code == 0, err
    assign = tmp_path / "assign.csv"
    assign.write_text(f"excerpt,code\n{ids[3]},risk.psychosocial.mobbing_pa_nett\n", "utf-8")
    args = [
        "--project",
        small_project,
        "codebook",
        "split",
        "risk.psychosocial.bullying",
        "--into",
        "risk.psychosocial.mobbing_pa_nett",
        "--into",
        "risk.psychosocial.mobbing_pa_skolen",
    ]
    code, _, err = coder_cli(*args, "--assign", assign)
    assert code == 1
    assert "2 coding(s) of risk.psychosocial.bullying have no code to go to" in err
    assert "Nothing was changed" in err
    code, out, err = coder_cli(
        *args, "--assign", assign, "--rest", "risk.psychosocial.mobbing_pa_skolen"
    )
    assert code == 0, err
    assert codings(small_project) == [
        ("ada", ids[1], "risk.psychosocial.mobbing_pa_skolen"),
        ("ada", ids[3], "risk.psychosocial.mobbing_pa_nett"),
        ("ada", ids[5], "risk.psychosocial.mobbing_pa_skolen"),
    ]
    book = load_codebook(small_project / BOOK)
    assert book.code("risk.psychosocial.bullying").split_into == (
        "risk.psychosocial.mobbing_pa_nett",
        "risk.psychosocial.mobbing_pa_skolen",
    )


def test_edit_move_retire_and_diff(small_project: Path, coder_cli: Cli) -> None:
    old = small_project / "old.yaml"
    old.write_bytes((small_project / BOOK).read_bytes())
    steps = [
        ["edit", "risk.ses", "--label", "en=Low SES", "--use-when", "Only money.", "--lang", "en"],
        ["move", "risk.somatic", "--parent", "consequences"],
        ["retire", "risk.school"],
    ]
    for step in steps:
        code, _, err = coder_cli("--project", small_project, "codebook", *step)
        assert code == 0, err
    book = load_codebook(small_project / BOOK)
    assert book.code("risk.ses").label["en"] == "Low SES"
    assert book.code("risk.ses").text_in("use_when", "en") == "Only money."
    assert book.code("risk.ses").text_in("use_when", "nb").startswith("Brukes når utdraget")
    assert book.code("risk.somatic").parent == "consequences"
    assert book.code("risk.school").retired
    code, out, err = coder_cli("--project", small_project, "codebook", "diff", old)
    assert code == 0, err
    assert "codebook 1.0.0 -> 1.2.0" in out
    assert "renamed: risk.ses (en: 'Low socio-economic status' -> 'Low SES')" in out
    assert "moved: risk.somatic (risk -> consequences)" in out
    assert "retired: risk.school" in out
    assert "definition changed: risk.ses use_when [en]" in out
    code, out, err = coder_cli(
        "--project", small_project, "codebook", "diff", old, small_project / BOOK, "--json"
    )
    assert json.loads(out)["retired"] == ["risk.school"]


def test_diff_against_git_history(
    small_project: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        result = processes.run(["git", *args], cwd=small_project)
        assert result.returncode == 0, result.stderr

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", str(BOOK))
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "codebook")
    code, _, err = coder_cli("--project", small_project, "codebook", "retire", "risk.ses")
    assert code == 0, err
    monkeypatch.chdir(small_project)
    code, out, err = coder_cli("codebook", "diff", f"HEAD:{BOOK}")
    assert code == 0, err
    assert "retired: risk.ses" in out
    code, out, err = coder_cli("codebook", "diff", "HEAD~3:nothing.yaml")
    assert code == 1 and "git cannot show it" in err and "Traceback" not in err


def test_bad_input_is_refused_and_nothing_changes(
    small_project: Path, excerpt_ids: Callable[..., list[int]], coder_cli: Cli
) -> None:
    path = small_project / BOOK
    text = path.read_text(encoding="utf-8")
    cases = [
        (["merge", "risk.ses", "nope"], "unknown code 'nope'"),
        (["merge", "risk.ses", "risk"], "group heading"),
        (["move", "risk", "--parent", "risk.ses"], "its own descendant"),
        (["add", "X", "--hotkey", "j"], "taken by the coding screen"),
        (["add", "X", "--label", "en"], "expected LANG=TEXT"),
        (["add", "X", "--id", "risk.ses"], "exists already"),
        (["edit", "risk.ses"], "nothing to change"),
        (["undo"], "nothing was undone"),
    ]
    for args, message in cases:
        code, _, err = coder_cli("--project", small_project, "codebook", *args)
        assert code == 1, args
        assert message in err, (args, err)
        assert "Traceback" not in err
    assert path.read_text(encoding="utf-8") == text
    assert [k for k in event_kinds(small_project) if k.startswith("codebook.")] == []
