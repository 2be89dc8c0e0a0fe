"""``PatternDetector``: identity numbers, phone numbers, e-mail, street addresses and postcodes.

Checksums are not hand-written: fødselsnummer and D-nummer are validated by python-stdnum
(``stdnum.no.fodselsnummer``), phone numbers found and validated by ``phonenumbers`` for region
NO (with +47 and foreign numbers in international form). E-mail addresses, Norwegian street
addresses (``Storgata 12B``, ``Kong Oscars gate 4``) and postcode + place (``5003 Bergen``) are
patterns.
"""

from __future__ import annotations

import re

from coder.domain.language import function_words
from coder.privacy.categories import Category
from coder.privacy.found import Found

_UPPER = "A-ZÆØÅ"
_FNR = re.compile(r"(?<![\d\w])\d{6}[ .-]?\d{5}(?![\d\w])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
_STREET_WORDS = (
    "gata|gaten|gate|veien|vei|vegen|veg|stien|sti|plassen|plass|torget|torg|allé|alle|"
    "bakken|lia|lien|ringen|svingen|tunet|kroken|haugen|jordet"
)
_ADDRESS = re.compile(
    rf"(?<![\w])(?:[{_UPPER}][\w'-]*\s+){{0,2}}"
    rf"(?:[{_UPPER}][\w'-]*?(?:{_STREET_WORDS})|(?:{_STREET_WORDS}))"
    r"\s+\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?![\d])"
)
_FUNCTION_WORDS = function_words("nb") | function_words("en")
_POSTCODE = re.compile(rf"(?<![\w,.])\d{{4}}\s+[{_UPPER}][a-zæøå]+(?:[ -][{_UPPER}][a-zæøå]+)?")


class PatternDetector:
    """Finds pattern-shaped identifying information in a text."""

    def __init__(self, region: str = "NO") -> None:
        self.region = region

    def find(self, text: str) -> list[Found]:
        """Every hit, longest first where hits overlap."""
        from stdnum.no import fodselsnummer

        hits: list[Found] = []
        for match in _FNR.finditer(text):
            if fodselsnummer.is_valid(match.group(0)):
                hits.append(Found(match.start(), match.end(), Category.FNR, "pattern:fnr"))
        hits.extend(self._phones(text, hits))
        for match in _EMAIL.finditer(text):
            hits.append(Found(match.start(), match.end(), Category.EPOST, "pattern:email"))
        for match in _ADDRESS.finditer(text):
            start = match.start()
            # leading capitalised function words ("Da Storgata 5") are not part of the address
            while len(words := text[start : match.end()].split()) > 2:
                if words[0].lower() not in _FUNCTION_WORDS:
                    break
                start += len(words[0])
                start += len(text[start:]) - len(text[start:].lstrip())
            hits.append(Found(start, match.end(), Category.ADRESSE, "pattern:address"))
        for match in _POSTCODE.finditer(text):
            if match.group(0).split()[1].lower() in _FUNCTION_WORDS:
                continue
            hits.append(Found(match.start(), match.end(), Category.POSTNR, "pattern:postcode"))
        return _without_overlaps(hits)

    def _phones(self, text: str, taken: list[Found]) -> list[Found]:
        import phonenumbers

        found: list[Found] = []
        matcher = phonenumbers.PhoneNumberMatcher(
            text, self.region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            if any(t.start < match.end and match.start < t.end for t in taken):
                continue
            found.append(Found(match.start, match.end, Category.TELEFON, "pattern:phone"))
        return found


def _without_overlaps(hits: list[Found]) -> list[Found]:
    """Keep the longest of overlapping hits (earlier detectors win ties)."""
    kept: list[Found] = []
    for hit in sorted(hits, key=lambda h: -(h.end - h.start)):
        if all(hit.end <= k.start or k.end <= hit.start for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)
