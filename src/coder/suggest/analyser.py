"""``Analyser``: runs the pipeline and the indicator matcher over texts, once per text.

Everything downstream (training, evaluation, suggestions) works on ``Analysis`` values: the
terms the classifier reads, the indicator hits, and where each stem sits in the text (so the
words that pushed a model score up can be highlighted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.suggest.features import KEPT_PUNCTUATION, terms_of
from coder.suggest.indicators import IndicatorHit, IndicatorMatcher
from coder.suggest.pipeline import PipelineInfo, load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

    from coder.domain.codebook import Codebook


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the suggester needs to know about one text."""

    terms: tuple[str, ...]
    """Stems and stem bigrams, as the classifier reads them."""
    hits: tuple[IndicatorHit, ...]
    """Indicator hits in text order."""
    stems: tuple[tuple[str, int, int], ...]
    """(stem, start, end) of each word, for highlighting model evidence."""

    def hit_counts(self) -> dict[str, int]:
        """Indicator hits per code."""
        counts: dict[str, int] = {}
        for hit in self.hits:
            counts[hit.code_id] = counts.get(hit.code_id, 0) + 1
        return counts


class Analyser:
    """A loaded pipeline plus the codebook's indicator matcher."""

    def __init__(
        self,
        codebook: Codebook,
        language: str,
        *,
        pipeline: str | None = None,
        loaded: tuple[Language, PipelineInfo] | None = None,
    ) -> None:
        self.nlp, self.info = loaded or load_pipeline(language, pipeline)
        """The spaCy pipeline and what it is."""
        self.language = language
        """Language of the texts and of the indicator phrases used."""
        self.matcher = IndicatorMatcher(self.nlp, codebook, language)
        """The codebook's indicators, compiled for this pipeline."""

    def analyse(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Analysis]:
        """One ``Analysis`` per text, in order (texts are processed in batches)."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            stems = tuple(
                (token.norm_, token.idx, token.idx + len(token.text))
                for token in doc
                if not token.is_space and (not token.is_punct or token.text in KEPT_PUNCTUATION)
            )
            terms = terms_of([stem for stem, _, _ in stems])
            yield Analysis(tuple(terms), tuple(self.matcher.hits(doc)), stems)

    def analyse_all(self, texts: Iterable[str]) -> list[Analysis]:
        """``analyse`` into a list."""
        return list(self.analyse(texts))
