"""``Category``: what kind of identifying information a key entry is, and its placeholder."""

from __future__ import annotations

import re
from enum import StrEnum

from coder.errors import CoderError


class Category(StrEnum):
    """A kind of identifying information; the value is the placeholder's prefix."""

    NAVN = "NAVN"
    STED = "STED"
    SKOLE = "SKOLE"
    ARBEID = "ARBEID"
    INSTITUSJON = "INSTITUSJON"
    FNR = "FNR"
    TELEFON = "TELEFON"
    EPOST = "EPOST"
    ADRESSE = "ADRESSE"
    POSTNR = "POSTNR"
    ANNET = "ANNET"

    @property
    def label(self) -> str:
        """English description, for the CLI and the review screen."""
        return _LABELS[self]

    def placeholder(self, number: int) -> str:
        """The readable placeholder for the ``number``-th entry of this category."""
        return f"[{self.value}-{number}]"

    @classmethod
    def parse(cls, value: str) -> Category:
        """The category named ``value`` (any case, Norwegian or English name)."""
        wanted = value.strip().upper()
        for category in cls:
            if wanted in (category.value, category.name, category.label.upper()):
                return category
        if wanted in _ALIASES:
            return _ALIASES[wanted]
        names = ", ".join(c.value for c in cls)
        raise CoderError(f"unknown privacy category {value!r} (one of {names})")


_LABELS = {
    Category.NAVN: "person",
    Category.STED: "place",
    Category.SKOLE: "school",
    Category.ARBEID: "workplace",
    Category.INSTITUSJON: "office or institution",
    Category.FNR: "national identity number",
    Category.TELEFON: "phone number",
    Category.EPOST: "e-mail address",
    Category.ADRESSE: "street address",
    Category.POSTNR: "postcode",
    Category.ANNET: "other",
}
_ALIASES = {
    "PERSON": Category.NAVN,
    "NAME": Category.NAVN,
    "PER": Category.NAVN,
    "PLACE": Category.STED,
    "LOC": Category.STED,
    "GPE": Category.STED,
    "SCHOOL": Category.SKOLE,
    "ORG": Category.INSTITUSJON,
    "PHONE": Category.TELEFON,
    "EMAIL": Category.EPOST,
    "ADDRESS": Category.ADRESSE,
    "POSTCODE": Category.POSTNR,
    "OTHER": Category.ANNET,
}

PLACEHOLDER = re.compile(r"\[([A-ZÆØÅ]+)-(\d+)\]")
"""What an automatic placeholder looks like."""
