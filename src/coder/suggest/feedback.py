"""What happens to a suggestion: accepted, rejected, and (always) recorded as shown.

- ``accept``: the coder's keystroke applies the code, as a coding with origin ``suggestion``.
- ``reject``: one event ``suggestion.reject`` (no schema change), which later training reads as
  a hard negative for that code on that excerpt.
- ``record_shown``: what the model claimed on an excerpt is stored under the coder ``model``
  (codings with origin ``suggestion`` for the codes at or above threshold, and a reviewed mark,
  so the codes it did not suggest count as observed absences). The agreement report can then
  compare the model with each human like any other coder. Showing the same excerpt again with
  the same claims changes nothing; a retrained model's new claims replace its old ones on that
  excerpt (the event log keeps both).

Each function is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coder.domain.coders import MODEL as MODEL_CODER
from coder.domain.transcript import Origin
from coder.errors import NotFoundError
from coder.suggest.training_data import REJECT_EVENT

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.suggest.suggester import Suggestion

SHOWN_EVENT = "suggestion.shown"
"""Event kind logged when the model's claims on an excerpt change."""


def accept(project: Project, coder: str, excerpt_id: int, code_id: str) -> bool:
    """Apply a suggested code for ``coder`` (origin ``suggestion``); False if already applied."""
    from coder.store.operations import apply_code

    return apply_code(project, coder, excerpt_id, code_id, origin=Origin.SUGGESTION)


def reject(project: Project, coder: str, excerpt_id: int, code_id: str) -> int:
    """Record that ``coder`` rejected suggesting ``code_id`` here; returns the event id."""
    from sqlalchemy import select

    from coder.store.database import writer
    from coder.store.operations import check_code, log_event
    from coder.store.schema import excerpts

    check_code(project, code_id)
    who = project.store.coder_id(coder)
    with writer(project.engine).begin() as conn:
        found = conn.execute(select(excerpts.c.id).where(excerpts.c.id == excerpt_id)).first()
        if found is None:
            raise NotFoundError(f"unknown excerpt id {excerpt_id}")
        return log_event(conn, who, REJECT_EVENT, {"excerpt": excerpt_id, "code": code_id})


def record_shown(project: Project, excerpt_id: int, suggestions: Sequence[Suggestion]) -> bool:
    """Store the model's claims on an excerpt under the coder ``model``; True when they changed."""
    from sqlalchemy import and_, delete, insert, select

    from coder.store.database import now, writer
    from coder.store.operations import insert_coding, log_event
    from coder.store.schema import codings, excerpts, reviews

    claimed = sorted(
        {
            s.code_id
            for s in suggestions
            if s.above_threshold and project.codebook.has_code(s.code_id)
        }
    )
    who = project.store.coder_id(MODEL_CODER)
    with writer(project.engine).begin() as conn:
        found = conn.execute(select(excerpts.c.id).where(excerpts.c.id == excerpt_id)).first()
        if found is None:
            raise NotFoundError(f"unknown excerpt id {excerpt_id}")
        mine = and_(codings.c.coder_id == who, codings.c.excerpt_id == excerpt_id)
        before = sorted(
            {str(c) for c in conn.execute(select(codings.c.code_id).where(mine)).scalars()}
        )
        review = and_(reviews.c.coder_id == who, reviews.c.excerpt_id == excerpt_id)
        reviewed = conn.execute(select(reviews.c.coder_id).where(review)).first() is not None
        if before == claimed and reviewed:
            return False
        removed = [code for code in before if code not in claimed]
        if removed:
            conn.execute(delete(codings).where(mine, codings.c.code_id.in_(removed)))
        at = now()
        for code in claimed:
            insert_coding(conn, who, excerpt_id, code, Origin.SUGGESTION.value, None, at)
        if not reviewed:
            conn.execute(
                insert(reviews).values(coder_id=who, excerpt_id=excerpt_id, reviewed_at=at)
            )
        shown = [
            {"code": s.code_id, "score": round(s.score, 4), "threshold": s.threshold}
            for s in suggestions
        ]
        payload = {"excerpt": excerpt_id, "shown": shown, "before": before, "after": claimed}
        log_event(conn, who, SHOWN_EVENT, payload)
        return True
