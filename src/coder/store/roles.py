"""Blind by the database: on PostgreSQL each coder is a database role, and row-level security
keeps a coder's connection to their own codings, reviews, memos, ratings, positions and events.

``add_coder`` (``coder server add-coder NAME``) runs as the database's owner (the lead's admin
connection): it creates two group roles of this database once, ``<db>_coders`` and
``<db>_lead``, the policies and grants, then the coder's login role (named as the coder) in the
coders group, or the lead group with ``lead``. A coder's role reads the shared tables
(transcripts, excerpts, cases, codes) and only their own rows of the others, plus the rows of
the suggestion model; it writes only their own. The lead role reads and writes all. Role and
policy statements take identifiers, not parameters: they are composed with psycopg's ``sql``
module (quoted identifiers and literals), never by formatting strings.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from coder.domain.coders import MODEL, check_name
from coder.errors import CoderError
from coder.store.coders import ensure_coder
from coder.store.store import Store

OWN_ROWS = (
    "codings",
    "reviews",
    "memos",
    "case_ratings",
    "events",
    "positions",
    "code_proposals",
)
"""Tables whose rows belong to one coder (their ``coder_id``): a proposed code stays the
proposer's and the lead's until the lead accepts it into the YAML."""
SHARED = ("cases", "case_attributes", "transcripts", "excerpts", "coders")
"""Tables every coder reads (the lead writes them)."""

_FUNCTIONS = (
    # the coder id of the connected role; STABLE: evaluated once per statement
    "CREATE OR REPLACE FUNCTION coder_self() RETURNS integer LANGUAGE sql STABLE AS "
    "$$ SELECT id FROM coders WHERE name = current_user $$",
    "CREATE OR REPLACE FUNCTION coder_shared(who integer) RETURNS boolean LANGUAGE sql STABLE AS "
    "$$ SELECT who = coder_self() OR who IN (SELECT id FROM coders WHERE kind = 'model') $$",
)


def group_roles(conn: Connection) -> tuple[str, str]:
    """The names of this database's coders and lead group roles."""
    database = str(conn.execute(select(func.current_database())).scalar_one())
    return database[:50] + "_coders", database[:50] + "_lead"


def _run(conn: Connection, statement: sql.Composable | str) -> None:
    """Run a composed statement on the connection's psycopg connection (same transaction)."""
    raw: Any = conn.connection.driver_connection
    raw.execute(statement if isinstance(statement, sql.Composable) else sql.SQL(statement))


def _role_exists(conn: Connection, name: str) -> bool:
    raw: Any = conn.connection.driver_connection
    return raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None


def _ensure_role(conn: Connection, name: str, *, login: bool) -> None:
    if not _role_exists(conn, name):
        kind = sql.SQL("LOGIN" if login else "NOLOGIN")
        _run(conn, sql.SQL("CREATE ROLE {} {}").format(sql.Identifier(name), kind))


def _secure(conn: Connection, team: str, lead: str) -> None:
    """Group roles, grants and policies of this database (idempotent)."""
    _ensure_role(conn, team, login=False)
    _ensure_role(conn, lead, login=False)
    t, ld = sql.Identifier(team), sql.Identifier(lead)
    database = sql.Identifier(str(conn.execute(select(func.current_database())).scalar_one()))
    for statement in _FUNCTIONS:
        _run(conn, statement)
    _run(conn, sql.SQL("GRANT {} TO {}").format(t, ld))  # the lead is a coder too
    _run(conn, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, t))
    _run(conn, sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(t))
    _run(conn, sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    _run(conn, sql.SQL("GRANT SELECT ON coder_schema TO {}").format(t))
    _run(conn, sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(t))
    for table in SHARED:
        name = sql.Identifier(table)
        _run(conn, sql.SQL("GRANT SELECT ON {} TO {}").format(name, t))
        _run(conn, sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(name, ld))
    for table in OWN_ROWS:
        name = sql.Identifier(table)
        _run(conn, sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(name, t))
        _run(conn, sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
        for policy in ("coder_own", "coder_lead"):
            _run(
                conn, sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(policy), name)
            )
        readable = "coder_shared(coder_id)" + (" OR coder_id IS NULL" if table == "events" else "")
        _run(
            conn,
            sql.SQL("CREATE POLICY coder_own ON {} TO {} USING ({}) WITH CHECK ({})").format(
                name, t, sql.SQL(readable), sql.SQL("coder_shared(coder_id)")
            ),
        )
        _run(
            conn,
            sql.SQL("CREATE POLICY coder_lead ON {} TO {} USING (true) WITH CHECK (true)").format(
                name, ld
            ),
        )


def add_coder(store: Store, name: str, *, lead: bool = False, password: str | None = None) -> str:
    """Create (or update) coder ``name``'s login role with the grants; returns the role name."""
    if not store.is_postgres:
        raise CoderError(
            f"{store.where}: roles exist only on a PostgreSQL server; a SQLite project has no "
            "logins (set [store] url first)"
        )
    name = check_name(name)
    with store.write() as conn:
        team, lead_role = group_roles(conn)
        _secure(conn, team, lead_role)
        _ensure_role(conn, name, login=True)
        role = sql.Identifier(name)
        if password is not None:
            _run(conn, sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
        _run(conn, sql.SQL("GRANT {} TO {}").format(sql.Identifier(team), role))
        if lead:
            _run(conn, sql.SQL("GRANT {} TO {}").format(sql.Identifier(lead_role), role))
        ensure_coder(conn, name)
        ensure_coder(conn, MODEL)
    return name


def is_lead(store: Store) -> bool:
    """Whether the connection may see every coder's work (always, on SQLite)."""
    if not store.is_postgres:
        return True
    with store.read() as conn:
        _team, lead = group_roles(conn)
        if not _role_exists(conn, lead):
            return True  # no coder roles on this database: every connection sees everything
        raw: Any = conn.connection.driver_connection
        row = raw.execute(
            "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, %s, 'MEMBER')"
            " OR pg_has_role(current_user, (SELECT tableowner FROM pg_tables"
            "  WHERE schemaname = 'public' AND tablename = 'codings'), 'MEMBER')"
            " FROM pg_roles AS r WHERE r.rolname = current_user",
            (lead,),
        ).fetchone()
    return bool(row and row[0])


def require_lead(store: Store, what: str) -> None:
    """Refuse a lead's view (agreement, consensus) on a coder's own role."""
    if not is_lead(store):
        raise CoderError(
            f"{store.where}: {what} is the lead's view and needs the lead role; your role sees "
            "only your own codings (the lead runs `coder server add-coder NAME --lead`)"
        )
