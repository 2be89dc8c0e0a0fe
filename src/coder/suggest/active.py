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
    from coder.store.training_reads import unreviewed_excerpts as unreviewed

    return unreviewed(project, coder, transcript_id=transcript_id)


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
