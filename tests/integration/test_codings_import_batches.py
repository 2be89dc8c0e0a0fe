"""A big ``codings import`` commits in short batches, yet stays all or nothing (issue 14.7).

Coders keep coding between the batches (the write lock is free there); an import that fails or
is interrupted half-way leaves nothing, and one whose process was killed is rolled back by the
next process that opens the project.
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import coder.store.codings_import as module
from coder.project.project import Project
from coder.store.codings_import import import_codings
from coder.store.operations import apply_code
from support.processes import run_python

CODES = ("risk.psychosocial.loneliness", "risk.psychosocial.bullying", "risk.ses")
QUERIES = {
    "codings": "SELECT count(*) FROM codings",
    "reviews": "SELECT count(*) FROM reviews",
    "memos": "SELECT count(*) FROM memos",
    "coders": "SELECT count(*) FROM coders",
    "events": "SELECT count(*) FROM events",
}


def snapshot(root: Path) -> dict[str, int]:
    """Row counts of the tables an import writes."""
    with sqlite3.connect(root / ".coder" / "coder.db") as db:
        return {name: int(db.execute(query).fetchone()[0]) for name, query in QUERIES.items()}


def codings_csv(root: Path) -> Path:
    """Codings of every participant excerpt (2, 4, 6) with three codes and a memo, by two new
    coders: 18 codings, 6 reviews, 6 memos."""
    lines = ["transcript,excerpt,code,coder,memo"]
    for coder in ("lise", "tor"):
        for excerpt in (2, 4, 6):
            for code in CODES:
                lines.append(f"intervju,{excerpt},{code},{coder},notat om {excerpt}")
    path = root / "codings.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_coders_write_between_the_batches(
    small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    path = codings_csv(small_project)
    written: list[bool] = []
    with (
        Project.open(small_project) as project,
        Project.open(small_project, busy_timeout_ms=0) as other,
    ):
        excerpt = excerpt_ids(project)[1]

        def coder_keystroke(_held: float = 0.0) -> None:
            # with busy timeout 0 this fails at once if the import still held the write lock
            if not written:
                written.append(apply_code(other, "kari", excerpt, "risk.ses"))

        original = module._yield_lock
        try:
            module._yield_lock = coder_keystroke  # type: ignore[assignment]
            result = import_codings(project, path, batch_rows=4)
        finally:
            module._yield_lock = original  # type: ignore[assignment]
    assert written == [True]
    assert (result.added, result.reviewed) == (18, 6)


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_import_failing_after_some_batches_leaves_nothing(
    small_project: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    path = codings_csv(small_project)
    before = snapshot(small_project)
    calls: list[int] = []

    def fail_on_the_third_batch(_held: float = 0.0) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise failure("interrupted")

    monkeypatch.setattr(module, "_yield_lock", fail_on_the_third_batch)
    with Project.open(small_project) as project, pytest.raises(failure):
        import_codings(project, path, batch_rows=4)
    assert len(calls) == 3  # three batches of codings were committed before the failure
    assert snapshot(small_project) == before
    assert list((small_project / ".coder" / "imports").iterdir()) == []


def test_a_killed_import_is_rolled_back_when_the_project_is_next_opened(
    small_project: Path,
) -> None:
    path = codings_csv(small_project)
    before = snapshot(small_project)
    script = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        import coder.store.codings_import as module
        from coder.project.project import Project
        calls = []
        def killed(_held: float = 0.0) -> None:
            calls.append(1)
            if len(calls) == 3:
                os._exit(9)  # as SIGKILL: no cleanup runs
        module._yield_lock = killed
        with Project.open(Path(sys.argv[1])) as project:
            module.import_codings(project, Path(sys.argv[2]), batch_rows=4)
        """
    )
    done = run_python(script, small_project, path, timeout=120)
    assert done.returncode == 9, done.stderr
    journals = list((small_project / ".coder" / "imports").iterdir())
    assert len(journals) == 1
    assert snapshot(small_project)["codings"] == before["codings"] + 12  # three batches landed
    with Project.open(small_project):
        pass
    assert snapshot(small_project) == before
    assert list((small_project / ".coder" / "imports").iterdir()) == []


def test_a_batched_import_still_stores_everything(small_project: Path) -> None:
    path = codings_csv(small_project)
    with Project.open(small_project) as project:
        result = import_codings(project, path, batch_rows=4)
        again = import_codings(project, path, batch_rows=4)
    assert (result.rows, result.added, result.reviewed) == (18, 18, 6)
    assert (again.added, again.reviewed) == (0, 0)
    counts = snapshot(small_project)
    assert (counts["codings"], counts["reviews"], counts["memos"]) == (18, 6, 6)
