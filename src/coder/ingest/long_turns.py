"""Split a long turn into parts of at most ``max_chars``, at the best boundaries it has.

Boundaries are tried in order: paragraph breaks (blank lines), line breaks, sentence ends, and,
for a run of text more than twice ``max_chars`` with no sentence end at all (an unpunctuated
machine transcript), the white space between words. A finer boundary is used only inside a piece
the coarser ones left too long, so a turn with paragraphs is still cut at paragraphs. Every part
is a trimmed, non-empty range; parts are in order, disjoint, and lose only white space. A part
is longer than ``max_chars`` only when it is one sentence (up to twice ``max_chars``) or one
unbreakable word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

Span = tuple[int, int]

_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
"""A paragraph break: a line end followed by one or more blank (or white-space-only) lines."""
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
"""A line break with the white space around it."""
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(\s+)")
"""Sentence-final punctuation, closing quotes or brackets, then white space (group 1)."""
_WORD_GAP = re.compile(r"\s+")
"""White space between words."""


def trim(text: str, start: int, end: int) -> Span | None:
    """Shrink ``[start, end)`` past white space at both ends; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _pieces(text: str, start: int, end: int, gaps: Iterator[Span]) -> list[Span]:
    """Trimmed, non-empty pieces of ``text[start:end]`` between the ``gaps``."""
    found: list[Span] = []
    position = start
    for gap_start, gap_end in gaps:
        piece = trim(text, position, gap_start)
        if piece is not None:
            found.append(piece)
        position = gap_end
    piece = trim(text, position, end)
    if piece is not None:
        found.append(piece)
    return found


def paragraphs(text: str, start: int, end: int) -> list[Span]:
    """Trimmed, non-empty, blank-line separated paragraphs of ``text[start:end]``."""
    return _pieces(text, start, end, (m.span() for m in _BLANK_LINES.finditer(text, start, end)))


def lines(text: str, start: int, end: int) -> list[Span]:
    """Trimmed, non-empty lines of ``text[start:end]``."""
    return _pieces(text, start, end, (m.span() for m in _LINE_BREAK.finditer(text, start, end)))


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences of ``text[start:end]``: cut after ``. ! ? …`` when the next word is not lower case.

    A lower-case next word usually means an abbreviation (``f.eks. når``, ``e.g. when``), so no
    cut is made there.
    """
    gaps = (
        m.span(1)
        for m in _SENTENCE_END.finditer(text, start, end)
        if m.end() < end and not text[m.end()].islower()
    )
    return _pieces(text, start, end, gaps)


def words(text: str, start: int, end: int) -> list[Span]:
    """White-space separated words of ``text[start:end]``."""
    return _pieces(text, start, end, (m.span() for m in _WORD_GAP.finditer(text, start, end)))


Splitter = Callable[[str, int, int], list[Span]]
_LEVELS: tuple[Splitter, ...] = (paragraphs, lines, sentences, words)
_SENTENCE_SLACK = 2
"""A single sentence is kept whole up to this many times ``max_chars``; longer, words are cut."""


def split_turn(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """Parts of the trimmed ``text[start:end]``, each ``<= max_chars`` where a boundary allows."""
    span = trim(text, start, end)
    return [] if span is None else _split(text, span, max_chars, 0)


def split_paragraph_units(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """One part per paragraph of ``text[start:end]``, an over-long paragraph split further."""
    return [
        part
        for paragraph in paragraphs(text, start, end)
        for part in _split(text, paragraph, max_chars, 1)
    ]


def _split(text: str, span: Span, max_chars: int, level: int) -> list[Span]:
    """Split ``span`` at boundaries of ``_LEVELS[level]``, finer levels only where still long."""
    length = span[1] - span[0]
    if length <= max_chars or level >= len(_LEVELS):
        return [span]
    if _LEVELS[level] is words and length <= _SENTENCE_SLACK * max_chars:
        return [span]
    parts: list[Span] = []
    for part in merge_greedily(_LEVELS[level](text, *span), max_chars):
        parts.extend(_split(text, part, max_chars, level + 1))
    return parts


def merge_greedily(parts: Sequence[Span], max_chars: int) -> list[Span]:
    """Merge consecutive ``parts`` into ranges as long as possible but ``<= max_chars``.

    A range is measured from its first part's start to its last part's end. A single part
    longer than ``max_chars`` stays whole. When the whole span fits, it is one range.
    """
    if not parts:
        return []
    if parts[-1][1] - parts[0][0] <= max_chars:
        return [(parts[0][0], parts[-1][1])]
    merged: list[Span] = []
    current_start, current_end = parts[0]
    for start, end in parts[1:]:
        if end - current_start <= max_chars:
            current_end = end
        else:
            merged.append((current_start, current_end))
            current_start, current_end = start, end
    merged.append((current_start, current_end))
    return merged
