"""The project database: tables, pragmas, file modes, schema versions, locks and bad files."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from coder.errors import StoreError
from coder.project.project import Project
from coder.store.database import DEFAULT_BUSY_TIMEOUT_MS, create_v1
from coder.store.schema import SCHEMA_VERSION, metadata

CODE = "risk.psychosocial.loneliness"


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A permissive umask, so 0600/0700 can only come from the code."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def db_path(root: Path) -> Path:
    return root / ".coder" / "coder.db"


def raw_scalar(path: Path, sql: str) -> Any:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


# --- a new database ---------------------------------------------------------------------------


def test_a_new_project_database_has_every_table_and_the_current_version(new_project: Path) -> None:
    with Project.open(new_project) as project:
        tables = set(inspect(project.store.engine).get_table_names())
    assert tables == set(metadata.tables)
    assert {"transcripts", "excerpts", "cases", "case_attributes", "coders", "codings"} <= tables
    assert {"reviews", "memos", "case_ratings", "events"} <= tables
    assert raw_scalar(db_path(new_project), "PRAGMA user_version") == SCHEMA_VERSION


def test_connections_use_wal_foreign_keys_and_the_busy_timeout(new_project: Path) -> None:
    with (
        Project.open(new_project, busy_timeout_ms=1234) as project,
        project.store.engine.connect() as c,
    ):
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 1234
    with Project.open(new_project) as project, project.store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == DEFAULT_BUSY_TIMEOUT_MS
    # WAL is a property of the file, seen by any other program too
    assert raw_scalar(db_path(new_project), "PRAGMA journal_mode") == "wal"


def test_foreign_keys_are_enforced(project: Project) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), project.store.engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO excerpts (transcript_id, seq, start, "end", role, codable, text_sha)'
                " VALUES ('no-such-transcript', 1, 0, 1, 'unknown', 1, 'x')"
            )
        )


def test_database_file_is_0600_and_its_folder_0700(new_project: Path, umask_022: None) -> None:
    with Project.open(new_project):
        pass
    assert stat.S_IMODE(db_path(new_project).stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path(new_project).parent.stat().st_mode) == 0o700


def test_a_database_readable_by_others_is_made_private_on_open(
    new_project: Path, umask_022: None
) -> None:
    with Project.open(new_project):
        pass
    db_path(new_project).chmod(0o644)
    db_path(new_project).parent.chmod(0o755)
    with Project.open(new_project):
        pass
    assert stat.S_IMODE(db_path(new_project).stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path(new_project).parent.stat().st_mode) == 0o700


# --- migration --------------------------------------------------------------------------------


def make_v1_database(root: Path) -> None:
    """A version-1 database written without coder's open path, with a little of everything."""
    path = db_path(root)
    path.parent.mkdir()
    engine = create_engine(f"sqlite:///{path}")
    rows = [
        "INSERT INTO cases (id, created_at) VALUES ('ung01', 't0')",
        "INSERT INTO transcripts (id, case_id, source_name, sha256, format, encoding, language,"
        " text, imported_at) VALUES ('ung01', 'ung01', 'ung01.txt', 'abc', 'txt', 'utf-8', 'nb',"
        " 'Deltaker: Jeg følte meg ensom på skolen.', 't0')",
        'INSERT INTO excerpts (id, transcript_id, seq, start, "end", speaker, role, codable,'
        " text_sha) VALUES (1, 'ung01', 1, 10, 40, 'Deltaker', 'participant', 1, 'x')",
        "INSERT INTO coders (id, name, kind, created_at) VALUES (1, 'åse', 'human', 't0')",
        f"INSERT INTO codings (excerpt_id, code_id, coder_id, origin, created_at)"
        f" VALUES (1, '{CODE}', 1, 'manual', 't0')",
        "INSERT INTO reviews (coder_id, excerpt_id, reviewed_at) VALUES (1, 1, 't0')",
        "INSERT INTO memos (coder_id, excerpt_id, text, created_at, updated_at)"
        " VALUES (1, 1, 'Ensomhet – særlig på skolen', 't0', 't0')",
        "INSERT INTO events (coder_id, at, kind, undoable, payload)"
        " VALUES (1, 't0', 'coding.apply', 1, '{}')",
    ]
    with engine.begin() as conn:
        create_v1(conn)
        for row in rows:
            conn.execute(text(row))
    engine.dispose()


