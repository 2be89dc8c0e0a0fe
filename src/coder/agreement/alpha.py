"""Krippendorff's alpha for any number of coders, missing data and four levels of measurement.

The coincidence-matrix formulation of Krippendorff (2011), "Computing Krippendorff's
alpha-reliability", without building the matrix: with ``n`` pairable values, ``n_c`` of them in
category ``c``, and ``m_u`` values in unit ``u``,

    alpha = 1 - (n - 1) * sum_ck o_ck delta2(c, k) / sum_ck n_c n_k delta2(c, k)

where ``sum_ck o_ck delta2`` is accumulated pair by pair of coders as
``sum_u 2 delta2(x_iu, x_ju) / (m_u - 1)`` and the expected term has a closed form for the
nominal, ordinal (interval on mid-ranks) and interval metrics. Small integer-coded ratings (the
usual case: category positions) take the pattern-counting path of
``coder.agreement.alpha_patterns``; anything else is vectorised over units, pair of coders by
pair of coders.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from coder.agreement.alpha_patterns import unit_patterns
from coder.agreement.reliability import pairable, reliability_data, value_counts
from coder.agreement.result import Coefficient, undefined

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
NAME = "krippendorff_alpha"
_RATIO_BLOCK = 1 << 22


def _delta2(level: Level, a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    import numpy as np

    if level == "nominal":
        return np.asarray(a != b, dtype=np.float64)
    if level == "ratio":
        total = a + b
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total == 0, 0.0, (a - b) / np.where(total == 0, 1.0, total))
        return np.asarray(ratio * ratio, dtype=np.float64)
    return np.asarray((a - b) ** 2, dtype=np.float64)  # interval, and ordinal on mid-ranks


def _expected(level: Level, cats: NDArray[np.float64], counts: NDArray[np.float64]) -> float:
    """``sum_ck n_c n_k delta2(c, k)`` over the pairable values."""
    import numpy as np

    n = float(counts.sum())
    if level == "nominal":
        return n * n - float((counts * counts).sum())
    if level in ("interval", "ordinal"):
        mean = float((counts * cats).sum()) / n
        return 2.0 * n * float((counts * (cats - mean) ** 2).sum())
    total = 0.0
    step = max(1, _RATIO_BLOCK // max(1, len(cats)))
    for start in range(0, len(cats), step):
        block = cats[start : start + step, None]
        d2 = _delta2("ratio", np.broadcast_to(block, (len(block), len(cats))), cats[None, :])
        total += float((counts[start : start + step, None] * counts[None, :] * d2).sum())
    return total


def _observed(level: Level, matrix: NDArray[np.float64]) -> float:
    """``sum_ck o_ck delta2(c, k)``: each pair of coders, each unit weighted 1/(m_u - 1)."""
    import numpy as np

    present = ~np.isnan(matrix)
    weight = 1.0 / (present.sum(axis=0) - 1.0)
    total = 0.0
    for i in range(matrix.shape[0] - 1):
        for j in range(i + 1, matrix.shape[0]):
            both = present[i] & present[j]
            if level == "nominal":  # NaN != NaN is masked out by ``both``
                total += 2.0 * float(np.sum(weight, where=both & (matrix[i] != matrix[j])))
                continue
            with np.errstate(invalid="ignore"):
                d2 = _delta2(level, matrix[i], matrix[j]) * weight
            total += 2.0 * float(np.sum(d2, where=both))
    return total


def krippendorff_alpha(
    reliability_data_: Any,
    level: Level = "nominal",
    *,
    categories: Sequence[Any] | None = None,
) -> Coefficient:
    """Krippendorff's alpha of coders x units data (None/NaN missing) at ``level``.

    Undefined (with the reason) when fewer than two values are pairable or all pairable values
    fall in one category: then expected disagreement is zero and alpha is 0/0.
    """
    import numpy as np

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    data = reliability_data(reliability_data_, categories, find_categories=False)
    patterns = unit_patterns(data.matrix)
    if patterns is not None:
        cats, counts = patterns.values, patterns.value_counts
        units = patterns.unit_count
    else:
        matrix = pairable(data.matrix)
        present = ~np.isnan(matrix)
        values = matrix[present]
        units = int(matrix.shape[1])
        cats, counts = value_counts(values)
    n = float(counts.sum())
    if n < 2:
        return undefined(
            NAME,
            "fewer than two pairable values: no unit was rated by two or more coders",
            variant=level,
        )
    if len(cats) < 2:
        return undefined(
            NAME,
            "all pairable values fall in one category, so expected disagreement is 0",
            variant=level,
            units=units,
            values=int(n),
        )
    if level == "ordinal":  # the ordinal metric is the interval metric on mid-ranks
        midranks = np.cumsum(counts) - counts / 2.0
        if patterns is None:
            ranked = np.full(matrix.shape, np.nan)
            ranked[present] = midranks[np.searchsorted(cats, values)]
            matrix = ranked
        cats = midranks
    if patterns is not None:
        observed = patterns.observed(_delta2(level, cats[:, None], cats[None, :]))
    else:
        observed = _observed(level, matrix)
    expected = _expected(level, cats, counts)
    if expected <= 0.0:
        return undefined(
            NAME,
            "expected disagreement is 0 under this metric",
            variant=level,
            units=units,
            values=int(n),
        )
    value = 1.0 - (n - 1.0) * observed / expected
    return Coefficient(
        NAME,
        value,
        None,
        level,
        units,
        int(n),
        observed=observed / n,
        expected=expected / (n * (n - 1.0)),
    )
