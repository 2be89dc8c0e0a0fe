"""Active learning: visit the excerpts the model is least sure about first.

An excerpt's uncertainty is the largest over its modelled codes of ``1 - |score - threshold| /
max(threshold, 1 - threshold)``: 1 when some code sits exactly on its threshold, 0 when every
code is clearly in or out. Coding those excerpts first teaches the model the most per keystroke.
Without a trained model every excerpt scores 0 and the order is the reading order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.suggest.suggester import Suggester


def uncertainty_order(
    suggester: Suggester, items: Sequence[tuple[int, str]]
) -> list[tuple[int, float]]:
    """(excerpt id, uncertainty) for (excerpt id, text) items, most uncertain first.

    Ties keep the order of ``items``.
    """
    values = suggester.uncertainty_many([text for _, text in items])
    ranked = sorted(range(len(items)), key=lambda i: -values[i])
    return [(items[i][0], values[i]) for i in ranked]


def unreviewed_excerpts(
    project: Project, coder: str, *, transcript_id: str | None = None
) -> list[tuple[int, str]]:
    """(excerpt id, text) of codable excerpts ``coder`` has not reviewed, in reading order."""
    from sqlalchemy import select

    from coder.store.schema import excerpts, reviews, transcripts

    who = project.store.coder_id(coder)
    seen = select(reviews.c.excerpt_id).where(reviews.c.coder_id == who)
    query = (
        select(excerpts.c.id, excerpts.c.transcript_id, excerpts.c.start, excerpts.c.end)
        .where(excerpts.c.codable.is_(True), excerpts.c.id.not_in(seen))
        .order_by(excerpts.c.transcript_id, excerpts.c.seq)
    )
    if transcript_id is not None:
        query = query.where(excerpts.c.transcript_id == transcript_id)
    with project.engine.connect() as conn:
        rows = conn.execute(query).all()
        wanted = sorted({str(row[1]) for row in rows})
        texts = {
            str(t): str(text)
            for t, text in conn.execute(
                select(transcripts.c.id, transcripts.c.text).where(transcripts.c.id.in_(wanted))
            )
        }
    return [(int(e), texts[str(t)][start:end]) for e, t, start, end in rows]


def most_uncertain(
    project: Project,
    coder: str,
    suggester: Suggester,
    *,
    transcript_id: str | None = None,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """The coder's unreviewed codable excerpts, most uncertain first."""
    ranked = uncertainty_order(
        suggester, unreviewed_excerpts(project, coder, transcript_id=transcript_id)
    )
    return ranked if limit is None else ranked[:limit]
