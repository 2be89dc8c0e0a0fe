"""``Scores``: precision, recall and F1 per code, micro and macro; and per-code thresholds.

Micro pools every (excerpt, code) decision; macro is the unweighted mean over the codes that
occur at least once in the gold labels (a code nobody applied has no recall to speak of). Macro
F1 is the mean of the per-code F1 values, as in scikit-learn's ``average="macro"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from coder.suggest.features import FloatArray

    BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts and precision/recall/F1 for one code (or pooled)."""

    tp: int
    """True positives."""
    fp: int
    """False positives."""
    fn: int
    """False negatives."""

    @property
    def precision(self) -> float:
        """tp / (tp + fp), 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn), 0 when there is nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        """Gold positives."""
        return self.tp + self.fn

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.tp + self.fp,
        }


@dataclass(frozen=True, slots=True)
class Scores:
    """Micro and macro averages and the per-code table."""

    micro: PRF
    """Pooled over every (excerpt, code) decision."""
    macro_precision: float
    """Mean precision over codes with support."""
    macro_recall: float
    """Mean recall over codes with support."""
    macro_f1: float
    """Mean F1 over codes with support."""
    per_code: dict[str, PRF]
    """Scores per code id, in codebook order."""

    @classmethod
    def compute(
        cls, predicted: Sequence[Set[str]], gold: Sequence[Set[str]], codes: Iterable[str]
    ) -> Scores:
        """Score predicted label sets against gold label sets over ``codes``."""
        per_code: dict[str, PRF] = {}
        for code in codes:
            tp = sum(1 for p, g in zip(predicted, gold, strict=True) if code in p and code in g)
            fp = sum(1 for p, g in zip(predicted, gold, strict=True) if code in p and code not in g)
            fn = sum(1 for p, g in zip(predicted, gold, strict=True) if code not in p and code in g)
            per_code[code] = PRF(tp, fp, fn)
        return cls.from_table(per_code)

    @classmethod
    def from_table(cls, per_code: dict[str, PRF]) -> Scores:
        """Averages from a per-code table."""
        micro = PRF(
            sum(s.tp for s in per_code.values()),
            sum(s.fp for s in per_code.values()),
            sum(s.fn for s in per_code.values()),
        )
        counted = [s for s in per_code.values() if s.support > 0]
        n = len(counted) or 1
        return cls(
            micro,
            sum(s.precision for s in counted) / n,
            sum(s.recall for s in counted) / n,
            sum(s.f1 for s in counted) / n,
            per_code,
        )

    def to_dict(self) -> dict[str, Any]:
        """``micro``, ``macro`` (precision/recall/f1) and ``per_code``."""
        micro = self.micro.to_dict()
        return {
            "micro": {k: micro[k] for k in ("precision", "recall", "f1")},
            "macro": {
                "precision": round(self.macro_precision, 4),
                "recall": round(self.macro_recall, 4),
                "f1": round(self.macro_f1, 4),
            },
            "per_code": {code: prf.to_dict() for code, prf in self.per_code.items()},
        }


THRESHOLD_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(91))
"""Candidate thresholds 0.05, 0.06, ..., 0.95."""


FUSION_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Candidate weights of the indicator score in the noisy-OR fusion."""


def fuse(model: FloatArray, indicator: FloatArray, weight: FloatArray | float) -> FloatArray:
    """Noisy-OR of the two sources: ``1 - (1 - model) * (1 - weight * indicator)``."""
    return 1.0 - (1.0 - model) * (1.0 - weight * indicator)


def _best_threshold(p: FloatArray, y: BoolArray) -> tuple[float, float]:
    """(best F1, threshold) over the grid; ties go to the middle of the best thresholds."""
    import numpy as np

    grid = np.asarray(THRESHOLD_GRID)
    predicted = p[:, None] >= grid[None, :]
    tp = (predicted & y[:, None]).sum(axis=0)
    fp = (predicted & ~y[:, None]).sum(axis=0)
    fn = y.sum() - tp
    f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
    best = float(f1.max())
    candidates = np.flatnonzero(f1 >= best - 1e-12)
    choice = candidates[len(candidates) // 2]
    return best, (float(grid[choice]) if best > 0 else 0.5)


def tune_fusion(
    probs: FloatArray, indicator: FloatArray, labels: FloatArray, known: FloatArray
) -> tuple[list[float], list[float]]:
    """Per column, the (indicator weight, threshold) pair with the best out-of-fold F1.

    Ties prefer the smaller indicator weight, then the middle of the tied thresholds (the
    widest margin on both sides).
    """
    weights: list[float] = []
    thresholds: list[float] = []
    for k in range(probs.shape[1]):
        use = known[:, k] > 0
        p, ind, y = probs[use, k], indicator[use, k], labels[use, k] > 0
        best = (-1.0, 0.0, 0.5)
        for w in FUSION_WEIGHTS:
            f1, t = _best_threshold(fuse(p, ind, w), y)
            if f1 > best[0] + 1e-12:
                best = (f1, w, t)
        weights.append(best[1])
        thresholds.append(best[2])
    return weights, thresholds
