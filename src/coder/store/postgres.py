"""Open a project database on a PostgreSQL server (psycopg 3): errors, schema, version.

The schema is the same SQLAlchemy metadata as on SQLite and migrates with the same
``database.MIGRATIONS``; the version sits in a one-row table ``coder_schema`` (SQLite keeps it in
``PRAGMA user_version``). Opening never changes a database of a newer schema, and never one a
coder's role cannot change: an empty database gets the schema, an older one is left for
``coder db upgrade``. Every error a user can cause (server down, wrong password, no rights, the
server restarting) is a ``StoreError`` naming the URL without its password.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Engine, Integer, MetaData, Table, create_engine, event, select
from sqlalchemy import inspect as inspect_schema
from sqlalchemy.engine import URL, Connection, ExceptionContext
from sqlalchemy.exc import DBAPIError

from coder.errors import StoreError
from coder.store.location import shown
from coder.store.schema import SCHEMA_VERSION, metadata

version_metadata = MetaData()
coder_schema = Table("coder_schema", version_metadata, Column("version", Integer, nullable=False))
"""The schema version of a PostgreSQL project database (one row)."""

CONNECT_TIMEOUT_S = 5
"""How long to wait for an unreachable server."""
_MIGRATION_LOCK = 0x636F646572
"""The advisory lock two processes creating or migrating the schema serialise on."""


def server_error(url: URL, error: BaseException) -> StoreError | None:
    """The user-facing error for a failure a user can cause, or None for a bug."""
    where = shown(url)
    original = getattr(error, "orig", None) or error
    message = " ".join(str(original).split())
    lowered = message.lower()
    state = getattr(original, "sqlstate", None) or ""
    if "password authentication failed" in lowered or state == "28P01":
        return StoreError(
            f"{where}: the server refused the password for role {url.username or '(default)'} "
            "(put the right one in ~/.pgpass or PGPASSWORD). Nothing was changed."
        )
    if state.startswith("28") or "no pg_hba.conf entry" in lowered:
        return StoreError(f"{where}: the server refused the connection ({message}).")
    if state == "3D000":
        return StoreError(f"{where}: no such database on the server ({message}).")
    if state == "42501" or "permission denied" in lowered:
        return StoreError(
            f"{where}: your database role has no right to do this ({message}); ask the project "
            "lead to run `coder server add-coder` for you. Nothing was changed."
        )
    if state == "57P01" or "terminating connection" in lowered or "server closed" in lowered:
        return StoreError(
            f"{where}: the database server went away (restarting?); your last action was not "
            "saved. Try it again in a moment."
        )
    if "connection" in lowered and (
        "refused" in lowered or "failed" in lowered or "timeout" in lowered or "lost" in lowered
    ):
        return StoreError(
            f"{where}: cannot reach the database server ({message}); is it running and is the "
            "URL right? Nothing was changed."
        )
    if state in ("40001", "40P01"):
        return StoreError(f"{where}: a conflicting change by another coder; try again.")
    return None


def open_engine(url: URL) -> Engine:
    """An engine on the server at ``url``, its schema checked (and created if empty)."""
    engine = create_engine(
        url,
        pool_pre_ping=True,  # a connection the server dropped (a restart) is replaced on use
        pool_size=4,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "coder"},
    )

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return
        error = server_error(url, context.original_exception)
        if error is not None:
            raise error from None

    try:
        prepare_schema(engine, url, create=True)
    except DBAPIError as exc:  # a failure to connect comes before handle_error can see it
        engine.dispose()
        error = server_error(url, exc)
        if error is None:
            raise
        raise error from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def schema_version(conn: Connection) -> int:
    """The database's schema version; 0 when it has none."""
    if not inspect_schema(conn).has_table(coder_schema.name):
        return 0
    found = conn.execute(select(coder_schema.c.version)).scalar_one_or_none()
    return 0 if found is None else int(found)


def set_schema_version(conn: Connection, version: int) -> None:
    """Record ``version`` (creating the version table on first use)."""
    version_metadata.create_all(conn)
    conn.execute(coder_schema.delete())
    conn.execute(coder_schema.insert().values(version=version))


def table_columns(conn: Connection) -> dict[str, set[str]]:
    """Table name -> column names of coder's tables in the database."""
    inspector = inspect_schema(conn)
    names = set(inspector.get_table_names()) - {coder_schema.name}
    return {name: {str(c["name"]) for c in inspector.get_columns(name)} for name in names}


def prepare_schema(engine: Engine, url: URL, *, create: bool, upgrade: bool = False) -> int:
    """Check the schema; create it in an empty database (``create``), migrate (``upgrade``).

    Returns the version found before. An older schema without ``upgrade`` is refused with how to
    upgrade it; a newer one always, with nothing written.
    """
    from coder.store import database

    where = shown(url)
    with engine.connect() as conn:
        version = schema_version(conn)
        found = table_columns(conn)
        database.check_version(where, version, len(found))
        if version == SCHEMA_VERSION:
            database.check_tables(where, found, version, None)
            return version
    if version and not upgrade:
        raise StoreError(
            f"{where}: the database has schema version {version}, this coder writes "
            f"{SCHEMA_VERSION}; the project lead upgrades it with `coder db upgrade` (back it "
            "up with pg_dump first). Nothing was changed."
        )
    if not version and not create:
        raise StoreError(f"{where}: the database has no coder schema yet. Nothing was changed.")
    with engine.begin() as conn:
        conn.execute(select(_advisory_lock()))
        before = schema_version(conn)  # another process may have done it meanwhile
        database.check_version(where, before, len(table_columns(conn)))
        if before == 0:
            metadata.create_all(conn)
            set_schema_version(conn, SCHEMA_VERSION)
        elif before < SCHEMA_VERSION:
            database.apply_migrations(conn, before, backup=None)
            set_schema_version(conn, SCHEMA_VERSION)
    return version


def _advisory_lock() -> Any:
    from sqlalchemy import func

    return func.pg_advisory_xact_lock(_MIGRATION_LOCK)
