"""Krippendorff's alpha from unit patterns: the fast path for small integer-coded ratings.

With ``m`` coders and ``q`` categories coded as consecutive integers, a unit's ratings are one of
at most ``(q + 1) ** m`` patterns (each coder: a category or missing). Counting the units of each
pattern is one ``np.bincount`` over an integer key per unit; everything alpha needs (the
pairable values, each category's count ``n_c`` and the observed coincidences
``sum_u n_u D n_u / (m_u - 1)``, with ``n_u`` the unit's category counts and ``D`` the squared
metric differences) then comes from the few distinct patterns. So a million units x 3 coders
costs a handful of passes over the data instead of one per pair of coders.

``unit_patterns`` returns None when the data do not fit (non-integer values, a wide range of
values, or too many possible patterns); ``coder.agreement.alpha`` then takes the general path.
Both give the same value (tests compare them with each other and with the ``krippendorff``
package).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MAX_SPAN = 1 << 12
"""Widest range of integer values (max - min + 1) the fast path takes."""
MAX_KEYS = 1 << 22
"""Most possible patterns ``(span + 1) ** coders`` the fast path counts with one bincount."""
MAX_CELLS = 1 << 24
"""Most cells in the patterns x categories table of counts."""


@dataclass(frozen=True, slots=True, eq=False)
class UnitPatterns:
    """The distinct rating patterns among the pairable units and how many units have each."""

    values: NDArray[np.float64]
    """Sorted category values that occur among the pairable values."""
    counts: NDArray[np.float64]
    """Patterns x categories: how many coders put a unit of the pattern in each category."""
    units: NDArray[np.float64]
    """Per pattern: the number of units with it."""

    @property
    def value_counts(self) -> NDArray[np.float64]:
        """``n_c``: pairable values in each category."""
        return self.units @ self.counts

    @property
    def unit_count(self) -> int:
        """Pairable units."""
        return int(self.units.sum())

    def observed(self, metric: NDArray[np.float64]) -> float:
        """``sum_ck o_ck delta2(c, k)`` given ``metric[c, k] = delta2(c, k)``."""
        coincidences = ((self.counts @ metric) * self.counts).sum(axis=1)
        rated = self.counts.sum(axis=1)
        return float((self.units / (rated - 1.0)) @ coincidences)


def _codes(matrix: NDArray[np.float64]) -> tuple[NDArray[np.int32], float, int] | None:
    """Integer codes ``0..span-1`` per cell (``span`` where missing), the lowest value, span."""
    import numpy as np

    low = float(np.fmin.reduce(matrix, axis=None))
    high = float(np.fmax.reduce(matrix, axis=None))
    if np.isnan(low) or high - low >= MAX_SPAN:
        return None
    span = int(high - low) + 1
    if (span + 1) ** matrix.shape[0] > MAX_KEYS:
        return None
    shifted = matrix - low
    np.copyto(shifted, float(span), where=np.isnan(shifted))
    codes = shifted.astype(np.int32)  # MAX_KEYS keeps every key within int32
    if not np.array_equal(codes, shifted):  # some value is not an integer
        return None
    return codes, low, span


def unit_patterns(matrix: NDArray[np.float64]) -> UnitPatterns | None:
    """The patterns of the pairable units of a coders x units matrix, or None (see module)."""
    import numpy as np

    coders, units = matrix.shape
    if coders < 2 or units == 0:
        return None
    coded = _codes(matrix)
    if coded is None:
        return None
    codes, low, span = coded
    base = span + 1
    key = codes[0].copy()
    for row in codes[1:]:
        key *= base
        key += row
    frequency = np.bincount(key, minlength=base**coders)
    found = np.flatnonzero(frequency)
    if found.size * base > MAX_CELLS:
        return None
    powers = base ** np.arange(coders - 1, -1, -1, dtype=np.int64)
    digits = (found[:, None] // powers) % base  # patterns x coders, ``span`` = missing
    cells = np.repeat(np.arange(found.size, dtype=np.int64) * base, coders) + digits.ravel()
    table = np.bincount(cells, minlength=found.size * base).reshape(found.size, base)
    counts = table[:, :span].astype(np.float64)
    pairable = counts.sum(axis=1) >= 2
    counts, weights = counts[pairable], frequency[found][pairable].astype(np.float64)
    used = np.flatnonzero(weights @ counts if weights.size else np.zeros(span))
    return UnitPatterns(used.astype(np.float64) + low, counts[:, used], weights)
