"""Coders: people, the ``model`` and the ``consensus`` layer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import Connection

from coder.errors import CoderError, NotFoundError
from coder.store.database import now, writer
from coder.store.schema import coders

if TYPE_CHECKING:
    from coder.project.project import Project

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


def coder_id(engine: Engine, name: str, *, create: bool = True) -> int:
    """Id of coder ``name``; registers the coder when ``create`` is true."""
    name = check_name(name)
    with engine.connect() as conn:
        found = conn.execute(select(coders.c.id).where(coders.c.name == name)).scalar_one_or_none()
    if found is not None:
        return int(found)
    if not create:
        raise NotFoundError(f"unknown coder {name!r}")
    with writer(engine).begin() as conn:
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


def coder_names(engine: Engine) -> list[str]:
    """All coder names, sorted."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(coders.c.name)).scalars())


def existing_coder(project: Project, name: str) -> int | None:
    """Id of coder ``name`` if registered, else None: for queries, which never register anyone."""
    try:
        return project.coder_id(name, create=False)
    except NotFoundError:
        return None
