"""``CapitalisedDetector``: capitalised words in mid-sentence, flagged as candidate names.

Norwegian capitalises little but names, so a capitalised word that does not start a sentence
(or a speaker turn) is a likely person, place or school. Skipped: words of the codebook (labels,
indicators, examples), the common-word list shipped with coder (``common_words.txt``: the English
*I*, months, services such as NAV, apps), and words the transcripts also use in lower case
(*Skole* when *skole* occurs too). Runs of capitalised words (*Sara Hansen*, *Bakken
ungdomsskole*) are one candidate; the category is guessed from the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources

from coder.privacy.categories import Category
from coder.privacy.found import Found

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITAL = re.compile(r"[A-ZÆØÅÄÖÜÉ][\w'’-]*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;«»\"“”()\[\]…–#*>|-])\s*$")
_SCHOOL = re.compile(r"(skole|skolen|gymnas|gymnaset|vgs|videregående|school|college)$", re.I)
_INSTITUTION = re.compile(r"(kommune|kontor|kontoret|senter|senteret|klinikk|sykehus)$", re.I)
_WORKPLACE = re.compile(r"(AS|ASA|butikk|butikken|kafé|kafe|verksted)$")
_PLACE_BEFORE = frozenset(
    [
        "i",
        "på",
        "fra",
        "til",
        "ved",
        "nær",
        "utenfor",
        "mot",
        "gjennom",
        "in",
        "from",
        "to",
        "at",
        "near",
        "outside",
        "around",
    ]
)
_LOWER_NEXT_JOINS = frozenset({"ungdomsskole", "skole", "videregående", "barneskole", "kommune"})


def common_words() -> frozenset[str]:
    """The shipped common-word list, case-folded."""
    text = resources.files("coder.privacy").joinpath("common_words.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def lower_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Words that occur in lower case anywhere in ``texts``."""
    return frozenset(w for t in texts for w in _WORD.findall(t) if w[:1].islower())


class CapitalisedDetector:
    """Flags capitalised mid-sentence words that are none of the known words."""

    def __init__(self, known: Iterable[str], lower_words: frozenset[str]) -> None:
        self.known = common_words() | frozenset(word.casefold() for word in known)
        self.lower_words = lower_words

    def _ordinary(self, word: str) -> bool:
        """A word that names no one: known, used in lower case, an acronym, a plural of one."""
        folded = word.casefold()
        if folded in self.known or folded in self.lower_words or len(word) < 2:
            return True
        if word.isupper():  # acronyms and shouting: FIKTIVT, BUP, ADHD
            return True
        if folded.endswith("s") and folded[:-1] in self.known:  # Thursdays
            return True
        head, _, rest = word.partition("-")
        # NAV-kontoret, CV-kurs, DPS-en: a known word or acronym, then lower case
        return bool(rest) and rest.islower() and (head.isupper() or head.casefold() in self.known)

    def find(self, text: str) -> list[Found]:
        """Candidate spans, left to right."""
        hits: list[Found] = []
        position = 0
        for match in _CAPITAL.finditer(text):
            if match.start() < position:
                continue
            before = text[max(0, match.start() - 40) : match.start()]
            line_start = "\n" in before and not before.rsplit("\n", 1)[1].strip()
            if not before.strip() or line_start or _SENTENCE_END.search(before):
                continue
            if (
                self._ordinary(match.group(0))
                or match.group(0).isupper()
                and len(match.group(0)) < 3
            ):
                continue
            end = self._run_end(text, match.end())
            position = end
            hits.append(
                Found(match.start(), end, self._category(text, match.start(), end), "capitalised")
            )
        return hits

    def _run_end(self, text: str, end: int) -> int:
        """Extend over following capitalised words and a joined school/office word."""
        while True:
            nxt = re.match(r"[ \t]+([\w'’-]+)", text[end:])
            if nxt is None:
                return end
            word = nxt.group(1)
            if (
                word[:1].isupper() and not self._ordinary(word)
            ) or word.lower() in _LOWER_NEXT_JOINS:
                end += nxt.end()
                continue
            return end

    def _category(self, text: str, start: int, end: int) -> Category:
        words = text[start:end].split()
        last = words[-1]
        if _SCHOOL.search(last):
            return Category.SKOLE
        if _INSTITUTION.search(last):
            return Category.INSTITUSJON
        if _WORKPLACE.search(last):
            return Category.ARBEID
        previous = text[max(0, start - 20) : start].split()
        if previous and previous[-1].lower() in _PLACE_BEFORE:
            return Category.STED
        return Category.NAVN
