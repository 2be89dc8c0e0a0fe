"""``OffsetMap``: rewrite a text by replacements and map old character offsets to new ones.

Pseudonymising replaces words by placeholders of another length, so every stored offset into a
transcript (excerpt bounds, coded spans) has to move. A boundary outside every replaced range
moves by the change in length before it; a boundary strictly inside a replaced range moves to the
placeholder's start (for a start) or end (for an end), so a span never cuts a placeholder in two.
Pure: no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace ``text[start:end]`` by ``new``."""

    start: int
    """First code point replaced."""
    end: int
    """One past the last code point replaced."""
    new: str
    """The text put in its place."""


class OffsetMap:
    """Replacements applied to one text, with old -> new offset mapping.

    Replacements must not overlap; they are sorted here. Offsets are code points.
    """

    def __init__(self, text: str, replacements: Iterable[Replacement]) -> None:
        ordered = sorted(replacements, key=lambda r: (r.start, r.end))
        previous = 0
        for item in ordered:
            if not 0 <= item.start < item.end <= len(text):
                raise ValueError(f"replacement {item.start}-{item.end} is outside the text")
            if item.start < previous:
                raise ValueError(f"replacements overlap at {item.start}")
            previous = item.end
        self.old = text
        self.replacements: tuple[Replacement, ...] = tuple(ordered)
        self._starts = [r.start for r in ordered]
        self._new_starts: list[int] = []
        pieces: list[str] = []
        cursor = 0
        shift = 0
        for item in ordered:
            pieces.append(text[cursor : item.start])
            self._new_starts.append(item.start + shift)
            pieces.append(item.new)
            shift += len(item.new) - (item.end - item.start)
            cursor = item.end
        pieces.append(text[cursor:])
        self.new = "".join(pieces)

    @property
    def changed(self) -> bool:
        """Whether the text changed at all."""
        return self.new != self.old

    def _locate(self, offset: int) -> tuple[Replacement | None, int]:
        """The last replacement starting at or before ``offset``, and where it starts now."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return None, 0
        return self.replacements[index], self._new_starts[index]

    def start(self, offset: int) -> int:
        """New position of a range start at ``offset``."""
        return self._map(offset, as_end=False)

    def end(self, offset: int) -> int:
        """New position of a range end at ``offset``."""
        return self._map(offset, as_end=True)

    def _map(self, offset: int, *, as_end: bool) -> int:
        if not 0 <= offset <= len(self.old):
            raise ValueError(f"offset {offset} is outside the text (0-{len(self.old)})")
        item, new_start = self._locate(offset)
        if item is None:
            return offset
        if offset == item.start:
            return new_start
        if offset < item.end:
            return new_start + len(item.new) if as_end else new_start
        return new_start + len(item.new) + (offset - item.end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """New bounds of the range ``[start, end)``."""
        return self.start(start), self.end(end)


def replace_all(text: str, replacements: Sequence[Replacement]) -> str:
    """``text`` with the replacements applied (a shortcut for ``OffsetMap(...).new``)."""
    return OffsetMap(text, replacements).new
