"""Selection positions from other tools, mapped onto coder's normalised text.

coder's offsets are code points of the normalised text (NFC, ``\\n`` line ends, no trailing
line ends). Other tools count positions in the source text as they stored it, and disagree on
how: a CRLF line end is one position in some tools and two in others, and some count UTF-16
code units (an emoji is two). ``PositionMap`` maps each way of counting onto coder's offsets;
``choose_mode`` picks the one under which the project's selections line up: every selection
inside its source, ends on word boundaries rather than inside words or line ends, and selected
text equal to the selection's name where the tool wrote it there.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

from coder.ingest.decoding import normalise
from coder.refi.document import RefiSelection


@dataclass(frozen=True, slots=True)
class PositionMode:
    """One way of counting positions."""

    crlf_units: int
    """Positions a CRLF line end counts for: 2 (as stored) or 1."""
    utf16: bool
    """Whether characters outside the BMP count as two (UTF-16 code units)."""

    def describe(self, *, crlf: bool = True) -> str:
        """For messages; ``crlf`` says whether the texts had CRLF line ends at all."""
        unit = "UTF-16 code units" if self.utf16 else "code points"
        if not crlf:
            return unit
        count = "two" if self.crlf_units == 2 else "one"
        return f"{unit}, a CRLF line end counting as {count}"


MODES = (
    PositionMode(2, False),
    PositionMode(1, False),
    PositionMode(2, True),
    PositionMode(1, True),
)
"""Every way of counting, the standard's reading (code points of the text as stored) first."""


def _joins(before: str, char: str) -> bool:
    """Whether NFC may merge ``char`` into what comes before it."""
    if unicodedata.combining(char) != 0:
        return True
    nfc = unicodedata.normalize
    return nfc("NFC", before + char) != nfc("NFC", before) + nfc("NFC", char)


