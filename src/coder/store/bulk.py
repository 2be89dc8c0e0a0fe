"""Many rows through one statement, without SQLAlchemy's per-row parameter handling.

``conn.execute(insert(table), list_of_dicts)`` builds parameters row by row in Python; for a
million rows that overhead dominates an import. ``bulk_execute`` compiles a Core statement
once for the connection's dialect and hands plain tuples to the driver's ``executemany``
(``exec_driver_sql``); the SQL text comes from the compiled statement, never from strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable


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