def test_a_version_1_database_is_backed_up_then_migrated_keeping_its_rows(
    new_project: Path, umask_022: None
) -> None:
    make_v1_database(new_project)
    assert raw_scalar(db_path(new_project), "PRAGMA user_version") == 1
    with Project.open(new_project) as project, project.store.engine.connect() as conn:
        assert "positions" in inspect(project.store.engine).get_table_names()
        assert conn.exec_driver_sql("SELECT code_id FROM codings").scalars().all() == [CODE]
        assert conn.exec_driver_sql("SELECT text FROM memos").scalar_one() == (
            "Ensomhet – særlig på skolen"
        )
        assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar_one() == 1
        migrated = conn.exec_driver_sql(
            "SELECT payload FROM events WHERE kind = 'schema.migrated'"
        ).scalar_one()
    assert raw_scalar(db_path(new_project), "PRAGMA user_version") == SCHEMA_VERSION
    assert raw_scalar(db_path(new_project), "PRAGMA journal_mode") == "wal"
    backups = list((new_project / ".coder" / "backups").iterdir())
    assert len(backups) == 1
    backup = backups[0]
    assert backup.name in migrated
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert raw_scalar(backup, "PRAGMA user_version") == 1
    assert raw_scalar(backup, "SELECT code_id FROM codings") == CODE
    assert raw_scalar(backup, "SELECT text FROM memos") == "Ensomhet – særlig på skolen"
    assert raw_scalar(backup, "SELECT count(*) FROM sqlite_master WHERE name = 'positions'") == 0
    # a second open has nothing to migrate and makes no second backup
    with Project.open(new_project):
        pass
    assert len(list((new_project / ".coder" / "backups").iterdir())) == 1


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_a_database_from_a_newer_coder_is_refused_and_left_untouched(
    new_project: Path, wal: bool
) -> None:
    with Project.open(new_project):
        pass
    connection = sqlite3.connect(db_path(new_project))
    if not wal:
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = db_path(new_project).read_bytes()
    with pytest.raises(StoreError) as caught:
        Project.open(new_project)
    message = str(caught.value)
    assert "newer" in message
    assert str(db_path(new_project)) in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert db_path(new_project).read_bytes() == before
    assert not (new_project / ".coder" / "backups").exists()


@pytest.mark.parametrize(
    "content",
    [
        random.Random(3).randbytes(8192),
        "Dette er ikke en database, bare tekst med æøå.\n".encode() * 50,
    ],
    ids=["random-bytes", "text"],
)
def test_a_file_that_is_not_a_database_is_refused(new_project: Path, content: bytes) -> None:
    db_path(new_project).parent.mkdir()
    db_path(new_project).write_bytes(content)
    with pytest.raises(StoreError, match="not a coder database") as caught:
        Project.open(new_project)
    assert str(db_path(new_project)) in str(caught.value)
    assert db_path(new_project).read_bytes() == content


def test_an_sqlite_database_of_another_program_is_refused(new_project: Path) -> None:
    db_path(new_project).parent.mkdir()
    connection = sqlite3.connect(db_path(new_project))
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="not a coder database"):
        Project.open(new_project)


# --- locks ------------------------------------------------------------------------------------


