"""``HeldOut``: what the suggester would have suggested on excerpts it never saw.

To measure the model as a coder, its suggestions on an excerpt must come from a model that was
not trained on that excerpt. The examples (one per coder and excerpt) are dealt into folds by
excerpt, so every coder's copy of an excerpt sits in one fold; for each fold a full
``SuggestModel`` (with its own inner threshold tuning, on its training part only) is trained on
the other folds and predicts the fold's excerpts. The pooled predictions are compared with each
human coder's codes on the excerpts that coder reviewed (``coder.agreement.model_agreement``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.suggest.evaluation import predict_sets
from coder.suggest.model import Example, ModelSettings, SuggestModel, fold_of

if TYPE_CHECKING:
    from coder.agreement.model_agreement import ModelAgreement

MEASURE_FOLDS = 3
"""Folds of the held-out measurement (each fold retrains the model: 3 keeps it affordable)."""
Train = Callable[[Sequence[Example]], SuggestModel]


@dataclass(frozen=True, slots=True)
class HeldOut:
    """Held-out suggestions per excerpt, and which fold each excerpt was in."""

    predicted: dict[Hashable, frozenset[str]]
    """Excerpt (example group) -> codes the fold's model suggested."""
    fold: dict[Hashable, int]
    """Excerpt -> its fold."""
    folds: int
    """Number of folds."""

    @classmethod
    def compute(
        cls,
        examples: Sequence[Example],
        codes: Sequence[str],
        indicator_codes: Sequence[str],
        *,
        folds: int = MEASURE_FOLDS,
        seed: int = 0,
        settings: ModelSettings | None = None,
        train: Train | None = None,
    ) -> HeldOut:
        """Predict every excerpt with a model trained on the other folds' examples only."""
        fit = train or (lambda part: SuggestModel.train(part, codes, indicator_codes, settings))
        keys = [_key(ex, i) for i, ex in enumerate(examples)]
        assignment = fold_of(examples, folds, seed)
        fold = dict(zip(keys, assignment, strict=True))
        predicted: dict[Hashable, frozenset[str]] = {}
        for number in range(folds):
            training = [ex for ex, f in zip(examples, assignment, strict=True) if f != number]
            first: dict[Hashable, Example] = {}
            for key, ex, f in zip(keys, examples, assignment, strict=True):
                if f == number:
                    first.setdefault(key, ex)
            if not first or not training:
                continue
            model = fit(training)
            found = predict_sets(model, [ex.analysis for ex in first.values()], codes)
            predicted.update(zip(first, map(frozenset, found), strict=True))
        return cls(predicted, fold, folds)


def measure(
    examples: Sequence[Example],
    coders: Sequence[str],
    codes: Sequence[str],
    indicator_codes: Sequence[str],
    *,
    folds: int = MEASURE_FOLDS,
    seed: int = 0,
    settings: ModelSettings | None = None,
    replicates: int | None = None,
) -> ModelAgreement:
    """The model's held-out agreement with each coder (``coders[i]`` labelled ``examples[i]``).

    Only excerpts a coder reviewed count for that coder (elsewhere the coder's absences are not
    known).
    """
    from coder.agreement.model_agreement import DEFAULT_REPLICATES, measure_model

    held = HeldOut.compute(
        examples, codes, indicator_codes, folds=folds, seed=seed, settings=settings
    )
    pairs: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
    for i, (ex, coder) in enumerate(zip(examples, coders, strict=True)):
        key = _key(ex, i)
        if ex.known is None and key in held.predicted:
            pairs.setdefault(coder, []).append((held.predicted[key], ex.positives))
    return measure_model(
        codes,
        pairs,
        folds=folds,
        replicates=DEFAULT_REPLICATES if replicates is None else replicates,
        seed=seed,
    )


def withheld_codes(model: SuggestModel | None) -> dict[str, str]:
    """Codes whose suggestions ``model``'s held-out measurement withholds, with the reason."""
    from coder.agreement.model_agreement import ModelAgreement

    measured = None if model is None else model.meta.get("measured")
    if not isinstance(measured, dict):
        return {}
    agreement = ModelAgreement.from_dict(measured)
    reasons = {row.code: agreement.reason(row.code) for row in agreement.rows}
    return {code: reason for code, reason in reasons.items() if reason is not None}


def _key(example: Example, index: int) -> Hashable:
    return example.group if example.group is not None else ("row", index)
