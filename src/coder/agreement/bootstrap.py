"""Seeded bootstrap confidence intervals for alpha and kappa.

Method: a *unit-resampling* (nonparametric, percentile) bootstrap. Each replicate draws as many
units as there are, with replacement, recomputes the coefficient on them, and the interval is
the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the replicates in which the
coefficient is defined (the count is reported as ``used``). This is not Krippendorff's own
bootstrap (which resamples pairable values from the coincidence matrix): resampling units keeps
each unit's ratings together, which is what a methods section usually assumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from coder.agreement.alpha import Level, krippendorff_alpha
from coder.agreement.kappa import Weights, kappa_from_table
from coder.agreement.reliability import reliability_data
from coder.agreement.result import Coefficient, Interval

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

DEFAULT_REPLICATES = 1000
DEFAULT_CONFIDENCE = 0.95
_CHUNK_CELLS = 1 << 22


def percentile_interval(
    samples: NDArray[np.float64], *, replicates: int, seed: int, confidence: float
) -> Interval:
    """The percentile interval of the defined (finite) samples."""
    import numpy as np

    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return Interval(
            None,
            None,
            confidence,
            replicates,
            0,
            seed,
            reason="the coefficient was undefined in every bootstrap replicate",
        )
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return Interval(float(low), float(high), confidence, replicates, int(finite.size), seed)


def no_interval(reason: str, *, replicates: int, seed: int, confidence: float) -> Interval:
    """An interval that could not be computed, saying why."""
    return Interval(None, None, confidence, replicates, 0, seed, reason=reason)


def resample_counts(units: int, replicates: int, seed: int) -> Iterator[NDArray[np.float32]]:
    """Blocks of replicates x units: how often each unit was drawn in each replicate."""
    import numpy as np

    rng = np.random.default_rng(seed)
    step = max(1, min(replicates, _CHUNK_CELLS // max(units, 1)))
    wide = units >= 2**31
    done = 0
    while done < replicates:
        rows = min(step, replicates - done)
        draws = rng.integers(0, units, size=(rows, units), dtype=np.int64 if wide else np.int32)
        counts = np.empty((rows, units), dtype=np.float32)
        for row in range(rows):  # one replicate's bins stay in cache, unlike one flat bincount
            counts[row] = np.bincount(draws[row], minlength=units)
        yield counts
        done += rows


def bootstrap_units(
    matrix: NDArray[np.float64],
    statistic: Callable[[NDArray[np.float64]], Coefficient],
    *,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Interval:
    """Bootstrap ``statistic`` over the columns (units) of a coders x units matrix."""
    import numpy as np

    units = int(matrix.shape[1])
    if replicates < 1:
        raise ValueError("the bootstrap needs at least one replicate")
    if units == 0:
        return no_interval("no units", replicates=replicates, seed=seed, confidence=confidence)
    rng = np.random.default_rng(seed)
    samples = np.full(replicates, np.nan)
    for index in range(replicates):
        drawn = matrix[:, rng.integers(0, units, size=units)]
        value = statistic(drawn).value
        if value is not None:
            samples[index] = value
    return percentile_interval(samples, replicates=replicates, seed=seed, confidence=confidence)


def bootstrap_alpha(
    reliability_data_: Any,
    level: Level = "nominal",
    *,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    categories: Sequence[Any] | None = None,
) -> Coefficient:
    """Krippendorff's alpha with a seeded unit-bootstrap confidence interval."""
    data = reliability_data(reliability_data_, categories)
    point = krippendorff_alpha(data.matrix, level)
    interval = bootstrap_units(
        data.matrix,
        lambda drawn: krippendorff_alpha(drawn, level),
        replicates=replicates,
        seed=seed,
        confidence=confidence,
    )
    return point.with_ci(interval)


def bootstrap_kappa(
    a: Sequence[Any],
    b: Sequence[Any],
    weights: Weights = None,
    *,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    categories: Sequence[Any] | None = None,
) -> Coefficient:
    """Cohen's kappa with a seeded bootstrap interval over the units both coders rated.

    The categories (and so the weights) are fixed from the full data, not re-derived from each
    replicate.
    """
    import numpy as np

    if len(a) != len(b):
        raise ValueError(f"the two coders rated different numbers of units ({len(a)}, {len(b)})")
    data = reliability_data([list(a), list(b)], categories)
    index = data.category_index()
    both = index[:, (index[0] >= 0) & (index[1] >= 0)]
    q = len(data.categories)

    def kappa(drawn: NDArray[np.float64]) -> Coefficient:
        cells = (drawn[0] * q + drawn[1]).astype(np.int64)
        table = np.bincount(cells, minlength=q * q).reshape(q, q)
        return kappa_from_table(table, weights)

    pairs = both.astype(np.float64)
    point = kappa(pairs)
    interval = bootstrap_units(
        pairs, kappa, replicates=replicates, seed=seed, confidence=confidence
    )
    return point.with_ci(interval)
