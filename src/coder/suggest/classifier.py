"""``LinearClassifier``: one logistic regression per code over ``Featurizer`` rows, in numpy.

Why this and not spaCy's ``textcat_multilabel``: the project trains on a few hundred to a few
thousand excerpts on a laptop CPU, retrains often in the background, and must explain each
suggestion. A linear model over stems and stem bigrams is the strongest cheap learner at that
size; full-batch training with Adam is deterministic (same data, same weights, no seed to
chase); each code's weights say which words pushed the score up (shown as the reason); and the
weights are plain arrays saved with ``numpy.savez`` (no pickle).

Training handles partial labels: ``mask`` is 0 where a label is unknown (an excerpt a coder
coded but never marked reviewed says nothing about the other codes), and carries extra weight
for hard negatives (rejected suggestions). Positives of rare codes are up-weighted by
``sqrt(negatives / positives)`` (at most ``max_positive_weight``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.suggest.features import FloatArray, SparseRows


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    """Hyper-parameters of the classifier. The defaults were set while looking at the GoEmotions
    benchmark sample, which is also what the benchmark evaluates on (benchmarks/data/README.md)."""

    epochs: int = 150
    """Full-batch Adam steps."""
    learning_rate: float = 0.1
    """Adam step size."""
    l2: float = 2e-3
    """L2 penalty on the weights (per code, on the mean loss)."""
    max_positive_weight: float = 8.0
    """Cap on the up-weighting of a rare code's positives."""


class LinearClassifier:
    """Weights (features x codes) and biases (codes) of the per-code logistic regressions."""

    __slots__ = ("codes", "weights", "bias")

    def __init__(self, codes: tuple[str, ...], weights: FloatArray, bias: FloatArray) -> None:
        self.codes = codes
        """Code id of each output column."""
        self.weights = weights
        """Feature x code weight matrix."""
        self.bias = bias
        """Per-code intercept."""

    @classmethod
    def fit(
        cls,
        rows: SparseRows,
        labels: FloatArray,
        mask: FloatArray,
        codes: tuple[str, ...],
        options: TrainingOptions | None = None,
    ) -> LinearClassifier:
        """Train on ``rows`` with 0/1 ``labels`` (rows x codes) where ``mask`` > 0."""
        import numpy as np

        opts = options or TrainingOptions()
        known = (mask > 0).astype(np.float64)
        positives = (labels * known).sum(axis=0)
        negatives = ((1 - labels) * known).sum(axis=0)
        boost = np.sqrt(np.maximum(negatives, 1.0) / np.maximum(positives, 1.0))
        boost = np.clip(boost, 1.0, opts.max_positive_weight)
        weight = mask * np.where(labels > 0, boost[None, :], 1.0)
        scale = 1.0 / np.maximum(weight.sum(axis=0), 1.0)
        prior = (positives + 0.5) / (positives + negatives + 1.0)

        w = np.zeros((rows.n_cols, len(codes)))
        b = np.log(prior / (1 - prior))
        m_w, v_w = np.zeros_like(w), np.zeros_like(w)
        m_b, v_b = np.zeros_like(b), np.zeros_like(b)
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        for step in range(1, opts.epochs + 1):
            p = _sigmoid(rows.dot(w) + b)
            grad = weight * (p - labels) * scale
            g_w = rows.tdot(grad) + opts.l2 * w
            g_b = grad.sum(axis=0)
            m_w = beta1 * m_w + (1 - beta1) * g_w
            v_w = beta2 * v_w + (1 - beta2) * g_w * g_w
            m_b = beta1 * m_b + (1 - beta1) * g_b
            v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
            lr = opts.learning_rate * np.sqrt(1 - beta2**step) / (1 - beta1**step)
            w -= lr * m_w / (np.sqrt(v_w) + eps)
            b -= lr * m_b / (np.sqrt(v_b) + eps)
        return cls(codes, w, b)

    def predict_proba(self, rows: SparseRows) -> FloatArray:
        """Probability of each code (rows x codes)."""
        return _sigmoid(rows.dot(self.weights) + self.bias)


def _sigmoid(z: FloatArray) -> FloatArray:
    import numpy as np

    return 0.5 * (1.0 + np.tanh(0.5 * z))