def test_a_locked_database_is_waited_for_then_reported_on_write(
    small_project: Path, hold_lock: Callable[[Path], Any]
) -> None:
    from coder.store.operations import apply_code
    from coder.store.queries import find_codings, status

    holder = hold_lock(db_path(small_project))
    # opening and reading need no lock in WAL mode
    with Project.open(small_project, busy_timeout_ms=300) as project:
        assert status(project)["excerpts"] == 6
        excerpt = project.store.engine.connect().exec_driver_sql("SELECT min(id) FROM excerpts")
        first = int(excerpt.scalar_one())
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            apply_code(project, "kari", first + 1, CODE)
        waited = time.monotonic() - started
        assert "locked" in str(caught.value)
        assert str(db_path(small_project)) in str(caught.value)
        assert waited >= 0.25  # it waited for the busy timeout before giving up
        holder.release()
        assert find_codings(project) == []
        assert status(project)["coders"] == {}
        assert apply_code(project, "kari", first + 1, CODE)
        assert len(find_codings(project, coder="kari")) == 1


def test_a_database_locked_while_it_needs_migrating_is_reported_on_open(
    new_project: Path, hold_lock: Callable[[Path], Any]
) -> None:
    make_v1_database(new_project)
    hold_lock(db_path(new_project))
    started = time.monotonic()
    with pytest.raises(StoreError, match="locked") as caught:
        Project.open(new_project, busy_timeout_ms=300)
    assert time.monotonic() - started >= 0.25
    assert str(db_path(new_project)) in str(caught.value)


def _write_ops() -> list[tuple[str, Callable[[Project, int, Path], object]]]:
    from coder.store import history, operations
    from coder.store.cases_import import import_cases
    from coder.store.codings_import import import_codings
    from coder.store.importer import import_transcript

    def cases_file(root: Path) -> Path:
        (root / "c.csv").write_text("case,county\nintervju,Oslo\n", encoding="utf-8")
        return root / "c.csv"

    def codings_file(root: Path) -> Path:
        path = root / "k.csv"
        path.write_text(f"transcript,excerpt,code\nintervju,2,{CODE}\n", encoding="utf-8")
        return path

    def other(root: Path) -> Path:
        path = root / "transcripts" / "annen.txt"
        path.write_text("Deltaker: Noe annet.\n", encoding="utf-8")
        return path

    return [
        ("apply", lambda p, e, r: operations.apply_code(p, "kari", e, CODE)),
        ("remove", lambda p, e, r: operations.remove_code(p, "ola", e, CODE)),
        ("toggle", lambda p, e, r: operations.toggle_code(p, "kari", e, CODE)),
        ("review", lambda p, e, r: operations.mark_reviewed(p, "kari", e)),
        (
            "rating",
            lambda p, e, r: operations.set_rating(
                p, "kari", "intervju", "relational_robustness", "steady"
            ),
        ),
        ("memo", lambda p, e, r: operations.add_memo(p, "kari", "notat", excerpt_id=e)),
        ("undo", lambda p, e, r: history.undo(p, "ola")),
        ("import", lambda p, e, r: import_transcript(p, other(r))),
        ("cases", lambda p, e, r: import_cases(p, cases_file(r))),
        ("codings", lambda p, e, r: import_codings(p, codings_file(r), coder="kari")),
    ]


@pytest.mark.parametrize(("name", "write"), _write_ops(), ids=[name for name, _ in _write_ops()])
def test_every_write_raises_store_error_when_the_database_stays_locked(
    small_project: Path, name: str, write: Callable[[Project, int, Path], object]
) -> None:
    from coder.store.operations import apply_code

    with Project.open(small_project, busy_timeout_ms=100) as project:
        excerpt = project.store.engine.connect().exec_driver_sql("SELECT min(id) + 1 FROM excerpts")
        second = int(excerpt.scalar_one())
        apply_code(project, "ola", second, CODE)  # something for remove and undo to work on
        events = raw_scalar(db_path(small_project), "SELECT count(*) FROM events")
        other = sqlite3.connect(db_path(small_project), isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match="locked"):
                write(project, second, small_project)
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert raw_scalar(db_path(small_project), "SELECT count(*) FROM events") == events
