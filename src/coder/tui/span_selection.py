"""Keyboard span selection inside an excerpt, word by word."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class SpanSelection:
    """A run of whole words ``[first, last]`` of an excerpt's text."""

    words: tuple[tuple[int, int], ...]
    """(start, end) of each word, relative to the excerpt text."""
    offset: int
    """The excerpt's start in the transcript text."""
    first: int = 0
    """Index of the first selected word."""
    last: int = 0
    """Index of the last selected word."""

    @classmethod
    def start(cls, text: str, offset: int) -> SpanSelection:
        """Select the first word."""
        words = tuple((m.start(), m.end()) for m in _WORD.finditer(text))
        return cls(words or ((0, len(text)),), offset)

    @property
    def range(self) -> tuple[int, int]:
        """The selection in transcript offsets."""
        return (self.offset + self.words[self.first][0], self.offset + self.words[self.last][1])

    def move_end(self, step: int) -> SpanSelection:
        """Extend (step > 0) or shrink the selection at its end."""
        last = max(self.first, min(self.last + step, len(self.words) - 1))
        return SpanSelection(self.words, self.offset, self.first, last)

    def move_start(self, step: int) -> SpanSelection:
        """Move the start by words; the end follows if it would be passed."""
        first = max(0, min(self.first + step, len(self.words) - 1))
        return SpanSelection(self.words, self.offset, first, max(first, self.last))
