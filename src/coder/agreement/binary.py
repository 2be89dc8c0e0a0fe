"""Presence/absence agreement from sufficient statistics, vectorised over codes and replicates.

For complete binary data (every unit rated by all ``m`` coders, as excerpts reviewed by every
compared coder are) all the report's coefficients are functions of three sums over units:
``N`` units, ``P_c`` units coder ``c`` marked present, and ``Q = sum_u s_u**2`` with ``s_u``
the number of coders marking unit ``u``. With ``T = sum_c P_c``:

- percent agreement ``p_a = (2Q - 2mT + N m (m - 1)) / (N m (m - 1))`` (agreeing pairs);
- Krippendorff's nominal alpha ``1 - (Nm - 1) * 2 (mT - Q) / (m - 1) / (2 T (Nm - T))``;
- Fleiss' kappa with ``pi = T / (N m)``, ``p_e = pi**2 + (1 - pi)**2``;
- Cohen's kappa (m = 2) with ``p_e = (P_1 P_2 + (N - P_1)(N - P_2)) / N**2``;
- Gwet's AC1 with ``p_e = 2 pi (1 - pi)``; Brennan-Prediger with ``p_e = 1/2``.

The same formulas serve point estimates and bootstrap replicates (where the sums come from a
matrix product of resampling counts and per-unit statistics); tests check them against the
general coefficient functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.agreement.result import Coefficient, undefined

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Array = NDArray[np.float64]

NAMES = ("percent_agreement", "kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger")


@dataclass(frozen=True, slots=True, eq=False)
class BinarySums:
    """Sufficient statistics of presence/absence data; arrays broadcast over cells."""

    coders: int
    """m: number of coders."""
    units: Array
    """N: units (every one rated by all coders)."""
    total: Array
    """T: marks of presence, summed over coders and units."""
    squares: Array
    """Q: sum over units of (coders marking the unit present) squared."""
    first: Array | None = None
    """P_1: units the first coder marked present (two coders only, for Cohen's kappa)."""
    second: Array | None = None
    """P_2: units the second coder marked present (two coders only)."""

    @classmethod
    def from_positives(cls, units: Array, positives: Array, squares: Array) -> BinarySums:
        """Sums from per-coder presence counts (last axis: coders)."""
        m = int(positives.shape[-1])
        pair = (positives[..., 0], positives[..., 1]) if m == 2 else (None, None)
        return cls(m, units, positives.sum(axis=-1), squares, *pair)

    def pooled(self, axis: int = 0) -> BinarySums:
        """Sums over cells (e.g. codes): the pooled data."""
        return BinarySums(
            self.coders,
            self.units.sum(axis=axis),
            self.total.sum(axis=axis),
            self.squares.sum(axis=axis),
            None if self.first is None else self.first.sum(axis=axis),
            None if self.second is None else self.second.sum(axis=axis),
        )


def _chance(observed: Array, expected: Array) -> Array:
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        value = (observed - expected) / (1.0 - expected)
    return np.where(expected < 1.0 - 1e-12, value, np.nan)


def binary_values(sums: BinarySums) -> dict[str, Array]:
    """Every coefficient (NaN where undefined) plus p_o and the chance terms, per cell."""
    import numpy as np

    m = float(sums.coders)
    n_units = sums.units
    total = sums.total
    squares = sums.squares
    with np.errstate(divide="ignore", invalid="ignore"):
        agree = (2 * squares - 2 * m * total + n_units * m * (m - 1)) / (n_units * m * (m - 1))
        share = total / (n_units * m)
        n_values = n_units * m
        expected_d = 2.0 * total * (n_values - total)
        observed_d = 2.0 * (m * total - squares) / (m - 1)
        alpha = np.where(expected_d > 0, 1.0 - (n_values - 1.0) * observed_d / expected_d, np.nan)
        if sums.coders == 2:
            if sums.first is None or sums.second is None:
                raise ValueError("two-coder sums need each coder's positives")
            first, second = sums.first, sums.second
            kappa_e = (first * second + (n_units - first) * (n_units - second)) / n_units**2
        else:
            kappa_e = share**2 + (1.0 - share) ** 2
    ac1_e = 2.0 * share * (1.0 - share)
    return {
        "percent_agreement": np.where(n_units > 0, agree, np.nan),
        "kappa": _chance(agree, kappa_e),
        "krippendorff_alpha": alpha,
        "gwet_ac1": _chance(agree, ac1_e),
        "brennan_prediger": _chance(agree, np.full_like(agree, 0.5)),
        "observed": agree,
        "kappa_expected": kappa_e,
        "ac1_expected": ac1_e,
        "alpha_observed": observed_d / n_values,
        "alpha_expected": expected_d / (n_values * (n_values - 1.0)),
    }


def _reason(units: int, total: float, values: int) -> str:
    if units == 0:
        return "no units: no excerpt was reviewed by every compared coder"
    if total == 0:
        return "every coder marked the code absent on every unit (one category only)"
    if total == values:
        return "every coder marked the code present on every unit (one category only)"
    return "chance agreement is 1"


def binary_coefficients(
    sums: BinarySums, cell: tuple[int, ...] = (), values: dict[str, Array] | None = None
) -> dict[str, Coefficient]:
    """The coefficients of one cell as ``Coefficient`` objects, undefined ones with a reason.

    ``values`` are ``binary_values(sums)`` when already computed.
    """
    import numpy as np

    values = binary_values(sums) if values is None else values
    n = int(np.asarray(sums.units)[cell])
    m = sums.coders
    total = float(np.asarray(sums.total)[cell])
    kappa_name = "cohen_kappa" if m == 2 else "fleiss_kappa"
    names = {
        "percent_agreement": ("percent_agreement", "unweighted", "observed", None),
        "kappa": (kappa_name, "unweighted", "observed", "kappa_expected"),
        "krippendorff_alpha": ("krippendorff_alpha", "nominal", "alpha_observed", "alpha_expected"),
        "gwet_ac1": ("gwet_ac1", "unweighted", "observed", "ac1_expected"),
        "brennan_prediger": ("brennan_prediger", "unweighted", "observed", None),
    }
    result: dict[str, Coefficient] = {}
    for key, (name, variant, observed_key, expected_key) in names.items():
        value = float(values[key][cell])
        if not np.isfinite(value):
            result[key] = undefined(
                name, _reason(n, total, n * m), variant=variant, units=n, values=n * m
            )
            continue
        observed = float(values[observed_key][cell])
        if expected_key is not None:
            expected: float | None = float(values[expected_key][cell])
        else:
            expected = 0.5 if key == "brennan_prediger" else 0.0
        result[key] = Coefficient(name, value, None, variant, n, n * m, observed, expected)
    return result
