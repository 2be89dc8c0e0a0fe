"""``Found``: one span a detector flagged in one text (before it becomes a key entry)."""

from __future__ import annotations

from dataclasses import dataclass

from coder.privacy.categories import Category


@dataclass(frozen=True, slots=True)
class Found:
    """A detector's hit."""

    start: int
    """First code point in the text."""
    end: int
    """One past the last."""
    category: Category
    """The detector's guess of the kind."""
    source: str
    """Which detector: ``pattern:fnr``, ``capitalised``, ``spacy:PER``, ``list``."""

    def text_in(self, text: str) -> str:
        """The words flagged."""
        return text[self.start : self.end]
