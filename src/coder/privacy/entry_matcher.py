"""``EntryMatcher``: every occurrence of a set of key entries in a text, as whole words.

Entries match in any case, with any run of white space between their words; a trailing genitive
``s`` stays outside the match (``Saras`` -> ``[NAVN-1]s``). Digit entries (identity and phone
numbers) match with or without spaces, dots or dashes between the digits, so ``91234567`` in the
key finds ``912 34 567`` too. Longer entries win where entries overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from coder.domain.offset_map import OffsetMap, Replacement
from coder.privacy.categories import Category
from coder.privacy.privacy_key import KeyEntry

DIGIT_CATEGORIES = frozenset({Category.FNR, Category.TELEFON})


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place an entry occurs."""

    start: int
    """First code point."""
    end: int
    """One past the last."""
    entry: KeyEntry
    """The entry found."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if (
        len(digits) == 10
        and digits.startswith("47")
        or len(digits) == 12
        and digits.startswith("0047")
    ):
        return digits[-8:]
    return digits


def entry_pattern(entry: KeyEntry) -> str:
    """The regular expression (without boundaries) that finds ``entry``."""
    if entry.category in DIGIT_CATEGORIES:
        digits = re.sub(r"\D", "", entry.text)
        if entry.category is Category.TELEFON and len(digits) == 10 and digits.startswith("47"):
            digits = digits[2:]  # +47 91234567 and 912 34 567 are one number
        if len(digits) >= 5:
            body = r"[\s.-]?".join(re.escape(d) for d in digits)
            if entry.category is Category.TELEFON:
                return rf"(?:(?:\+|00)\s?4\s?7[\s.-]?)?{body}"
            return body
    return r"\s+".join(re.escape(word) for word in entry.text.split())


class EntryMatcher:
    """A compiled matcher for some entries."""

    def __init__(self, entries: Iterable[KeyEntry]) -> None:
        ordered = sorted(
            {_fold(e.text): e for e in entries if e.text.strip()}.values(),
            key=lambda e: (-len(e.text), e.text),
        )
        self._entries = ordered
        self._by_fold = {_fold(e.text): e for e in ordered}
        self._digit_entries = {
            _digits(e.text): e for e in ordered if e.category in DIGIT_CATEGORIES
        }
        if ordered:
            body = "|".join(f"(?:{entry_pattern(e)})" for e in ordered)
            self._regex: re.Pattern[str] | None = re.compile(
                rf"(?<![\w@.])(?:{body})(?=s?(?![\w@]))", re.IGNORECASE
            )
        else:
            self._regex = None

    def __bool__(self) -> bool:
        return bool(self._entries)

    def _entry_for(self, found: str) -> KeyEntry | None:
        entry = self._by_fold.get(_fold(found))
        if entry is None:
            entry = self._digit_entries.get(_digits(found))
        return entry

    def finditer(self, text: str) -> Iterator[Occurrence]:
        """Occurrences in ``text``, left to right, never overlapping."""
        if self._regex is None:
            return
        for match in self._regex.finditer(text):
            entry = self._entry_for(match.group(0))
            if entry is not None:
                yield Occurrence(match.start(), match.end(), entry)

    def offset_map(self, text: str) -> OffsetMap:
        """The text with every occurrence replaced by its entry's replacement."""
        return OffsetMap(
            text,
            [Replacement(o.start, o.end, o.entry.replacement) for o in self.finditer(text)],
        )

    def replace(self, text: str) -> str:
        """``text`` pseudonymised (memos, case attributes, event payloads)."""
        return self.offset_map(text).new if self._regex is not None else text
