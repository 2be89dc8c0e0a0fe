"""Every table of the schema is classified for row-level security on PostgreSQL.

A table left out of ``roles.OWN_ROWS`` and ``roles.SHARED`` gets no grant: a coder's
connection then fails on it ("permission denied"), or, worse, a table of one coder's rows
would be readable by all if it were granted without a policy. This check makes a new table a
decision rather than an accident.
"""

from __future__ import annotations

from coder.store import roles
from coder.store.schema import metadata


def test_every_table_is_either_a_coders_own_or_shared() -> None:
    classified = set(roles.OWN_ROWS) | set(roles.SHARED)
    assert set(metadata.tables) == classified
    assert not set(roles.OWN_ROWS) & set(roles.SHARED)


def test_a_coders_own_tables_name_their_coder() -> None:
    for table in roles.OWN_ROWS:
        assert "coder_id" in metadata.tables[table].c, table  # the policy filters on it
