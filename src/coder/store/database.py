"""Open the project database: WAL, foreign keys, busy timeout, 0600, schema migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection

from coder.errors import StoreError
from coder.store.schema import SCHEMA_VERSION, V1_TABLES, metadata, positions

DEFAULT_BUSY_TIMEOUT_MS = 5000


def now() -> str:
    """The current time as an ISO 8601 UTC string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_engine(path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine on ``path``, creating and migrating the database as needed."""
    new = not path.exists() or path.stat().st_size == 0
    if new:
        _create_private(path)
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": max(busy_timeout_ms, 0) / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {max(busy_timeout_ms, 0)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    try:
        _prepare_schema(engine, path, new)
    except sqlite3.DatabaseError as exc:  # pragma: no cover - wrapped below
        raise StoreError(f"{path}: not a coder database ({exc})") from None
    except Exception as exc:
        engine.dispose()
        message = str(getattr(exc, "orig", exc))
        if isinstance(exc, StoreError):
            raise
        if "locked" in message or "busy" in message:
            raise StoreError(
                f"{path}: the database is locked by another process "
                f"(waited {busy_timeout_ms / 1000:g} s); close the other coder and try again"
            ) from None
        if "not a database" in message or "malformed" in message:
            raise StoreError(f"{path}: not a coder database or damaged ({message})") from None
        raise
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, beginning write transactions with BEGIN IMMEDIATE (no lock upgrades)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def schema_version(conn: Connection) -> int:
    """The database's recorded schema version (PRAGMA user_version)."""
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _prepare_schema(engine: Engine, path: Path, new: bool) -> None:
    with writer(engine).begin() as conn:
        version = schema_version(conn)
        tables = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).scalar_one()
        if version == 0 and tables == 0:
            metadata.create_all(conn)
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        if version == 0:
            raise StoreError(f"{path}: not a coder database (it has tables but no schema version)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: written by a newer coder (schema version {version}; this coder knows "
                f"up to {SCHEMA_VERSION}); upgrade coder to open it. Nothing was changed."
            )
        if version == SCHEMA_VERSION:
            return
    backup = backup_database(engine, path, f"v{version}")
    with writer(engine).begin() as conn:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](conn)
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(
            text(
                "INSERT INTO events (coder_id, at, kind, undoable, payload) VALUES (NULL, :at, :kind, 0, :p)"
            ),
            {
                "at": now(),
                "kind": "schema.migrated",
                "p": f'{{"from": {version}, "to": {SCHEMA_VERSION}, "backup": "{backup.name}"}}',
            },
        )


def backup_database(engine: Engine, path: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API into ``.coder/backups/``; returns the copy."""
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


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}
"""Migration from version N to N + 1, keyed by N."""


def create_v1(conn: Connection) -> None:
    """Create a version-1 database (for migration tests and fixtures)."""
    metadata.create_all(conn, tables=list(V1_TABLES))
    conn.exec_driver_sql("PRAGMA user_version = 1")