def _nfc_map(text: str) -> tuple[str, list[int]]:
    """NFC of ``text`` and, for each index 0..len(text), the offset it maps to (floor)."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    chunks: list[str] = []
    for char in text:
        if chunks and _joins(chunks[-1], char):
            chunks[-1] += char
        else:
            chunks.append(char)
    offsets: list[int] = []
    out: list[str] = []
    position = 0
    for chunk in chunks:
        done = unicodedata.normalize("NFC", chunk)
        offsets.extend([position] * len(chunk))
        out.append(done)
        position += len(done)
    offsets.append(position)
    return "".join(out), offsets


class _Clamped(Sequence[int]):
    """The identity map on ``0..size``, clamped to ``limit`` (trailing line ends dropped)."""

    def __init__(self, size: int, limit: int) -> None:
        self._size = size
        self._limit = limit

    def __len__(self) -> int:
        return self._size + 1

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index <= self._size:
            raise IndexError(index)
        return min(index, self._limit)


class PositionMap:
    """Maps positions in one source's stored text onto coder's normalised text."""

    def __init__(self, raw: str) -> None:
        self.raw = raw.lstrip("\ufeff")
        self._has_crlf = "\r\n" in self.raw
        self._has_astral = any(ord(char) > 0xFFFF for char in self.raw)
        self._cache: dict[PositionMode, tuple[Sequence[int], set[int]]] = {}
        self._raw_to_text: Sequence[int] | None = None
        if "\r" not in self.raw and unicodedata.is_normalized("NFC", self.raw):
            self.text = self.raw.rstrip("\n")
            """The normalised text: what coder stores for this source."""
            return
        collapsed_parts: list[str] = []
        raw_to_collapsed = array("q")
        index, count, size = 0, 0, len(self.raw)
        while index < size:
            char = self.raw[index]
            raw_to_collapsed.append(count)
            if char == "\r" and index + 1 < size and self.raw[index + 1] == "\n":
                raw_to_collapsed.append(count)
                index += 1
            collapsed_parts.append("\n" if char == "\r" else char)
            count += 1
            index += 1
        raw_to_collapsed.append(count)
        text, collapsed_to_text = _nfc_map("".join(collapsed_parts))
        self.text = text.rstrip("\n")
        self._raw_to_text = array("q", (collapsed_to_text[c] for c in raw_to_collapsed))

    @property
    def ambiguous(self) -> bool:
        """Whether tools may count this text differently (it has CRLFs or non-BMP characters)."""
        return self._has_crlf or self._has_astral

    @property
    def has_crlf(self) -> bool:
        """Whether the stored text has CRLF line ends."""
        return self._has_crlf

    def effective(self, mode: PositionMode) -> PositionMode:
        """The mode that counts this text the same as ``mode`` (CRLF or UTF-16 may not matter)."""
        return PositionMode(
            mode.crlf_units if self._has_crlf else 2, mode.utf16 and self._has_astral
        )

    def _units(self, mode: PositionMode) -> tuple[Sequence[int], set[int]]:
        """Unit position -> text offset, and the unit positions that split a character."""
        mode = self.effective(mode)
        if mode in self._cache:
            return self._cache[mode]
        limit = len(self.text)
        if self._raw_to_text is None and not mode.utf16:
            identity = _Clamped(len(self.raw), limit)
            self._cache[mode] = (identity, set())
            return self._cache[mode]
        raw, to_raw, bad = self.raw, array("q"), set()
        index, size = 0, len(raw)
        while index < size:
            char = raw[index]
            if char == "\r" and index + 1 < size and raw[index + 1] == "\n":
                to_raw.append(index)
                if mode.crlf_units == 2:
                    bad.add(len(to_raw))
                    to_raw.append(index + 1)
                index += 2
                continue
            to_raw.append(index)
            if mode.utf16 and ord(char) > 0xFFFF:
                bad.add(len(to_raw))
                to_raw.append(index)
            index += 1
        to_raw.append(size)
        mapped = self._raw_to_text
        units = array("q", (min(i if mapped is None else mapped[i], limit) for i in to_raw))
        self._cache[mode] = (units, bad)
        return self._cache[mode]

    def keep(self, mode: PositionMode) -> None:
        """Forget the maps of every other way of counting (they can be large)."""
        chosen = self.effective(mode)
        for other in [m for m in self._cache if m != chosen]:
            del self._cache[other]

    def length(self, mode: PositionMode) -> int:
        """How many positions the source has when counted this way."""
        return len(self._units(mode)[0]) - 1

    def inside(self, mode: PositionMode, start: int, end: int) -> bool:
        """Whether ``[start, end)`` is a range of the source counted this way."""
        return 0 <= start <= end <= self.length(mode)

    def to_text(self, mode: PositionMode, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` as offsets into ``text``; the range must be ``inside``."""
        units = self._units(mode)[0]
        return units[start], units[end]

    def score(self, mode: PositionMode, selections: Iterable[RefiSelection]) -> int:
        """How well the selections line up under ``mode`` (higher is better)."""
        units, bad = self._units(mode)
        text = self.text
        points = 0
        for sel in selections:
            start, end = units[sel.start], units[sel.end]
            for position, unit in ((start, sel.start), (end, sel.end)):
                if unit in bad:
                    points -= 2
                elif not (0 < position < len(text)) or not (
                    text[position - 1].isalnum() and text[position].isalnum()
                ):
                    points += 1
            name = normalise(sel.name).strip()
            selected = text[start:end].strip()
            size = min(len(name), len(selected), 30)
            if size and name[:size] == selected[:size]:
                points += 3
        return points


def choose_mode(
    sources: Sequence[tuple[PositionMap, Sequence[RefiSelection]]],
) -> PositionMode | None:
    """The way of counting under which every selection fits and the most line up, or None."""
    best: tuple[int, int] | None = None
    chosen: PositionMode | None = None
    for order, mode in enumerate(MODES):
        total = 0
        for positions, selections in sources:
            if not all(positions.inside(mode, s.start, s.end) for s in selections):
                break
            total += positions.score(mode, selections)
        else:
            key = (total, -order)
            if best is None or key > best:
                best, chosen = key, mode
    return chosen
