"""Where each excerpt's lines fall in the full-transcript reading view, for one width.

Textual-free and cheap: a block per excerpt (its speaker and text wrapped to the text column,
at least as many rows as it has codes in the margin, then a blank row), kept as offsets into
the excerpt's text. Laying out a 3,000-excerpt transcript wraps words only (tens of ms); the
reading view styles and paints only the rows on screen.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from coder.domain.transcript import Excerpt

_WORD = re.compile(r"\S+\s*")


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` wrapped at word boundaries to ``width`` cells.

    Line breaks in the text start new lines (an empty one stays a row); a word wider than
    the line is cut where the line is full. Spaces at the end of a line take no room (the
    view strips them), nor do those at the start of a paragraph.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    at = 0
    for paragraph in text.split("\n"):
        end = at + len(paragraph)
        start, used, space = at, 0, 0
        for match in _WORD.finditer(paragraph):
            word_start = at + match.start()
            word_end = word_start + len(match.group().rstrip())
            size = _width(text[word_start:word_end])
            if not used:
                start = word_start
            elif used + space + size > width:
                lines.append((start, word_start))
                start, used = word_start, 0
            else:
                used += space
            while size > width:  # a word longer than a whole line: cut it where it is full
                cut = _cut_at(text, word_start, width)
                lines.append((word_start, cut))
                word_start = start = cut
                size = _width(text[word_start:word_end])
            used += size
            space = at + match.end() - word_end
        lines.append((start, end) if used else (at, end))
        at = end + 1
    return lines


def _cut_at(text: str, start: int, width: int) -> int:
    """The offset after the most characters from ``start`` that fit ``width`` cells (>= 1)."""
    used, at = 0, start
    while at < len(text) and used + cell_len(text[at]) <= width:
        used += cell_len(text[at])
        at += 1
    return max(at, start + 1)


@dataclass(frozen=True, slots=True)
class Block:
    """One excerpt's rows: its display text and where each of its lines is in it."""

    text: str
    """``Speaker: text`` as shown."""
    label_end: int
    """Where the speaker prefix ends in ``text`` (0 without a speaker)."""
    lines: tuple[tuple[int, int], ...]
    """(start, end) in ``text`` of each wrapped line."""
    rows: int
    """Rows the block takes, its blank separator row included."""


def block_text(excerpt: Excerpt) -> tuple[str, int]:
    """The text a block shows for an excerpt, and where its speaker prefix ends."""
    prefix = f"{excerpt.speaker}: " if excerpt.speaker else ""
    return prefix + excerpt.text.strip("\n"), len(prefix)


class TranscriptLayout:
    """The blocks of a transcript at one text width, and which block a row belongs to."""

    def __init__(
        self, excerpts: Sequence[Excerpt], text_width: int, codes: Callable[[Excerpt], int]
    ) -> None:
        self.text_width = max(1, text_width)
        """Cells of the text column."""
        self.blocks: list[Block] = []
        """One per excerpt, in order."""
        self.tops: list[int] = []
        """The first row of each block."""
        row = 0
        for excerpt in excerpts:
            text, label_end = block_text(excerpt)
            lines = tuple(wrap(text, self.text_width))
            rows = max(len(lines), codes(excerpt)) + 1
            self.blocks.append(Block(text, label_end, lines, rows))
            self.tops.append(row)
            row += rows
        self.height = row
        """Rows of the whole transcript."""

    def block_at(self, row: int) -> tuple[int, int]:
        """(excerpt index, row inside its block) of a row of the view (clamped)."""
        if not self.blocks:
            return 0, 0
        row = max(0, min(row, self.height - 1))
        index = bisect_right(self.tops, row) - 1
        return index, row - self.tops[index]
