"""Span selection inside an excerpt: whole words, moved by word, by sentence, or to an end."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…]+[»\"')\]]*$")
_PAUSE = re.compile(r"^[.…]+$")
_STARTS = re.compile(r"[«\"(\[]?[A-ZÆØÅ0-9]")


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
    sentence_ends: tuple[int, ...] = ()
    """Indexes of the words that end a sentence (the last word always does)."""

    @classmethod
    def start(cls, text: str, offset: int) -> SpanSelection:
        """Select the first word."""
        words = tuple((m.start(), m.end()) for m in _WORD.finditer(text)) or ((0, len(text)),)
        ends = [
            i
            for i, (start, end) in enumerate(words[:-1])
            if "\n" in text[end : words[i + 1][0]]
            or (
                _SENTENCE_END.search(text[start:end])
                and not _PAUSE.match(text[start:end])  # "Ja ... eh": a pause, not an end
                and _STARTS.match(text[words[i + 1][0] :])  # the next sentence starts anew
            )
        ]
        if not ends or ends[-1] != len(words) - 1:
            ends.append(len(words) - 1)
        return cls(words, offset, sentence_ends=tuple(ends))

    @property
    def range(self) -> tuple[int, int]:
        """The selection in transcript offsets."""
        return (self.offset + self.words[self.first][0], self.offset + self.words[self.last][1])

    def _with(self, first: int, last: int) -> SpanSelection:
        return SpanSelection(self.words, self.offset, first, last, self.sentence_ends)

    def move_end(self, step: int) -> SpanSelection:
        """Extend (step > 0) or shrink the selection at its end, by words."""
        return self._with(self.first, max(self.first, min(self.last + step, len(self.words) - 1)))

    def move_start(self, step: int) -> SpanSelection:
        """Move the start by words; the end follows if it would be passed."""
        first = max(0, min(self.first + step, len(self.words) - 1))
        return self._with(first, max(first, self.last))

    def move_end_by_sentence(self, step: int) -> SpanSelection:
        """Extend the end to the end of the next sentence (step > 0), or shrink it back to the
        end of the previous one (never before the first word)."""
        if step > 0:
            last = next((e for e in self.sentence_ends if e > self.last), self.last)
        else:
            last = next((e for e in reversed(self.sentence_ends) if e < self.last), self.first)
        return self._with(self.first, max(self.first, last))

    def to_end(self) -> SpanSelection:
        """Extend the selection to the end of the excerpt."""
        return self._with(self.first, len(self.words) - 1)

    def from_start(self) -> SpanSelection:
        """Move the start to the excerpt's first word."""
        return self._with(0, self.last)

    def covering(self, start: int, end: int) -> SpanSelection:
        """The whole words that overlap ``[start, end)`` (offsets relative to the excerpt)."""
        start, end = min(start, end), max(start, end)
        inside = [i for i, (a, b) in enumerate(self.words) if a < max(end, start + 1) and b > start]
        if not inside:  # between words: the nearest word after
            after = [i for i, (a, _) in enumerate(self.words) if a >= start]
            inside = [after[0] if after else len(self.words) - 1]
        return self._with(inside[0], inside[-1])
