"""Coders in the database: look up or register a coder (people, ``model``, ``consensus``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from coder.domain.coders import NAME_RE, check_name, coder_kind
from coder.errors import NotFoundError
from coder.store.database import now
from coder.store.schema import coders

__all__ = ["NAME_RE", "check_name", "coder_id", "ensure_coder"]

if TYPE_CHECKING:
    from coder.store.store import Store


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
    kind = coder_kind(name)
    result = conn.execute(insert(coders).values(name=name, kind=kind, created_at=now()))
    return int(result.inserted_primary_key[0])  # type: ignore[index]
