"""Open the project database: WAL, foreign keys, busy timeout, 0600, schema migrations."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert
from sqlalchemy.engine import Connection, ExceptionContext

from coder.errors import StoreError
from coder.store.schema import (
    SCHEMA_VERSION,
    V1_TABLES,
    code_proposals,
    events,
    metadata,
    positions,
)

DEFAULT_BUSY_TIMEOUT_MS = 5000

_BEGIN = {"DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}
"""The statement that opens a transaction, by the ``sqlite_begin`` execution option."""
_INT_PRAGMAS = frozenset({"busy_timeout", "user_version"})
"""The integer pragmas coder sets."""


def set_int_pragma(name: str, value: int) -> str:
    """The statement setting an integer pragma.

    SQLite takes no bound parameters in a PRAGMA, so this is the one statement coder writes
    out itself: the name is one of ``_INT_PRAGMAS`` and the value is checked to be an int.
    """
    if name not in _INT_PRAGMAS or type(value) is not int:
        raise ValueError(f"not an integer pragma coder sets: {name} = {value!r}")
    return "PRAGMA " + name + " = " + str(value)


def now() -> str:
    """The current time as an ISO 8601 UTC string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions away from a file or folder of ours."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
    except OSError:  # pragma: no cover - not ours to change; SQLite reports real problems
        pass


def store_error(path: Path, error: BaseException, busy_timeout_ms: int) -> StoreError | None:
    """The user-facing error for a SQLite failure a user can cause, or None for a bug."""
    message = str(getattr(error, "orig", None) or error)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"{path}: the database is locked by another process (waited "
            f"{busy_timeout_ms / 1000:g} s); close the other coder or try again. "
            "Nothing was changed."
        )
    if "not a database" in lowered or "malformed" in lowered:
        return StoreError(f"{path}: not a coder database, or damaged ({message})")
    if "readonly" in lowered or "unable to open" in lowered or "permission" in lowered:
        return StoreError(
            f"{path}: cannot write the database ({message}): the file or its folder "
            f"{path.parent} is read-only for you. Make them writable (chmod u+w), or copy the "
            "project to a folder you can write to. Nothing was changed."
        )
    if "disk is full" in lowered or "disk i/o" in lowered:
        return StoreError(f"{path}: cannot use the database ({message}). Nothing was changed.")
    return None


def open_engine(path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine on ``path``, creating and migrating the database as needed.

    Every SQLite error a user can cause (a lock held too long by another process, a file that
    is not a database, a full disk) is raised as ``StoreError``, at open and in every later
    statement on the engine.
    """
    busy_timeout_ms = max(busy_timeout_ms, 0)
    if path.is_dir():
        raise StoreError(
            f"{path}: is a folder, not the project database; move it out of the way (coder "
            "then makes a new, empty database) or put the database file back. Nothing was changed."
        )
    if not path.exists() or path.stat().st_size == 0:
        try:
            _create_private(path)
        except OSError as exc:
            raise StoreError(
                f"{path}: cannot create the project database ({exc.strerror or exc}): is the "
                f"project folder {path.parent.parent} read-only? Make it writable (chmod u+w), "
                "or copy the project to a folder you can write to. Nothing was changed."
            ) from None
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(set_int_pragma("busy_timeout", int(busy_timeout_ms)))
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(_BEGIN[mode])

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        error = store_error(path, context.original_exception, busy_timeout_ms)
        if error is not None:
            raise error from None

    try:
        _prepare_schema(engine, path)
    except sqlite3.Error as exc:  # from the raw connection, which bypasses handle_error
        engine.dispose()
        error = store_error(path, exc, busy_timeout_ms)
        if error is None:
            raise
        raise error from None
    except BaseException:
        engine.dispose()
        raise
    if (path.parent / "imports").is_dir():  # a batched import a killed process left half done
        from coder.store.import_journal import recover

        recover(engine, path)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, beginning write transactions with BEGIN IMMEDIATE (no lock upgrades)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def schema_version(conn: Connection) -> int:
    """The database's recorded schema version (SQLite: PRAGMA user_version)."""
    if conn.dialect.name == "postgresql":
        from coder.store import postgres

        return postgres.schema_version(conn)
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def set_schema_version(conn: Connection, version: int) -> None:
    """Record ``version`` as the database's schema version."""
    if conn.dialect.name == "postgresql":
        from coder.store import postgres

        postgres.set_schema_version(conn, version)
    else:
        conn.exec_driver_sql(set_int_pragma("user_version", version))


def _table_count(conn: Connection) -> int:
    query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
    return int(conn.exec_driver_sql(query).scalar_one())


def check_version(where: Path | str, version: int, tables: int) -> None:
    """Refuse a database with tables but no version, or of a newer schema than this coder's."""
    if version == 0 and tables > 0:
        raise StoreError(f"{where}: not a coder database (it has tables but no schema version)")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where}: written by a newer coder (schema version {version}; this coder knows "
            f"up to {SCHEMA_VERSION}); upgrade coder to open it. Nothing was changed."
        )


