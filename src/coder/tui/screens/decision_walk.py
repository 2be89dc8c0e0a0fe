"""``undecided_after``: the next item without a decision, for the lead's walk-through screens.

The disagreement walk (codes) and the rating-consensus walk (case ratings) both step to the
next undecided item, wrapping round; this is that step, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Decidable(Protocol):
    """An item of a walk-through: its decision, or None while undecided."""

    @property
    def decision(self) -> object:
        """The recorded decision (None: undecided)."""
        ...


def undecided_after(items: Sequence[Decidable], index: int) -> int | None:
    """The index of the first undecided item after ``index`` (wrapping round), or None."""
    count = len(items)
    for offset in range(1, count + 1):
        probe = (index + offset) % count
        if items[probe].decision is None:
            return probe
    return None
