"""``SuggestModel``: featurizer + classifier + per-code thresholds, trained and saved together.

Training (``SuggestModel.train``) takes ``Example`` values (an analysed excerpt with what one
coder said about it), decides which codes have enough examples for the classifier (the rest fall
back to indicators alone), tunes each modelled code's threshold on out-of-fold predictions
(folds grouped by excerpt, so one excerpt coded by two coders never sits on both sides), and fits
the final classifier on everything. ``save``/``load`` write ``model.json`` (metadata, vocabulary,
thresholds) and ``weights.npz`` (arrays only, loaded with ``allow_pickle=False``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from coder.errors import CoderError
from coder.suggest.analyser import Analysis
from coder.suggest.classifier import LinearClassifier, TrainingOptions
from coder.suggest.features import Featurizer, SparseRows
from coder.suggest.scoring import PRF, Scores, fuse, tune_fusion

if TYPE_CHECKING:
    from coder.suggest.features import FloatArray

MODEL_FORMAT = "coder.suggest.model/1"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Example:
    """One excerpt as one source (coder or layer) labelled it."""

    analysis: Analysis
    """The analysed excerpt text."""
    positives: frozenset[str]
    """Codes applied."""
    known: frozenset[str] | None = None
    """Codes whose presence or absence is known; None: all (the excerpt was reviewed)."""
    hard_negatives: frozenset[str] = frozenset()
    """Codes a coder rejected as suggestions here (weighted as strong negatives)."""
    group: Hashable = None
    """Excerpt identity, so threshold folds keep copies of one excerpt together."""


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """How a model is trained."""

    min_positives: int = 5
    """Fewer positives (or negatives) than this: the code falls back to indicators alone."""
    threshold_folds: int = 3
    """Folds of the cross-validation that tunes thresholds."""
    hard_negative_weight: float = 2.0
    """Weight of a rejected suggestion as a negative example."""
    min_df: int = 2
    """A term must occur in this many training excerpts."""
    seed: int = 0
    """Seed of the fold assignment."""
    training: TrainingOptions = field(default_factory=TrainingOptions)
    """Classifier hyper-parameters."""


def label_matrices(
    examples: Sequence[Example], codes: Sequence[str], hard_weight: float
) -> tuple[FloatArray, FloatArray]:
    """0/1 labels and training weights (0 = unknown) for examples x codes."""
    import numpy as np

    labels = np.zeros((len(examples), len(codes)))
    mask = np.zeros_like(labels)
    for i, ex in enumerate(examples):
        for k, code in enumerate(codes):
            if code in ex.positives:
                labels[i, k], mask[i, k] = 1.0, 1.0
            elif code in ex.hard_negatives:
                mask[i, k] = hard_weight
            elif ex.known is None or code in ex.known:
                mask[i, k] = 1.0
    return labels, mask


def fold_of(examples: Sequence[Example], folds: int, seed: int) -> list[int]:
    """Fold number per example; examples of one group share a fold."""
    import numpy as np

    groups: dict[Hashable, int] = {}
    keys = [ex.group if ex.group is not None else ("row", i) for i, ex in enumerate(examples)]
    for key in keys:
        groups.setdefault(key, len(groups))
    order = np.random.default_rng(seed).permutation(len(groups))
    assignment = {key: int(order[i]) % folds for key, i in groups.items()}
    return [assignment[key] for key in keys]


class SuggestModel:
    """A trained model: what the suggester loads."""

    __slots__ = ("featurizer", "classifier", "thresholds", "indicator_weights", "meta", "_index")

    def __init__(
        self,
        featurizer: Featurizer,
        classifier: LinearClassifier | None,
        thresholds: dict[str, float],
        indicator_weights: dict[str, float],
        meta: dict[str, Any],
    ) -> None:
        self.featurizer = featurizer
        """Vocabulary, IDF and indicator columns."""
        self.classifier = classifier
        """Per-code logistic regressions, None when no code had enough examples."""
        self.thresholds = thresholds
        """Tuned threshold per modelled code."""
        self.indicator_weights = indicator_weights
        """Tuned weight of the indicator score in each modelled code's fused score."""
        self.meta = meta
        """Metadata (codebook version, training size, date, scores, ...)."""
        self._index = featurizer.index()

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes the classifier scores."""
        return self.classifier.codes if self.classifier is not None else ()

    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        codes: Sequence[str],
        indicator_codes: Sequence[str],
        settings: ModelSettings | None = None,
        *,
        progress: Progress | None = None,
    ) -> SuggestModel:
        """Fit on ``examples`` for ``codes`` (codable codes, codebook order)."""
        import numpy as np

        opts = settings or ModelSettings()
        tell = progress or (lambda _step, _done, _total: None)
        labels, mask = label_matrices(examples, codes, opts.hard_negative_weight)
        known = mask > 0
        pos = (labels * known).sum(axis=0)
        neg = ((1 - labels) * known).sum(axis=0)
        chosen = [k for k in range(len(codes)) if min(pos[k], neg[k]) >= opts.min_positives]
        modelled = tuple(codes[k] for k in chosen)
        terms = [ex.analysis.terms for ex in examples]
        counts = [ex.analysis.hit_counts() for ex in examples]
        y, m = labels[:, chosen], mask[:, chosen]
        thresholds: dict[str, float] = {}
        weights: dict[str, float] = {}
        scores: dict[str, Any] = {}
        classifier: LinearClassifier | None = None
        folds = opts.threshold_folds
        total = folds + 1 if modelled else 1
        if modelled:
            oof = np.zeros_like(y)
            assignment = np.asarray(fold_of(examples, folds, opts.seed))
            for fold in range(folds):
                tell("threshold folds", fold, total)
                train, test = np.flatnonzero(assignment != fold), np.flatnonzero(assignment == fold)
                if len(test) == 0:
                    continue
                fz = Featurizer.fit([terms[i] for i in train], indicator_codes, min_df=opts.min_df)
                index = fz.index()
                rows_train = fz.transform([terms[i] for i in train], [counts[i] for i in train])
                rows_test = fz.transform(
                    [terms[i] for i in test], [counts[i] for i in test], index=index
                )
                fold_model = LinearClassifier.fit(
                    rows_train, y[train], m[train], modelled, opts.training
                )
                oof[test] = fold_model.predict_proba(rows_test)
            indicator = indicator_matrix([ex.analysis for ex in examples], modelled)
            tuned_w, tuned_t = tune_fusion(oof, indicator, y, m)
            thresholds = dict(zip(modelled, tuned_t, strict=True))
            weights = dict(zip(modelled, tuned_w, strict=True))
            scores = _oof_scores(fuse(oof, indicator, np.asarray(tuned_w)), y, m, modelled, tuned_t)
        tell("final model", total - 1, total)
        featurizer = Featurizer.fit(terms, indicator_codes, min_df=opts.min_df)
        if modelled:
            rows = featurizer.transform(terms, counts)
            classifier = LinearClassifier.fit(rows, y, m, modelled, opts.training)
        tell("done", total, total)
        meta = {
            "format": MODEL_FORMAT,
            "examples": len(examples),
            "excerpts": len(
                {ex.group if ex.group is not None else i for i, ex in enumerate(examples)}
            ),
            "positives": {code: int(pos[k]) for k, code in enumerate(codes)},
            "modelled_codes": list(modelled),
            "indicator_only_codes": [c for c in codes if c not in modelled],
            "thresholds": thresholds,
            "indicator_weights": weights,
            "scores": scores,
            "settings": asdict(opts),
        }
        return cls(featurizer, classifier, thresholds, weights, meta)

    def rows(self, analyses: Sequence[Analysis]) -> SparseRows:
        """Feature rows for analysed texts."""
        return self.featurizer.transform(
            [a.terms for a in analyses], [a.hit_counts() for a in analyses], index=self._index
        )

    def probabilities(self, analyses: Sequence[Analysis]) -> FloatArray:
        """Classifier probability per text and modelled code (texts x ``codes``)."""
        import numpy as np

        if self.classifier is None:
            return np.zeros((len(analyses), 0))
        return self.classifier.predict_proba(self.rows(analyses))

    def fused(self, analyses: Sequence[Analysis]) -> tuple[FloatArray, FloatArray]:
        """(classifier probabilities, fused scores) per text and modelled code."""
        return self.score_rows(self.rows(analyses), analyses)

    def score_rows(
        self, rows: SparseRows, analyses: Sequence[Analysis]
    ) -> tuple[FloatArray, FloatArray]:
        """``fused`` for rows already built with ``rows``."""
        import numpy as np

        if self.classifier is None:
            empty = np.zeros((len(analyses), 0))
            return empty, empty
        probs = self.classifier.predict_proba(rows)
        indicator = indicator_matrix(analyses, self.codes)
        weight = np.asarray([self.indicator_weights.get(c, 0.0) for c in self.codes])
        return probs, fuse(probs, indicator, weight)

    def save(self, folder: Path) -> None:
        """Write ``weights.npz`` and ``model.json`` into ``folder`` (created, owner-only)."""
        import numpy as np

        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        weights_path = folder / "weights.npz"
        classifier = self.classifier
        arrays: dict[str, Any] = {}
        if classifier is not None:
            arrays = {"weights": classifier.weights, "bias": classifier.bias}
        with _private(weights_path) as handle:
            np.savez(handle, **arrays)
        document = {
            **self.meta,
            "codes": list(self.codes),
            "weights_sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest(),
            "featurizer": self.featurizer.to_dict(),
        }
        with _private(folder / "model.json") as handle:
            handle.write(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))

    @classmethod
    def load(cls, folder: Path) -> SuggestModel:
        """Read a model written by ``save``; CoderError if it is damaged or of another format."""
        import numpy as np

        try:
            document = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            raw = (folder / "weights.npz").read_bytes()
        except (OSError, ValueError) as exc:
            raise CoderError(f"{folder}: cannot read the suggestion model ({exc})") from None
        if document.get("format") != MODEL_FORMAT:
            raise CoderError(f"{folder}: not a {MODEL_FORMAT} model; retrain it")
        if hashlib.sha256(raw).hexdigest() != document.get("weights_sha256"):
            raise CoderError(f"{folder}: weights.npz does not match model.json; retrain it")
        featurizer = Featurizer.from_dict(document.pop("featurizer"))
        codes = tuple(document.pop("codes"))
        classifier = None
        if codes:
            with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
                classifier = LinearClassifier(codes, arrays["weights"], arrays["bias"])
        thresholds = {str(k): float(v) for k, v in document["thresholds"].items()}
        weights = {str(k): float(v) for k, v in document["indicator_weights"].items()}
        return cls(featurizer, classifier, thresholds, weights, document)


def indicator_matrix(analyses: Sequence[Analysis], codes: Sequence[str]) -> FloatArray:
    """Indicator-only score (``1 - 0.5 ** hits``) per text and code."""
    import numpy as np

    result = np.zeros((len(analyses), len(codes)))
    column = {code: k for k, code in enumerate(codes)}
    for i, analysis in enumerate(analyses):
        for code, hits in analysis.hit_counts().items():
            k = column.get(code)
            if k is not None:
                result[i, k] = 1.0 - 0.5**hits
    return result


def _oof_scores(
    oof: FloatArray, y: FloatArray, m: FloatArray, codes: tuple[str, ...], tuned: list[float]
) -> dict[str, Any]:
    table: dict[str, PRF] = {}
    for k, code in enumerate(codes):
        use = m[:, k] > 0
        pred = oof[use, k] >= tuned[k]
        gold = y[use, k] > 0
        table[code] = PRF(
            int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
        )
    return Scores.from_table(table).to_dict()


@contextmanager
def _private(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing as an owner-only file."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        yield handle
