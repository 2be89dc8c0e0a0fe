"""``CaseFilter``: ``ATTRIBUTE=LEVEL`` (``relational_robustness=trembling``), codebook-checked.

Retrieval (``coder retrieve --where``) and the case x code matrix (``coder report matrix
--where``) keep the units whose case has that value. The attribute is given by id; the level by
id or by its label in any language, any case (``Skjelvende`` finds ``trembling``). An unknown
attribute or level is an error that lists what there is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from coder.domain.codebook import Codebook
from coder.errors import CoderError


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Keep cases whose ``attribute`` has the value ``level``."""

    attribute: str
    """Attribute id."""
    level: str
    """Level id (or the value, for attributes without levels)."""

    @classmethod
    def parse(cls, text: str, codebook: Codebook) -> CaseFilter:
        """``ATTRIBUTE=LEVEL``; ``CoderError`` naming what is wrong."""
        attribute, sign, level = unicodedata.normalize("NFC", text).partition("=")
        attribute, level = attribute.strip(), level.strip()
        if not sign or not attribute or not level:
            raise CoderError(
                f"--where {text!r}: write ATTRIBUTE=LEVEL, e.g. relational_robustness=trembling"
            )
        return cls.checked(attribute, level, codebook, f"--where {text!r}")

    @classmethod
    def checked(cls, attribute: str, level: str, codebook: Codebook, where: str) -> CaseFilter:
        """The filter, the level resolved to its id; ``CoderError`` for unknown names."""
        known = [spec.id for spec in codebook.attributes]
        if attribute not in known:
            raise CoderError(
                f"{where}: unknown case attribute {attribute!r} "
                f"(attributes: {', '.join(known) or 'none'})"
            )
        spec = codebook.attribute(attribute)
        if not spec.levels:
            return cls(attribute, level)
        folded = level.casefold()
        for candidate in spec.levels:
            names = {candidate.id, *candidate.label.values()}
            if any(name.casefold() == folded for name in names):
                return cls(attribute, candidate.id)
        levels = ", ".join(candidate.id for candidate in spec.levels)
        raise CoderError(f"{where}: {attribute} has no level {level!r} (levels: {levels})")

    def describe(self) -> str:
        """``attribute=level``."""
        return f"{self.attribute}={self.level}"
