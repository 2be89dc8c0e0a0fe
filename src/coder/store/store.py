"""``Store``: the project database; owns the engine, its transactions and the coder-id cache.

Every function in ``coder.store`` reaches the database through a ``Store``: ``read()`` for a
read transaction (one consistent snapshot: REPEATABLE READ on PostgreSQL), ``write()`` for a
write transaction (on SQLite it begins with ``BEGIN IMMEDIATE``, so two writers never deadlock
on a lock upgrade). The database is the project's SQLite file or a PostgreSQL server chosen by
URL (``location.Location``). Nothing outside ``coder.store`` sees the engine or a connection.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from coder.errors import NotFoundError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

    from coder.store.location import Location


class Store:
    """One open project database. Create with ``Store.open``; close with ``close()``."""

    __slots__ = ("_coder_ids", "_reader", "_writer", "engine", "location", "path")

    def __init__(self, engine: Engine, location: Location | Path) -> None:
        from coder.store.database import writer
        from coder.store.location import Location

        self.engine = engine
        """SQLAlchemy engine on the database (for ``coder.store`` modules only)."""
        self.location = location if isinstance(location, Location) else Location(location)
        """Where the database is: the SQLite file or the server's URL."""
        self.path = self.location.path
        """The database file (SQLite); on PostgreSQL where the project's local files go."""
        self._coder_ids: dict[str, int] = {}
        self._reader: Engine
        self._writer: Engine
        if self.location.is_postgres:
            self._reader = engine.execution_options(isolation_level="REPEATABLE READ")
            self._writer = engine
        else:
            self._reader, self._writer = engine, writer(engine)

    @classmethod
    def open(
        cls, path: Path, *, busy_timeout_ms: int | None = None, url: str | None = None
    ) -> Store:
        """Open (creating and migrating as needed) the project database.

        That is the SQLite file at ``path``, or the server ``CODER_DATABASE_URL`` or ``url``
        (``[store] url`` of coder.toml) names.
        """
        from coder.store.location import Location

        return cls.at(Location.of(path, url), busy_timeout_ms=busy_timeout_ms)

    @classmethod
    def at(cls, location: Location, *, busy_timeout_ms: int | None = None) -> Store:
        """Open the database at ``location`` (a SQLite file or a PostgreSQL URL)."""
        from coder.store import database

        if location.url is not None:
            from coder.store import postgres

            return cls(postgres.open_engine(location.url), location)
        timeout = database.DEFAULT_BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        return cls(database.open_engine(location.path, busy_timeout_ms=timeout), location)

    @property
    def is_postgres(self) -> bool:
        """True when the database is on a PostgreSQL server."""
        return self.location.is_postgres

    @property
    def where(self) -> str:
        """The database for messages: its file, or its URL without the password."""
        return str(self.location)

    def read(self) -> AbstractContextManager[Connection]:
        """A connection whose statements share one read transaction (a consistent snapshot)."""
        return self._reader.connect()

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction, committed when the block ends cleanly."""
        return self._writer.begin()

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
