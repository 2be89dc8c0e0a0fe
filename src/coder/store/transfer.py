"""Between backends: ``coder db copy`` (a project row for row into another database) and
``coder db upgrade`` (migrate either backend with the one mechanism of ``database.MIGRATIONS``).

A copy reads the source in one read transaction (a consistent snapshot) and writes the target
in one write transaction, so a failure leaves the target as it was; the target must hold no
project yet. Rows keep their ids; PostgreSQL's id sequences are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, create_engine, func, insert, select
from sqlalchemy.engine import Connection

from coder.errors import StoreError
from coder.store.location import Location
from coder.store.schema import SCHEMA_VERSION, metadata
from coder.store.store import Store

BATCH = 2000
"""Rows per INSERT of a copy."""

Progress = Callable[[int, int], None]
"""``progress(rows copied, rows in all)``."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What ``copy_project`` copied: rows per table, in copy order."""

    rows: dict[str, int]
    target: str
    """The target database as people may see it (no password)."""

    @property
    def total(self) -> int:
        """All rows copied."""
        return sum(self.rows.values())


def _counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in metadata.sorted_tables
    }


def copy_project(source: Store, target: Location, progress: Progress | None = None) -> CopyResult:
    """Copy every row of ``source`` into the empty database at ``target``; all or nothing."""
    if target.url is None and target.path.exists() and target.path.stat().st_size > 0:
        raise StoreError(f"{target}: exists already; copy into a new file. Nothing was copied.")
    created = target.url is None
    destination = Store.at(target)
    try:
        with source.read() as reading:
            counts = _counts(reading)
            with destination.read() as conn:
                there = sum(_counts(conn).values())
            if there:
                raise StoreError(
                    f"{destination.where}: holds a project already ({there} rows); copy into an "
                    "empty database. Nothing was copied."
                )
            total, done = sum(counts.values()), 0
            if progress is not None:
                progress(0, total)
            with destination.write() as writing:
                for table in metadata.sorted_tables:
                    result = reading.execution_options(yield_per=BATCH).execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                    for batch in result.mappings().partitions(BATCH):
                        writing.execute(insert(table), [dict(row) for row in batch])
                        done += len(batch)
                        if progress is not None:
                            progress(done, total)
                if destination.is_postgres:
                    _move_sequences(writing)
                if _counts(writing) != counts:  # pragma: no cover - a bug, not a user's error
                    raise StoreError(f"{destination.where}: the copy lost rows; nothing was copied")
    except BaseException:
        destination.close()
        if created:
            target.path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                target.path.with_name(target.path.name + suffix).unlink(missing_ok=True)
        raise
    destination.close()
    return CopyResult(counts, destination.where)


def _move_sequences(conn: Connection) -> None:
    """Set each id sequence past the largest copied id (the next coding gets a new id)."""
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0]
        sequence = func.pg_get_serial_sequence(table.name, column.name)
        biggest = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
        conn.execute(select(func.setval(sequence, biggest, False)))


def upgrade(location: Location) -> tuple[int, int]:
    """Create or migrate the database at ``location`` to this coder's schema: (before, after).

    SQLite takes a backup into ``.coder/backups`` first (as every migration on open does);
    on PostgreSQL the migration runs in one transaction (back up with pg_dump before).
    """
    from coder.store import database, postgres

    if location.url is not None:
        engine = create_engine(location.url, connect_args={"connect_timeout": 5})
        try:
            before = postgres.prepare_schema(engine, location.url, create=True, upgrade=True)
        except Exception as exc:
            error = postgres.server_error(location.url, exc)
            if error is None:
                raise
            raise error from None
        finally:
            engine.dispose()
        return before, SCHEMA_VERSION
    before = 0
    if location.path.exists():
        engine = create_engine(f"sqlite+pysqlite:///{location.path}")
        try:
            with engine.connect() as conn:
                before = database.schema_version(conn)
        finally:
            engine.dispose()
    Store.at(location).close()  # opening a SQLite file migrates it, after a backup
    return before, SCHEMA_VERSION
