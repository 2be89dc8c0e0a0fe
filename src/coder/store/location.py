"""Where a project's database is: the SQLite file, or a PostgreSQL server chosen by URL.

``[store] url`` in coder.toml names a server (``postgresql+psycopg://host/dbname``); the
environment variable ``CODER_DATABASE_URL`` overrides it (a coder's own role, or a copy for a
test). Without either the database is the project's SQLite file. A URL is shown to people only
through ``shown``, which drops the password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from coder.errors import CoderError

ENV = "CODER_DATABASE_URL"
"""The environment variable that overrides ``[store] url``."""
POSTGRES_DRIVER = "postgresql+psycopg"
"""The one PostgreSQL driver coder uses: psycopg 3."""


def parse(url: str, *, where: str = ENV) -> URL:
    """``url`` as a SQLAlchemy URL for SQLite or PostgreSQL (psycopg 3); else a clear error."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CoderError(
            f"{where}: not a database URL: {url.split('@')[-1]!r}; write "
            "postgresql+psycopg://[user@]host[:port]/dbname, or a path to a .db file"
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return parsed.set(drivername=POSTGRES_DRIVER)
    if backend == "sqlite" and driver in ("", "pysqlite") and parsed.database:
        return parsed.set(drivername="sqlite+pysqlite")
    raise CoderError(
        f"{where}: {shown(parsed)}: coder stores projects in SQLite or PostgreSQL; write "
        "postgresql+psycopg://[user@]host[:port]/dbname (the psycopg 3 driver) or sqlite:///path"
    )


def shown(url: URL | str) -> str:
    """``url`` as people may see it: with the password removed, not masked."""
    parsed = make_url(url) if isinstance(url, str) else url
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


@dataclass(frozen=True, slots=True)
class Location:
    """A project database: a SQLite file (``url`` None) or a server URL."""

    path: Path
    """The project's ``.coder/coder.db`` (SQLite) or where its local files go (PostgreSQL)."""
    url: URL | None = None
    """The PostgreSQL URL, or None for the SQLite file."""

    @classmethod
    def of(cls, path: Path, configured: str | None, *, where: str = "coder.toml") -> Location:
        """The project's database: ``CODER_DATABASE_URL``, else ``[store] url``, else ``path``."""
        env = os.environ.get(ENV, "").strip()
        if env:
            url = parse(env, where=ENV)
        elif configured:
            url = parse(configured, where=f"{where}: [store] url")
        else:
            return cls(path)
        if url.get_backend_name() == "sqlite":
            return cls(Path(str(url.database)).expanduser().resolve())
        return cls(path, url)

    @property
    def is_postgres(self) -> bool:
        """True for a PostgreSQL server."""
        return self.url is not None

    def __str__(self) -> str:
        return str(self.path) if self.url is None else shown(self.url)
