"""Many rows in few statements: bulk inserts without per-row overhead, and import helpers.

``conn.execute(insert(table), list_of_dicts)`` builds parameters row by row in Python; for a
million rows that overhead dominates an import. ``bulk_execute`` compiles a Core statement
once for the connection's dialect and hands plain tuples to the driver's ``executemany``
(``exec_driver_sql``); the SQL text comes from the compiled statement, never from strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable

from coder.store.schema import memos


def bulk_execute(
    conn: Connection, statement: Executable, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Run ``statement`` (with bind parameters ``names``) once per row of ``rows``."""
    batch = [tuple(row) for row in rows]
    if not batch:
        return
    compiled = statement.compile(dialect=conn.dialect)  # type: ignore[attr-defined]
    order = list(compiled.positiontup or []) if compiled.positional else []
    if compiled.positional and sorted(order) == sorted(names):
        if order != list(names):
            where = [list(names).index(name) for name in order]
            batch = [tuple(row[i] for i in where) for row in batch]
        conn.exec_driver_sql(str(compiled), batch)
    else:  # a dialect with named parameters: the ordinary (slower) executemany
        conn.execute(statement, [dict(zip(names, row, strict=True)) for row in batch])


def bulk_insert(
    conn: Connection, table: Table, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values of the columns ``names``, in that order) into ``table``."""
    statement = insert(table).values({name: bindparam(name) for name in names})
    bulk_execute(conn, statement, names, rows)


def insert_new(conn: Connection, table: Table) -> Any:
    """``INSERT`` into ``table`` that skips a row an existing unique key already has.

    ``INSERT ... ON CONFLICT DO NOTHING`` of the connection's dialect (SQLite or PostgreSQL);
    the statement's result counts only the rows really inserted.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_new_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert those of ``rows`` no unique key of ``table`` has already; returns how many."""
    if not rows:
        return 0
    statement = insert_new(conn, table)
    if conn.dialect.name == "sqlite":  # the change counter: no row comes back to Python
        before = _total_changes(conn)
        conn.execute(statement, rows)
        return _total_changes(conn) - before
    first = next(iter(table.primary_key.columns))
    return len(conn.execute(statement.returning(first), rows).all())


def _total_changes(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT total_changes()").scalar_one())


def new_memo_rows(memos_of: Iterable[tuple[int, int, str]], at: str) -> list[dict[str, Any]]:
    """The distinct (coder id, excerpt id, text) memos with a text, as memo rows stamped ``at``."""
    seen: set[tuple[int, int, str]] = set()
    rows: list[dict[str, Any]] = []
    for key in memos_of:
        if key[2] and key not in seen:
            seen.add(key)
            rows.append(
                {
                    "coder_id": key[0],
                    "excerpt_id": key[1],
                    "text": key[2],
                    "created_at": at,
                    "updated_at": at,
                }
            )
    return rows


def add_memos(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert memos not stored already (importing the same file twice adds no memo twice)."""
    for row in rows:
        found = conn.execute(
            select(memos.c.id).where(
                memos.c.coder_id == row["coder_id"],
                memos.c.excerpt_id == row["excerpt_id"],
                memos.c.text == row["text"],
            )
        ).first()
        if found is None:
            conn.execute(insert(memos).values(**row))
