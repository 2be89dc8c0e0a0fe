"""Selections onto excerpts: a range of a transcript becomes codings of the excerpts it covers.

A selection equal to an excerpt codes the whole excerpt; one inside an excerpt codes a span of
it. One that crosses excerpts codes every excerpt it covers, each with the part it covers
(the whole excerpt where it covers all of it). Parts outside every excerpt (speaker labels,
blank lines between turns) are dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExcerptRange:
    """An excerpt's place in its transcript."""

    id: int
    """Database id."""
    seq: int
    """Number within the transcript."""
    start: int
    """First code point."""
    end: int
    """One past the last."""


@dataclass(frozen=True, slots=True)
class Placement:
    """One excerpt a selection codes, and the part of it."""

    excerpt: ExcerptRange
    """The excerpt."""
    span: tuple[int, int] | None
    """The part coded, or None for the whole excerpt."""


class ExcerptIndex:
    """A transcript's excerpts, for finding the ones a range covers."""

    def __init__(self, excerpts: Sequence[ExcerptRange]) -> None:
        self._excerpts = sorted(excerpts, key=lambda e: e.start)
        self._starts = [e.start for e in self._excerpts]
        self._ends = [e.end for e in self._excerpts]

    def place(self, start: int, end: int) -> list[Placement]:
        """The excerpts ``[start, end)`` overlaps, each with the part it covers."""
        if start >= end:
            return []
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        placements: list[Placement] = []
        for excerpt in self._excerpts[first:last]:
            low, high = max(start, excerpt.start), min(end, excerpt.end)
            if low >= high:
                continue
            whole = (low, high) == (excerpt.start, excerpt.end)
            placements.append(Placement(excerpt, None if whole else (low, high)))
        return placements

    def first_at(self, position: int) -> ExcerptRange | None:
        """The excerpt holding ``position``, else the next one after it, else the last."""
        if not self._excerpts:
            return None
        index = bisect_right(self._ends, position)
        return self._excerpts[min(index, len(self._excerpts) - 1)]
