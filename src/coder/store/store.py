"""``Store``: the project database; owns the engine, its transactions and the coder-id cache.

Every function in ``coder.store`` reaches the database through a ``Store``: ``read()`` for a
read transaction (one consistent snapshot), ``write()`` for a write transaction that begins
with ``BEGIN IMMEDIATE`` (so two writers never deadlock on a lock upgrade). Nothing outside
``coder.store`` sees the engine or a connection.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from coder.errors import NotFoundError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection


class Store:
    """One open project database. Create with ``Store.open``; close with ``close()``."""

    __slots__ = ("_coder_ids", "engine", "path")

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        """SQLAlchemy engine on the database (for ``coder.store`` modules only)."""
        self.path = path
        """The database file."""
        self._coder_ids: dict[str, int] = {}

    @classmethod
    def open(cls, path: Path, *, busy_timeout_ms: int | None = None) -> Store:
        """Open (creating and migrating as needed) the database at ``path``."""
        from coder.store import database

        timeout = database.DEFAULT_BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        return cls(database.open_engine(path, busy_timeout_ms=timeout), path)

    def read(self) -> AbstractContextManager[Connection]:
        """A connection whose statements share one read transaction (a consistent snapshot)."""
        return self.engine.connect()

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), committed when the block ends cleanly."""
        from coder.store.database import writer

        return writer(self.engine).begin()

    def coder_id(self, name: str, *, create: bool = True) -> int:
        """The database id of coder ``name``, registering the coder on first use."""
        if name not in self._coder_ids:
            from coder.store.coders import coder_id

            self._coder_ids[name] = coder_id(self, name, create=create)
        return self._coder_ids[name]

    def existing_coder(self, name: str) -> int | None:
        """Id of coder ``name`` if registered, else None: queries never register anyone."""
        try:
            return self.coder_id(name, create=False)
        except NotFoundError:
            return None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
