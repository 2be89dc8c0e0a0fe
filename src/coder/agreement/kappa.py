"""Cohen's kappa (unweighted, linear, quadratic) for two coders; Fleiss' kappa for many.

Weights follow Cohen (1968) with disagreement weights on category positions: linear
``|i - j|``, quadratic ``(i - j)**2``; the categories are the declared ones, else those either
coder used (as R's ``irr::kappa2`` and scikit-learn do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from coder.agreement.reliability import reliability_data
from coder.agreement.result import Coefficient, chance_corrected, undefined

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Weights = Literal["linear", "quadratic"] | None
WEIGHTS = (None, "linear", "quadratic")


def disagreement_weights(q: int, weights: Weights) -> NDArray[np.float64]:
    """q x q disagreement weights on category positions, scaled to a maximum of 1."""
    import numpy as np

    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}; use None, 'linear' or 'quadratic'")
    positions = np.arange(q, dtype=np.float64)
    distance = np.abs(positions[:, None] - positions[None, :])
    if weights is None:
        return (distance > 0).astype(np.float64)
    scale = max(q - 1, 1)
    if weights == "linear":
        return np.asarray(distance / scale, dtype=np.float64)
    return np.asarray((distance / scale) ** 2, dtype=np.float64)


def confusion_matrix(
    a: Sequence[Any], b: Sequence[Any], *, categories: Sequence[Any] | None = None
) -> tuple[NDArray[np.float64], tuple[Any, ...]]:
    """Counts of (a, b) category pairs over units rated by both, and the categories in order."""
    import numpy as np

    data = reliability_data([list(a), list(b)], categories)
    index = data.category_index()
    both = (index[0] >= 0) & (index[1] >= 0)
    q = len(data.categories)
    flat = index[0][both] * q + index[1][both]
    table = np.bincount(flat, minlength=q * q).astype(np.float64).reshape(q, q)
    labels = data.labels if data.labels is not None else tuple(data.categories.tolist())
    return table, labels


def cohen_kappa(
    a: Sequence[Any],
    b: Sequence[Any],
    weights: Weights = None,
    *,
    categories: Sequence[Any] | None = None,
) -> Coefficient:
    """Cohen's kappa of two coders' ratings (None/NaN missing: the unit is left out).

    ``weights`` None gives Cohen (1960), "linear" or "quadratic" weighted kappa (Cohen 1968).
    Undefined when no unit was rated by both, or when chance agreement is 1.
    """
    if len(a) != len(b):
        raise ValueError(f"the two coders rated different numbers of units ({len(a)}, {len(b)})")
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}; use None, 'linear' or 'quadratic'")
    table, _labels = confusion_matrix(a, b, categories=categories)
    return kappa_from_table(table, weights)


def kappa_from_table(table: Any, weights: Weights = None) -> Coefficient:
    """Cohen's kappa from a q x q table of counts (rows: coder A, columns: coder B)."""
    import numpy as np

    counts = np.asarray(table, dtype=np.float64)
    n = float(counts.sum())
    name = "cohen_kappa"
    variant = weights or "unweighted"
    if n == 0:
        return undefined(name, "no unit was rated by both coders", variant=variant)
    w = disagreement_weights(counts.shape[0], weights)
    observed = counts / n
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    p_o = 1.0 - float((w * observed).sum())
    p_e = 1.0 - float((w * expected).sum())
    return chance_corrected(name, p_o, p_e, variant=variant, units=int(n), values=int(2 * n))


def fleiss_kappa(counts: Any) -> Coefficient:
    """Fleiss' (1971) kappa from units x categories counts of coders per category.

    Units may have different numbers of ratings (Gwet 2014, ch. 2): agreement is averaged over
    units with two or more ratings, category proportions over units with at least one.
    """
    import numpy as np

    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError(f"counts must be units x categories, not of shape {table.shape}")
    if (table < 0).any():
        raise ValueError("counts cannot be negative")
    raters = table.sum(axis=1)
    rated = raters >= 1
    paired = raters >= 2
    name = "fleiss_kappa"
    if not paired.any():
        return undefined(name, "no unit has two or more ratings")
    r = raters[paired]
    agree = ((table[paired] * (table[paired] - 1.0)).sum(axis=1) / (r * (r - 1.0))).mean()
    share = (table[rated] / raters[rated, None]).mean(axis=0)
    p_e = float((share * share).sum())
    return chance_corrected(
        name,
        float(agree),
        p_e,
        units=int(paired.sum()),
        values=int(raters[paired].sum()),
    )
