"""``Suggester``: codes for an excerpt, each with a score, its threshold, and why.

A suggester holds a project's pipeline, indicator matcher and current model (if one was
trained). For each codable code it gives one fused score: the classifier's probability combined
(noisy-OR, weight tuned per code) with the indicator score where the code has a model, and the
indicator score alone (``1 - 0.5 ** hits``, threshold 0.5) where it has none. The reasons are
the indicator hits and the words that pushed the classifier up, each with character offsets in
the excerpt so a screen can highlight them. Codes on which the model, measured on held-out
excerpts against the human coders, does no better than chance (``ModelAgreement.withheld``,
stored with the model) get no suggestions until a retrained model does better; ``explain_many``
says where one was withheld. Suggestions are never applied here; see ``coder.suggest.feedback``.
A suggester is not safe for concurrent calls: use it from one worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.suggest.analyser import Analyser, Analysis
from coder.suggest.evaluation import INDICATOR_THRESHOLD, indicator_score
from coder.suggest.features import BIGRAM_JOIN
from coder.suggest.held_out import withheld_codes
from coder.suggest.model import SuggestModel
from coder.suggest.model_folder import ModelFolder

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook
    from coder.project.project import Project

MODEL_EVIDENCE = 3
"""How many of the classifier's strongest words are given as reasons."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason for a suggestion: matched words in the excerpt."""

    source: str
    """``indicator`` (a codebook phrase matched) or ``model`` (a word the classifier weighs)."""
    start: int
    """First character of the words, relative to the excerpt."""
    end: int
    """One past the last character."""
    text: str
    """The words as they stand in the excerpt."""
    detail: str
    """The indicator phrase, or the stem (or stem pair) the classifier weighed."""
    weight: float = 1.0
    """The word's contribution to the classifier's log-odds (1.0 for indicators)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "detail": self.detail,
            "weight": round(self.weight, 4),
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A code suggested for one excerpt."""

    code_id: str
    """The suggested code."""
    score: float
    """Fused score in [0, 1]."""
    threshold: float
    """Score at or above which the code is suggested (tuned per code)."""
    sources: tuple[str, ...]
    """Which sources spoke: ``model``, ``indicators`` or both."""
    reasons: tuple[Evidence, ...]
    """Matched words with offsets, indicators first."""
    model_score: float | None = None
    """The classifier's own probability, None when the code has no model."""
    indicator_score: float = 0.0
    """``1 - 0.5 ** hits`` from the indicators alone."""

    @property
    def above_threshold(self) -> bool:
        """Whether the code is suggested (not just shown as a candidate)."""
        return self.score >= self.threshold

    @property
    def uncertainty(self) -> float:
        """1 at the threshold, 0 at 0 or 1: how unsure the suggester is about this code."""
        span = max(self.threshold, 1.0 - self.threshold)
        return max(0.0, 1.0 - abs(self.score - self.threshold) / span)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "code": self.code_id,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "above_threshold": self.above_threshold,
            "sources": list(self.sources),
            "model_score": None if self.model_score is None else round(self.model_score, 4),
            "indicator_score": round(self.indicator_score, 4),
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


