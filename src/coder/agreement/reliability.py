"""Reliability data: coders x units, missing values as NaN; categories and per-unit counts.

The orientation follows Krippendorff (2011) and the ``krippendorff`` package: one row per coder,
one column per unit. Missing ratings are ``None`` or ``NaN``. Numbers are used as they are;
labels (strings) are mapped to category positions, in the order of ``categories`` when given,
else sorted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True, slots=True, eq=False)
class ReliabilityData:
    """Ratings as a float matrix (coders x units, NaN missing) and the categories they use."""

    matrix: FloatArray
    """Coders x units; NaN where a coder did not rate a unit."""
    categories: FloatArray
    """Sorted category values: the declared domain, or the values that occur."""
    labels: tuple[object, ...] | None
    """Original labels of the categories when the input was not numeric, else None."""

    @property
    def coders(self) -> int:
        """Number of coders (rows)."""
        return int(self.matrix.shape[0])

    @property
    def units(self) -> int:
        """Number of units (columns)."""
        return int(self.matrix.shape[1])

    def category_index(self) -> IntArray:
        """Position of each rating in ``categories`` (-1 where missing), coders x units."""
        import numpy as np

        index = np.full(self.matrix.shape, -1, dtype=np.int64)
        present = ~np.isnan(self.matrix)
        index[present] = np.searchsorted(self.categories, self.matrix[present])
        return index

    def counts(self) -> FloatArray:
        """Units x categories: how many coders put each unit in each category."""
        import numpy as np

        q = len(self.categories)
        index = self.category_index()
        units = np.broadcast_to(np.arange(self.units), index.shape)
        keep = index >= 0
        flat = units[keep] * q + index[keep]
        counts = np.bincount(flat, minlength=self.units * q).astype(np.float64)
        return counts.reshape(self.units, q)


def _numeric(data: Any) -> FloatArray | None:
    import numpy as np

    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        return data.astype(np.float64, copy=False)
    try:
        return np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _as_2d(matrix: Any) -> None:
    if matrix.ndim != 2:
        raise ValueError(
            f"reliability data must be 2-D (coders x units), not of shape {matrix.shape}"
        )


def value_counts(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sorted distinct values and how often each occurs (bincount when they are small ints)."""
    import numpy as np

    if values.size == 0:
        return np.zeros(0), np.zeros(0)
    low, high = float(values.min()), float(values.max())
    if high - low < 1e6 and np.array_equal(values, np.floor(values)):
        counts = np.bincount((values - low).astype(np.int64))
        found = np.nonzero(counts)[0]
        return found.astype(np.float64) + low, counts[found].astype(np.float64)
    distinct, counts = np.unique(values, return_counts=True)
    return distinct, counts.astype(np.float64)


def reliability_data(
    data: Any, categories: Sequence[Any] | None = None, *, find_categories: bool = True
) -> ReliabilityData:
    """Coerce coders x units ratings (numbers or labels; None/NaN missing) to ``ReliabilityData``.

    ``categories`` declares the full domain (categories nobody used still count for Gwet's and
    Brennan-Prediger's chance agreement); for labels it also gives their order. With
    ``find_categories`` false, numeric data without declared categories gets none (saves a
    pass over the data when the caller counts values itself).
    """
    import numpy as np

    matrix = _numeric(data)
    if matrix is not None:
        _as_2d(matrix)
        if matrix.size and np.isinf(matrix).any():
            raise ValueError("reliability data contains an infinite value")
        if categories is None and not find_categories:
            return ReliabilityData(matrix, np.zeros(0), None)
        present = value_counts(matrix[~np.isnan(matrix)])[0]
        if categories is None:
            return ReliabilityData(matrix, present, None)
        domain = np.unique(np.asarray(categories, dtype=np.float64))
        unknown = np.setdiff1d(present, domain)
        if unknown.size:
            raise ValueError(f"values {unknown.tolist()} are not among the declared categories")
        return ReliabilityData(matrix, domain, None)
    cells = np.asarray(data, dtype=object)
    _as_2d(cells)
    found = {value for value in cells.ravel().tolist() if not _missing(value)}
    if categories is None:
        order: list[Any] = sorted(found, key=str)
    else:
        order = list(dict.fromkeys(categories))
        unknown_labels = sorted(str(value) for value in found - set(order))
        if unknown_labels:
            raise ValueError(f"labels {unknown_labels} are not among the declared categories")
    position = {label: float(index) for index, label in enumerate(order)}
    mapped = np.array(
        [[math.nan if _missing(v) else position[v] for v in row] for row in cells.tolist()],
        dtype=np.float64,
    ).reshape(cells.shape)
    return ReliabilityData(mapped, np.arange(len(order), dtype=np.float64), tuple(order))


def pairable(matrix: FloatArray) -> FloatArray:
    """The columns (units) rated by at least two coders."""
    import numpy as np

    rated = (~np.isnan(matrix)).sum(axis=0)
    return matrix[:, rated >= 2]
