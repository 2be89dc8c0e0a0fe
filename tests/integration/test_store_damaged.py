"""A damaged or unusable database is a plain message with what to do, exit 1, nothing changed
(issue 14.4): a missing table or column, a schema version without tables, ``.coder/coder.db``
being a folder, a read-only project folder."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import coder.store.database as database
from coder.store.schema import SCHEMA_VERSION
from support.processes import run_coder

Cli = Callable[..., tuple[int, str, str]]


def coder(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m coder ARGS`` in a subprocess, as a user runs it."""
    return run_coder(*args, timeout=120)


def files(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root/.coder``."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / ".coder").rglob("*"))
        if path.is_file()
    }


def damage(root: Path, statement: str) -> None:
    """Run one SQL statement on the project database, as another program might."""
    with sqlite3.connect(root / ".coder" / "coder.db") as db:
        db.execute(statement)
    db.close()


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("DROP TABLE memos", "missing: table memos"),
        ("ALTER TABLE codings DROP COLUMN origin", "missing: column codings.origin"),
    ],
    ids=["table", "column"],
)
def test_a_database_missing_a_table_or_column_is_refused(
    small_project: Path, statement: str, expected: str
) -> None:
    damage(small_project, statement)
    before = files(small_project)
    done = coder("--project", small_project, "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "the database is damaged or was changed by another program" in done.stderr
    assert expected in done.stderr and "Restore the newest copy" in done.stderr
    assert files(small_project) == before


def test_a_schema_version_without_tables_is_refused(new_project: Path) -> None:
    path = new_project / ".coder" / "coder.db"
    path.parent.mkdir(exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.close()
    before = files(new_project)
    done = coder("--project", new_project, "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "it has no tables at all" in done.stderr
    assert files(new_project) == before


def test_a_database_that_is_a_folder_is_refused(new_project: Path) -> None:
    (new_project / ".coder" / "coder.db").mkdir(parents=True)
    done = coder("--project", new_project, "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "is a folder, not the project database; move it out of the way" in done.stderr
    assert list((new_project / ".coder" / "coder.db").iterdir()) == []


def test_a_read_only_project_folder_is_a_plain_message(
    new_project: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = new_project / "ung-ro.txt"
    source.write_text("Intervjuer: Hei.\nDeltaker: Hei.\n", encoding="utf-8")
    if os.geteuid() != 0:
        os.chmod(new_project, 0o555)  # really read-only (root ignores permission bits)
    else:

        def denied(path: Path) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path.parent))

        monkeypatch.setattr(database, "_create_private", denied)
    try:
        # import creates the database (status no longer does where nothing was imported)
        code, _, err = coder_cli("--project", new_project, "import", source)
    finally:
        os.chmod(new_project, 0o755)
    assert code == 1
    assert "cannot create the project database (Permission denied)" in err
    assert "chmod u+w" in err
    assert not (new_project / ".coder" / "coder.db").exists()


def test_a_read_only_database_file_says_what_to_do(tmp_path: Path) -> None:
    error = database.store_error(
        tmp_path / "coder.db", sqlite3.OperationalError("attempt to write a readonly database"), 0
    )
    assert error is not None
    assert "is read-only for you. Make them writable (chmod u+w)" in str(error)