class Suggester:
    """Loads the pipeline and the current model of a project; suggests codes for texts."""

    def __init__(
        self,
        codebook: Codebook,
        language: str,
        *,
        pipeline: str | None = None,
        model: SuggestModel | None = None,
        analyser: Analyser | None = None,
        models: ModelFolder | None = None,
    ) -> None:
        self.analyser = analyser or Analyser(codebook, language, pipeline=pipeline)
        """Pipeline and indicator matcher."""
        self.model = model
        """The trained model, None until one is trained (indicators alone until then)."""
        self.codes = tuple(code.id for code in codebook.active_codes)
        """Codable codes, in tree order."""
        self._models = models
        self._loaded: Path | None = models.current() if models is not None else None
        self.withheld: dict[str, str] = withheld_codes(model)
        """Code -> why its suggestions are withheld (the model no better than chance on it)."""

    @classmethod
    def for_project(cls, project: Project, *, coder: str | None = None) -> Suggester:
        """The project's pipeline (coder.toml ``[suggest] pipeline``) and its current model.

        With ``coder``, the model is that coder's own (trained on their codings only).
        """
        from coder.suggest.model_training import project_analyser

        models = ModelFolder(project.root, coder=coder)
        return cls(
            project.codebook,
            project.settings.language,
            model=models.load(),
            analyser=project_analyser(project),
            models=models,
        )

    def refresh(self) -> bool:
        """Load the project's current model if it changed since; True when a new one was loaded."""
        if self._models is None:
            return False
        current = self._models.current()
        if current is None or current == self._loaded:
            return False
        self.model = SuggestModel.load(current)
        self._loaded = current
        self.withheld = withheld_codes(self.model)
        return True

    def suggest(self, text: str, *, limit: int | None = None) -> list[Suggestion]:
        """Candidate codes for one excerpt, suggested ones first, by score."""
        return self.suggest_many([text], limit=limit)[0]

    def suggest_many(
        self, texts: Sequence[str], *, limit: int | None = None
    ) -> list[list[Suggestion]]:
        """``suggest`` for many texts, processed in batches."""
        return [found for found, _ in self.explain_many(texts, limit=limit)]

    def explain_many(
        self, texts: Sequence[str], *, limit: int | None = None
    ) -> list[tuple[list[Suggestion], tuple[str, ...]]]:
        """Per text: the suggestions, and the codes withheld there (they would have been
        suggested, but the model is no better than chance on them; reasons in ``withheld``)."""
        analyses = self.analyser.analyse_all(texts)
        result: list[tuple[list[Suggestion], tuple[str, ...]]] = []
        for text, analysis, row in zip(texts, analyses, self._model_scores(analyses), strict=True):
            if not text.strip():  # no words, no evidence: a model's bias alone is not a suggestion
                result.append(([], ()))
                continue
            found = self._candidates(text, analysis, row)
            kept = [s for s in found if s.code_id not in self.withheld]
            dropped = tuple(
                s.code_id for s in found if s.code_id in self.withheld and s.above_threshold
            )
            result.append((self._rank(kept, limit), dropped))
        return result

    def uncertainty_many(self, texts: Sequence[str]) -> list[float]:
        """Per text, the highest uncertainty over its modelled codes (0 without a model)."""
        analyses = self.analyser.analyse_all(texts)
        result: list[float] = []
        for text, analysis, row in zip(texts, analyses, self._model_scores(analyses), strict=True):
            found = [
                s.uncertainty
                for s in self._candidates(text, analysis, row, reasons=False, everything=True)
                if s.model_score is not None
            ]
            result.append(max(found, default=0.0))
        return result

    def info(self) -> dict[str, Any]:
        """The pipeline and the model's metadata, for a status line."""
        model = None
        if self.model is not None:
            keys = ("trained_at", "source", "examples", "codebook", "modelled_codes", "scores")
            model = {key: self.model.meta.get(key) for key in keys}
        return {"pipeline": self.analyser.info.to_dict(), "model": model}

    def _model_scores(self, analyses: list[Analysis]) -> list[dict[str, tuple[float, float, Any]]]:
        """Per text: code -> (probability, fused score, feature row) for modelled codes."""
        model = self.model
        if model is None or not model.codes:
            return [{} for _ in analyses]
        rows = model.rows(analyses)
        probs, fused = model.score_rows(rows, analyses)
        wanted = [(k, c) for k, c in enumerate(model.codes) if c in self.codes]
        result = []
        for i in range(len(analyses)):
            row = (
                rows.indices[rows.indptr[i] : rows.indptr[i + 1]],
                rows.data[rows.indptr[i] : rows.indptr[i + 1]],
            )
            result.append(
                {c: (float(probs[i, k]), float(fused[i, k]), (k, row)) for k, c in wanted}
            )
        return result

    def _candidates(
        self,
        text: str,
        analysis: Analysis,
        modelled: dict[str, tuple[float, float, Any]],
        *,
        reasons: bool = True,
        everything: bool = False,
    ) -> list[Suggestion]:
        hits = analysis.hit_counts()
        found: list[Suggestion] = []
        for code in self.codes:
            n = hits.get(code, 0)
            ind = indicator_score(n)
            if code in modelled and self.model is not None:
                prob, score, (k, row) = modelled[code]
                threshold = self.model.thresholds[code]
                sources = ("model", "indicators") if n else ("model",)
            else:
                prob, score, threshold, sources, row = (
                    None,
                    ind,
                    INDICATOR_THRESHOLD,
                    ("indicators",),
                    None,
                )
            if not everything and n == 0 and score < 0.5 * threshold:
                continue
            evidence: tuple[Evidence, ...] = ()
            if reasons:
                evidence = tuple(
                    Evidence("indicator", h.start, h.end, h.text, h.indicator)
                    for h in analysis.hits
                    if h.code_id == code
                )
                if row is not None:
                    evidence += self._model_evidence(text, analysis, k, row)
            found.append(Suggestion(code, score, threshold, sources, evidence, prob, ind))
        return found

    def _model_evidence(
        self, text: str, analysis: Analysis, k: int, row: tuple[Any, Any]
    ) -> tuple[Evidence, ...]:
        model = self.model
        if model is None or model.classifier is None:
            return ()
        indices, data = row
        terms = model.featurizer.terms
        contributions = sorted(
            (
                (float(value * model.classifier.weights[col, k]), int(col))
                for col, value in zip(indices, data, strict=True)
                if col < len(terms)
            ),
            reverse=True,
        )
        result: list[Evidence] = []
        for weight, col in contributions[:MODEL_EVIDENCE]:
            if weight <= 0:
                break
            for start, end in _term_spans(terms[col], analysis.stems):
                result.append(Evidence("model", start, end, text[start:end], terms[col], weight))
        return tuple(result)

    @staticmethod
    def _rank(found: list[Suggestion], limit: int | None) -> list[Suggestion]:
        found.sort(key=lambda s: (not s.above_threshold, -s.score))
        return found if limit is None else found[:limit]


def _term_spans(term: str, stems: tuple[tuple[str, int, int], ...]) -> list[tuple[int, int]]:
    """Where a unigram or bigram term occurs among a text's stems."""
    parts = term.split(BIGRAM_JOIN)
    if len(parts) == 1:
        return [(start, end) for stem, start, end in stems if stem == term]
    return [
        (stems[i][1], stems[i + 1][2])
        for i in range(len(stems) - 1)
        if stems[i][0] == parts[0] and stems[i + 1][0] == parts[1]
    ]
