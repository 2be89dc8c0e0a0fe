"""``cross_validate``: how good the suggestions would have been, fold by fold.

Each fold trains a full ``SuggestModel`` (with its own inner threshold tuning) on the other
folds and predicts the held-out excerpts; predictions are pooled and scored once. The same folds
are scored for the indicators alone (a code is predicted when one of its indicators matches), so
the report says what the learned model adds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.suggest.analyser import Analyser, Analysis
from coder.suggest.model import Example, ModelSettings, SuggestModel, fold_of
from coder.suggest.scoring import Scores

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook

INDICATOR_THRESHOLD = 0.5
"""Indicator-only score threshold: one hit gives 0.5, so any hit suggests the code."""


def indicator_score(hits: int) -> float:
    """Score of a code from its indicator hits alone: 0, 0.5, 0.75, 0.875, ..."""
    return 1.0 - 0.5**hits if hits > 0 else 0.0


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Cross-validated scores of the fused model, next to the indicators alone."""

    scores: Scores
    """Fused model (classifier where trained, indicators elsewhere)."""
    indicators: Scores
    """Indicators alone on the same excerpts."""
    examples: int
    """Excerpts (or coder-excerpt pairs) evaluated."""
    folds: int
    """Number of folds."""
    codes: tuple[str, ...]
    """Codes scored (codable codes that occur in the labels at least once)."""
    details: dict[str, Any] = field(default_factory=dict)
    """Extra facts (source, pipeline, seconds)."""

    def to_dict(self) -> dict[str, Any]:
        """``micro``, ``macro``, ``per_code`` of the fused model; ``indicators_only`` the same."""
        return {
            **self.scores.to_dict(),
            "indicators_only": self.indicators.to_dict(),
            "examples": self.examples,
            "folds": self.folds,
            "codes": list(self.codes),
            **self.details,
        }


def predict_sets(
    model: SuggestModel, analyses: Sequence[Analysis], codes: Sequence[str]
) -> list[set[str]]:
    """Codes at or above threshold per text: classifier where trained, else indicators."""
    _, probs = model.fused(analyses)
    modelled = {code: k for k, code in enumerate(model.codes)}
    result: list[set[str]] = []
    for i, analysis in enumerate(analyses):
        counts = analysis.hit_counts()
        chosen: set[str] = set()
        for code in codes:
            k = modelled.get(code)
            if k is not None:
                if probs[i, k] >= model.thresholds[code]:
                    chosen.add(code)
            elif indicator_score(counts.get(code, 0)) >= INDICATOR_THRESHOLD:
                chosen.add(code)
        result.append(chosen)
    return result


def evaluate_examples(
    examples: Sequence[Example],
    codes: Sequence[str],
    indicator_codes: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    settings: ModelSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvaluationReport:
    """Cross-validate on examples whose labels are fully known (``known is None``)."""
    if folds < 2:
        raise CoderError(f"--folds must be at least 2, not {folds}")
    groups = {ex.group if ex.group is not None else ("row", i) for i, ex in enumerate(examples)}
    if len(groups) < folds:
        raise CoderError(
            f"cross-validation needs at least {folds} coded excerpts; there are {len(groups)}"
        )
    tested = [i for i, ex in enumerate(examples) if ex.known is None]
    if not tested:
        raise CoderError("no excerpt is marked reviewed, so nothing can be scored")
    gold = [set(examples[i].positives) for i in tested]
    scored = tuple(c for c in codes if any(c in g for g in gold))
    assignment = fold_of(examples, folds, seed)
    predicted: dict[int, set[str]] = {}
    for fold in range(folds):
        if progress is not None:
            progress(fold, folds)
        train = [ex for ex, f in zip(examples, assignment, strict=True) if f != fold]
        test = [i for i in tested if assignment[i] == fold]
        if not test:
            continue
        model = SuggestModel.train(train, codes, indicator_codes, settings)
        fold_pred = predict_sets(model, [examples[i].analysis for i in test], codes)
        predicted.update(zip(test, fold_pred, strict=True))
    if progress is not None:
        progress(folds, folds)
    by_indicator = [
        {c for c, n in examples[i].analysis.hit_counts().items() if n > 0 and c in codes}
        for i in tested
    ]
    return EvaluationReport(
        Scores.compute([predicted[i] for i in tested], gold, scored),
        Scores.compute(by_indicator, gold, scored),
        len(tested),
        folds,
        scored,
    )


def cross_validate(
    texts: list[str],
    labels: list[set[str]],
    codebook: Codebook,
    *,
    language: str = "en",
    folds: int = 5,
    seed: int = 0,
    pipeline: str | None = None,
    settings: ModelSettings | None = None,
) -> EvaluationReport:
    """Cross-validated micro/macro/per-code scores of suggestions for labelled texts."""
    if len(texts) != len(labels):
        raise CoderError(f"{len(texts)} texts but {len(labels)} label sets")
    codes = [code.id for code in codebook.codable_codes]
    unknown = sorted({c for ls in labels for c in ls} - set(codes))
    if unknown:
        raise CoderError(f"labels not among the codebook's codable codes: {', '.join(unknown)}")
    analyser = Analyser(codebook, language, pipeline=pipeline)
    analyses = analyser.analyse_all(texts)
    examples = [
        Example(a, frozenset(ls), group=_Row(i))
        for i, (a, ls) in enumerate(zip(analyses, labels, strict=True))
    ]
    report = evaluate_examples(
        examples, codes, analyser.matcher.codes, folds=folds, seed=seed, settings=settings
    )
    details = {"pipeline": analyser.info.to_dict()}
    return EvaluationReport(
        report.scores, report.indicators, report.examples, report.folds, report.codes, details
    )


@dataclass(frozen=True, slots=True)
class _Row:
    """Group key of one text in ``cross_validate`` (each text is its own excerpt)."""

    index: int
    """Position in the input."""
