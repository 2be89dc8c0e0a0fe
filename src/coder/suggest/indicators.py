"""``IndicatorMatcher``: the codebook's indicator phrases and token patterns, matched on norms.

Phrases are run through the same pipeline as the excerpts, so they are compared stem by stem
(``PhraseMatcher(attr="NORM")``): the indicator ``mobbing`` meets ``mobbingen`` and ``mobbet``.
Token patterns (``patterns:`` in the codebook) go to a spaCy ``Matcher`` as written. Every hit
keeps the matched words and their character offsets in the excerpt: that is the reason shown
to the coder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from coder.domain.codebook import Codebook


@dataclass(frozen=True, slots=True)
class IndicatorHit:
    """One indicator found in an excerpt."""

    code_id: str
    """The code whose indicator matched."""
    start: int
    """First character of the matched words, relative to the excerpt."""
    end: int
    """One past the last character."""
    text: str
    """The matched words as they stand in the excerpt."""
    indicator: str
    """The codebook phrase (or ``pattern N``) that matched."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "code": self.code_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "indicator": self.indicator,
        }


class IndicatorMatcher:
    """Finds indicator hits per code in processed docs."""

    def __init__(self, nlp: Language, codebook: Codebook, language: str) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.language = language
        """Which language's indicator phrases are used."""
        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._patterns = Matcher(nlp.vocab)
        self._labels: dict[int, tuple[str, str]] = {}
        self._phrase_text: dict[tuple[str, tuple[str, ...]], str] = {}
        codes: list[str] = []
        for code in codebook.active_codes:
            phrases = [p for p in code.indicators.get(language, ()) if p.strip()]
            if phrases:
                key = f"{code.id}\x1fphrases"
                docs = list(nlp.pipe(phrases))
                self._phrases.add(key, docs)
                self._labels[nlp.vocab.strings.add(key)] = (code.id, "")
                for phrase, doc in zip(phrases, docs, strict=True):
                    self._phrase_text[(code.id, tuple(t.norm_ for t in doc))] = phrase
            for number, pattern in enumerate(code.patterns, start=1):
                key = f"{code.id}\x1fpattern{number}"
                try:
                    self._patterns.add(key, [pattern])  # type: ignore[list-item]
                except Exception as exc:  # spaCy raises ValueError or MatchPatternError
                    raise CoderError(
                        f"{codebook.source or 'codebook'}: code {code.id!r}: patterns[{number - 1}]"
                        f" is not a valid spaCy Matcher pattern: {exc}"
                    ) from None
                self._labels[nlp.vocab.strings.add(key)] = (code.id, f"pattern {number}")
            if phrases or code.patterns:
                codes.append(code.id)
        self.codes: tuple[str, ...] = tuple(codes)
        """Codes that have at least one indicator or pattern in this language."""

    def hits(self, doc: Doc) -> list[IndicatorHit]:
        """All hits in ``doc``, in text order; offsets relative to ``doc.text``."""
        found: list[IndicatorHit] = []
        for match_id, start, end in self._phrases(doc):
            code_id = self._labels[match_id][0]
            span = doc[start:end]
            norms = tuple(t.norm_ for t in span)
            phrase = self._phrase_text.get((code_id, norms), span.text)
            found.append(IndicatorHit(code_id, span.start_char, span.end_char, span.text, phrase))
        for match_id, start, end in self._patterns(doc) if len(self._patterns) else ():
            code_id, label = self._labels[match_id]
            span = doc[start:end]
            found.append(IndicatorHit(code_id, span.start_char, span.end_char, span.text, label))
        found.sort(key=lambda hit: (hit.start, hit.end, hit.code_id))
        return found

    def counts(self, doc: Doc) -> dict[str, int]:
        """Number of hits per code in ``doc``."""
        result: dict[str, int] = {}
        for hit in self.hits(doc):
            result[hit.code_id] = result.get(hit.code_id, 0) + 1
        return result