def _sqlite_columns(conn: Connection) -> dict[str, set[str]]:
    query = (
        "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
        "WHERE m.type = 'table'"
    )
    found: dict[str, set[str]] = {}
    for table, column in conn.exec_driver_sql(query):
        found.setdefault(str(table), set()).add(str(column))
    return found


def check_tables(
    where: Path | str, found: dict[str, set[str]], version: int, backups: Path | None
) -> None:
    """Refuse a database that lacks a table or column its schema version promises."""
    missing: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in found:
            missing.append(f"table {table.name}")
        else:
            missing.extend(
                f"column {table.name}.{column.name}"
                for column in table.columns
                if column.name not in found[table.name]
            )
    if not missing:
        return
    what = (
        "no tables at all"
        if not found
        else ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    )
    restore = (
        f"Restore the newest copy from {backups} if there is one, or move the file away and "
        "import again."
        if backups is not None
        else "Restore it from your last pg_dump, or copy the project in again (coder db copy)."
    )
    raise StoreError(
        f"{where}: the database is damaged or was changed by another program: schema version "
        f"{version} promises tables it lacks ({'it has ' if not found else 'missing: '}{what}). "
        f"{restore} Nothing was changed."
    )


def _prepare_schema(engine: Engine, path: Path) -> None:
    """Create or migrate the schema; read-only (and lock-free) when it is up to date.

    Nothing is written, not even the journal mode, before the version is known to be one this
    coder can handle, so a database from a newer coder is left byte for byte as it was.
    """
    with engine.connect() as conn:
        version, tables = schema_version(conn), _table_count(conn)
        check_version(path, version, tables)
        if version == SCHEMA_VERSION:
            check_tables(path, _sqlite_columns(conn), version, path.parent / "backups")
    for name in (path.parent, path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        _tighten(name, 0o700 if name == path.parent else 0o600)
    if version != SCHEMA_VERSION:
        with writer(engine).begin() as conn:
            version, tables = schema_version(conn), _table_count(conn)  # another process?
            check_version(path, version, tables)
            if version == 0:
                metadata.create_all(conn)
                set_schema_version(conn, SCHEMA_VERSION)
            elif version < SCHEMA_VERSION:
                backup = backup_database(engine, path, f"v{version}")
                apply_migrations(conn, version, backup=backup.name)
                set_schema_version(conn, SCHEMA_VERSION)
    raw = engine.raw_connection()  # outside any transaction: the journal mode cannot change inside
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
    finally:
        raw.close()


def apply_migrations(conn: Connection, version: int, *, backup: str | None) -> None:
    """Migrate from ``version`` to SCHEMA_VERSION inside ``conn``'s write transaction.

    The one migration mechanism of both backends: the steps of ``MIGRATIONS``, then an event
    saying from what to what (and the backup file, which only SQLite takes).
    """
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](conn)
    payload: dict[str, Any] = {"from": version, "to": SCHEMA_VERSION}
    if backup is not None:
        payload["backup"] = backup
    conn.execute(
        insert(events).values(
            coder_id=None,
            at=now(),
            kind="schema.migrated",
            undoable=False,
            payload=json.dumps(payload),
        )
    )


def backup_database(engine: Engine, path: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API into ``.coder/backups/``; returns the copy.

    The copy is read through a connection of its own, so it may be taken while another
    connection of ``engine`` holds the write lock (as a migration does).
    """
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.stem}-{label}-{stamp}.db"
    _create_private(target)
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
        finally:
            destination.close()
    finally:
        raw.close()
    return target


def _v1_to_v2(conn: Connection) -> None:
    positions.create(conn)


def _v2_to_v3(conn: Connection) -> None:
    """Global ids for memos and events (``coder team``); memo events name their memo's uid."""
    from coder.store.uid_migration import add_uids

    add_uids(conn)


def add_codebook_version(conn: Connection) -> None:
    """``codings.codebook_version``: the codebook version each coding is made under."""
    from sqlalchemy import inspect

    # create_v1 builds the old tables from today's metadata, which has the column already
    if "codebook_version" not in {c["name"] for c in inspect(conn).get_columns("codings")}:
        conn.exec_driver_sql("ALTER TABLE codings ADD COLUMN codebook_version TEXT")


def add_code_proposals(conn: Connection) -> None:
    """``code_proposals``: codes a team's coders propose to the lead."""
    code_proposals.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: add_codebook_version,
    4: add_code_proposals,
}
"""Migration from version N to N + 1, keyed by N."""


def create_v1(conn: Connection) -> None:
    """Create a version-1 database (for migration tests and fixtures)."""
    metadata.create_all(conn, tables=list(V1_TABLES))
    set_schema_version(conn, 1)
