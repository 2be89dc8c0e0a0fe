"""Percent agreement, Gwet's AC1/AC2 and Brennan-Prediger for any number of coders.

The formulas of Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 2-3 (as in his
``irrCAC`` R package), with ``r_ik`` coders putting unit ``i`` in category ``k``, ``r_i`` ratings
of unit ``i``, ``q`` categories and agreement weights ``w`` (identity when unweighted):

- observed agreement ``p_a``: the mean over units with ``r_i >= 2`` of
  ``sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1))`` with ``r*_ik = sum_l w_kl r_il``;
- AC1/AC2 chance agreement ``p_e = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k)``, ``pi_k`` the mean
  over rated units of ``r_ik / r_i`` and ``T_w`` the sum of the weights;
- Brennan-Prediger chance agreement ``p_e = T_w / q**2``.

Weights are on category positions: linear ``1 - |k - l| / (q - 1)``, quadratic
``1 - (k - l)**2 / (q - 1)**2``. ``categories`` declares the full set of categories (Gwet's
``categ.labels``); otherwise the categories are those that occur.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coder.agreement.kappa import Weights, disagreement_weights
from coder.agreement.reliability import reliability_data
from coder.agreement.result import Coefficient, chance_corrected, undefined

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def agreement_weights(q: int, weights: Weights) -> NDArray[np.float64]:
    """q x q agreement weights (1 on the diagonal) on category positions."""
    return 1.0 - disagreement_weights(q, weights)


class _Tallies:
    """Per-unit category counts and the weighted observed agreement shared by the coefficients."""

    __slots__ = ("counts", "q", "weights", "paired", "observed", "values")

    def __init__(self, data: Any, weights: Weights, categories: Sequence[Any] | None) -> None:
        import numpy as np

        prepared = reliability_data(data, categories)
        self.counts = prepared.counts()
        self.q = int(self.counts.shape[1])
        self.weights = agreement_weights(self.q, weights)
        raters = self.counts.sum(axis=1)
        paired = raters >= 2
        self.paired = int(paired.sum())
        self.values = int(raters[paired].sum())
        if self.paired:
            r = raters[paired]
            table = self.counts[paired]
            weighted = table @ self.weights.T
            self.observed = float(((table * (weighted - 1.0)).sum(axis=1) / (r * (r - 1.0))).mean())
        else:
            self.observed = float(np.nan)

    def shares(self) -> NDArray[np.float64]:
        """pi_k: mean share of each category over units rated at least once."""
        raters = self.counts.sum(axis=1)
        rated = raters >= 1
        result: NDArray[np.float64] = (self.counts[rated] / raters[rated, None]).mean(axis=0)
        return result


def _prepare(
    name: str, data: Any, weights: Weights, categories: Sequence[Any] | None
) -> _Tallies | Coefficient:
    tallies = _Tallies(data, weights, categories)
    if not tallies.paired:
        return undefined(name, "no unit was rated by two or more coders", variant=weights)
    return tallies


def percent_agreement(
    reliability_data_: Any, weights: Weights = None, *, categories: Sequence[Any] | None = None
) -> Coefficient:
    """Share of agreeing pairs of ratings per unit, averaged over units with two or more."""
    name = "percent_agreement"
    tallies = _prepare(name, reliability_data_, weights, categories)
    if isinstance(tallies, Coefficient):
        return tallies
    return Coefficient(
        name,
        tallies.observed,
        None,
        weights or "unweighted",
        tallies.paired,
        tallies.values,
        tallies.observed,
        0.0,
    )


def gwet_ac1(
    reliability_data_: Any, weights: Weights = None, *, categories: Sequence[Any] | None = None
) -> Coefficient:
    """Gwet's AC1 (unweighted) or, with ``weights``, AC2."""
    name = "gwet_ac1" if weights is None else "gwet_ac2"
    tallies = _prepare(name, reliability_data_, weights, categories)
    if isinstance(tallies, Coefficient):
        return tallies
    if tallies.q < 2:
        return undefined(
            name,
            "only one category is in use or declared, so chance agreement is undefined",
            variant=weights or "unweighted",
            units=tallies.paired,
            values=tallies.values,
        )
    shares = tallies.shares()
    total_weight = float(tallies.weights.sum())
    p_e = total_weight / (tallies.q * (tallies.q - 1)) * float((shares * (1 - shares)).sum())
    return chance_corrected(
        name,
        tallies.observed,
        p_e,
        variant=weights or "unweighted",
        units=tallies.paired,
        values=tallies.values,
    )


def gwet_ac2(
    reliability_data_: Any,
    weights: Weights = "quadratic",
    *,
    categories: Sequence[Any] | None = None,
) -> Coefficient:
    """Gwet's AC2: AC1 with agreement weights for ordered categories."""
    return gwet_ac1(reliability_data_, weights, categories=categories)


def brennan_prediger(
    reliability_data_: Any, weights: Weights = None, *, categories: Sequence[Any] | None = None
) -> Coefficient:
    """Brennan and Prediger's (1981) coefficient: chance agreement ``T_w / q**2``."""
    name = "brennan_prediger"
    tallies = _prepare(name, reliability_data_, weights, categories)
    if isinstance(tallies, Coefficient):
        return tallies
    p_e = float(tallies.weights.sum()) / tallies.q**2
    return chance_corrected(
        name,
        tallies.observed,
        p_e,
        variant=weights or "unweighted",
        units=tallies.paired,
        values=tallies.values,
    )
