"""Coders: people, the ``model`` and the ``consensus`` layer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from coder.errors import CoderError, NotFoundError
from coder.store.database import now
from coder.store.schema import coders

if TYPE_CHECKING:
    from coder.store.store import Store

NAME_RE = re.compile(r"^[\w][\w .@'-]{0,63}$")
SPECIAL_KINDS = {"model": "model", "consensus": "consensus"}


def check_name(name: str) -> str:
    """A valid coder name (letters incl. æøå, digits, space, . @ ' -), stripped."""
    cleaned = name.strip()
    if not NAME_RE.match(cleaned):
        raise CoderError(
            f"invalid coder name {name!r}: use 1-64 letters, digits, spaces or . @ ' - "
        )
    return cleaned


def coder_id(store: Store, name: str, *, create: bool = True) -> int:
    """Id of coder ``name``; registers the coder when ``create`` is true (uncached)."""
    name = check_name(name)
    with store.read() as conn:
        found = conn.execute(select(coders.c.id).where(coders.c.name == name)).scalar_one_or_none()
    if found is not None:
        return int(found)
    if not create:
        raise NotFoundError(f"unknown coder {name!r}")
    with store.write() as conn:
        return ensure_coder(conn, name)


def ensure_coder(conn: Connection, name: str) -> int:
    """Id of coder ``name`` inside an open transaction, inserting the coder if new."""
    name = check_name(name)
    found = conn.execute(select(coders.c.id).where(coders.c.name == name)).scalar_one_or_none()
    if found is not None:
        return int(found)
    kind = SPECIAL_KINDS.get(name, "human")
    result = conn.execute(insert(coders).values(name=name, kind=kind, created_at=now()))
    return int(result.inserted_primary_key[0])  # type: ignore[index]
