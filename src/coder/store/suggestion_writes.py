"""Writes for suggestions: a coder's rejection, and the model's claims stored as coder ``model``.

Each function is one transaction. Accepting a suggestion is an ordinary ``apply_code`` with
origin ``suggestion`` (``coder.store.operations``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Connection

from coder.domain.coders import MODEL
from coder.domain.events import CODE, EXCERPT, SUGGESTION_REJECTED, SUGGESTION_SHOWN
from coder.domain.transcript import Origin
from coder.errors import NotFoundError
from coder.store.database import now
from coder.store.operations import check_code, insert_coding, log_event
from coder.store.schema import codings, excerpts, reviews

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


def _check_excerpt(conn: Connection, excerpt_id: int) -> None:
    if conn.execute(select(excerpts.c.id).where(excerpts.c.id == excerpt_id)).first() is None:
        raise NotFoundError(f"unknown excerpt id {excerpt_id}")


def log_rejection(project: ProjectContext, coder: str, excerpt_id: int, code_id: str) -> int:
    """Record that ``coder`` rejected suggesting ``code_id`` here; returns the event id."""
    check_code(project, code_id)
    who = project.store.coder_id(coder)
    with project.store.write() as conn:
        _check_excerpt(conn, excerpt_id)
        payload = {EXCERPT: excerpt_id, CODE: code_id}
        # one of the coder's undoable steps: ``u`` takes it back (readers then skip it)
        return log_event(conn, who, SUGGESTION_REJECTED, payload, undoable=True)


def store_claims(
    project: ProjectContext,
    excerpt_id: int,
    claimed: Sequence[str],
    shown: Sequence[dict[str, Any]],
) -> bool:
    """Make the ``model`` coder's codings on an excerpt exactly ``claimed`` (sorted code ids),
    mark it reviewed by the model, and log what was ``shown``; True when the claims changed."""
    who = project.store.coder_id(MODEL)
    with project.store.write() as conn:
        _check_excerpt(conn, excerpt_id)
        mine = and_(codings.c.coder_id == who, codings.c.excerpt_id == excerpt_id)
        before = sorted(
            {str(c) for c in conn.execute(select(codings.c.code_id).where(mine)).scalars()}
        )
        review = and_(reviews.c.coder_id == who, reviews.c.excerpt_id == excerpt_id)
        reviewed = conn.execute(select(reviews.c.coder_id).where(review)).first() is not None
        if before == list(claimed) and reviewed:
            return False
        removed = [code for code in before if code not in claimed]
        if removed:
            conn.execute(delete(codings).where(mine, codings.c.code_id.in_(removed)))
        at = now()
        for code in claimed:
            version = project.codebook.version
            insert_coding(conn, who, excerpt_id, code, Origin.SUGGESTION.value, None, at, version)
        if not reviewed:
            conn.execute(
                insert(reviews).values(coder_id=who, excerpt_id=excerpt_id, reviewed_at=at)
            )
        payload = {
            EXCERPT: excerpt_id,
            "shown": list(shown),
            "before": before,
            "after": list(claimed),
        }
        log_event(conn, who, SUGGESTION_SHOWN, payload)
        return True
