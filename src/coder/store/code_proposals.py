"""``CodeProposal``: a code a team's coder proposed, waiting for the lead to decide.

With ``[codebook] coders_may_add = true`` a coder in a team may propose a code while coding
and use it at once; it lives here, not in the YAML (the codebook is the lead's, and other
coders, coding blind, never see it). Its codings are ordinary codings with the proposed id,
which counts as known while the proposal is open (nothing is orphaned). The lead accepts it
(the code goes into the YAML with the same id: the codings stay), merges it into an existing
code (its codings move there) or rejects it (its codings are removed; the event keeps them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update

from coder.errors import CoderError, NotFoundError
from coder.store.coders import ensure_coder
from coder.store.database import now
from coder.store.operations import log_event
from coder.store.schema import code_proposals, coders, codings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from coder.store.context import ProjectContext
    from coder.store.store import Store


@dataclass(frozen=True, slots=True)
class CodeProposal:
    """One proposed code."""

    id: int
    """The proposal's number (what the lead names)."""
    code_id: str
    """The code id its codings use (kept when accepted)."""
    coder: str
    """Who proposed it."""
    labels: Mapping[str, str]
    """Label per language."""
    parent: str | None
    """Where in the tree the coder would put it."""
    description: str
    """What the coder says it means."""
    hotkey: str | None
    """The key it has in the proposer's app."""
    status: str
    """``open``, ``accepted``, ``merged`` or ``rejected``."""
    into: str | None
    """The code it was merged into."""
    codings: int
    """Codings that use it now."""


def _select() -> Any:
    count = (
        select(func.count()).where(codings.c.code_id == code_proposals.c.code_id).scalar_subquery()
    )
    return select(code_proposals, coders.c.name, count.label("uses")).join(
        coders, coders.c.id == code_proposals.c.coder_id
    )


def _proposal(row: Any) -> CodeProposal:
    return CodeProposal(
        int(row.id),
        str(row.code_id),
        str(row.name),
        dict(json.loads(row.labels)),
        row.parent,
        str(row.description),
        row.hotkey,
        str(row.status),
        row.decided_into,
        int(row.uses),
    )


def list_proposals(
    project: ProjectContext, *, coder: str | None = None, status: str | None = "open"
) -> list[CodeProposal]:
    """Proposals (open ones by default), of one coder or everyone's, oldest first."""
    query = _select().order_by(code_proposals.c.id)
    if coder is not None:
        query = query.where(coders.c.name == coder)
    if status is not None:
        query = query.where(code_proposals.c.status == status)
    with project.store.read() as conn:
        return [_proposal(row) for row in conn.execute(query)]


def proposal(project: ProjectContext, proposal_id: int) -> CodeProposal:
    """One proposal by number; NotFoundError when there is none."""
    with project.store.read() as conn:
        row = conn.execute(_select().where(code_proposals.c.id == proposal_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"no code proposal {proposal_id}")
    return _proposal(row)


def open_code_ids(conn: Connection) -> set[str]:
    """The code ids of open proposals (known codes for the orphan checks)."""
    query = select(code_proposals.c.code_id).where(code_proposals.c.status == "open")
    return {str(code) for code in conn.execute(query).scalars()}


def open_proposal_ids(store: Store) -> set[str]:
    """``open_code_ids`` in a read transaction of its own."""
    with store.read() as conn:
        return open_code_ids(conn)


def taken_code_ids(project: ProjectContext) -> set[str]:
    """Every code id any proposal ever used (ids are never reused)."""
    with project.store.read() as conn:
        return {str(c) for c in conn.execute(select(code_proposals.c.code_id)).scalars()}


def add_proposal(
    project: ProjectContext,
    coder: str,
    code_id: str,
    labels: Mapping[str, str],
    parent: str | None,
    description: str,
    hotkey: str | None,
) -> int:
    """Record a proposal (and a ``proposal.add`` event); returns its number."""
    with project.store.write() as conn:
        who = ensure_coder(conn, coder)
        clash = select(code_proposals.c.id).where(code_proposals.c.code_id == code_id)
        if conn.execute(clash).first() is not None:
            raise CoderError(f"code id {code_id!r} was proposed already")
        result = conn.execute(
            insert(code_proposals).values(
                code_id=code_id,
                coder_id=who,
                labels=json.dumps(dict(labels), ensure_ascii=False),
                parent=parent,
                description=description,
                hotkey=hotkey,
                created_at=now(),
            )
        )
        number = int(result.inserted_primary_key[0])  # type: ignore[index]
        payload = {"proposal": number, "code": code_id, "labels": dict(labels), "parent": parent}
        log_event(conn, who, "proposal.add", payload)
        return number


def mark_decided(conn: Connection, proposal_id: int, status: str, into: str | None) -> None:
    """Close an open proposal as ``accepted``, ``merged`` or ``rejected``."""
    changed = conn.execute(
        update(code_proposals)
        .where(code_proposals.c.id == proposal_id, code_proposals.c.status == "open")
        .values(status=status, decided_into=into, decided_at=now())
    )
    if not changed.rowcount:
        raise CoderError(f"code proposal {proposal_id} is not open")


def close_proposal(
    project: ProjectContext,
    lead: str,
    found: CodeProposal,
    status: str,
    *,
    into: str | None = None,
) -> int:
    """Merge (codings move to ``into``) or reject (codings removed) a proposal, in one
    transaction with a ``proposal.<status>`` event holding the codings; returns how many."""
    from coder.store.codebook_changes import move_codings

    with project.store.write() as conn:
        who = ensure_coder(conn, lead)
        mark_decided(conn, found.id, status, into)
        ids = [
            int(i)
            for i in conn.execute(
                select(codings.c.id).where(codings.c.code_id == found.code_id)
            ).scalars()
        ]
        if status == "merged":
            assert into is not None
            moved = move_codings(conn, dict.fromkeys(ids, into))
        else:
            rows = conn.execute(select(codings).where(codings.c.id.in_(ids))).all()
            moved = [{key: row._mapping[key] for key in row._mapping} for row in rows]
            conn.execute(delete(codings).where(codings.c.id.in_(ids)))
        payload = {"proposal": found.id, "code": found.code_id, "into": into, "codings": moved}
        log_event(conn, who, f"proposal.{status}", payload)
        return len(moved)
