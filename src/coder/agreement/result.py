"""``Coefficient``: one agreement coefficient, defined or not, with its confidence interval."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any


def _number(value: float | None) -> float | None:
    """A JSON-safe float: None for missing, NaN and infinities."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap confidence interval, or the reason there is none."""

    low: float | None
    """Lower bound; None when the interval is undefined."""
    high: float | None
    """Upper bound; None when the interval is undefined."""
    confidence: float
    """Confidence level, e.g. 0.95."""
    replicates: int
    """Bootstrap replicates drawn."""
    used: int
    """Replicates in which the coefficient was defined (the interval is taken over these)."""
    seed: int
    """Seed of the random generator; the same seed gives the same interval."""
    method: str = "unit bootstrap, percentile"
    """How it was computed: units resampled with replacement, percentile interval."""
    reason: str | None = None
    """Why the interval is undefined, or None."""

    @property
    def defined(self) -> bool:
        """Whether both bounds exist."""
        return self.low is not None and self.high is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "low": _number(self.low),
            "high": _number(self.high),
            "confidence": self.confidence,
            "replicates": self.replicates,
            "used": self.used,
            "seed": self.seed,
            "method": self.method,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Coefficient:
    """The value of one agreement coefficient, or the reason it is undefined."""

    name: str
    """Which coefficient: krippendorff_alpha, cohen_kappa, fleiss_kappa, gwet_ac1, ..."""
    value: float | None
    """The coefficient; None when undefined (never a stand-in 0 or 1)."""
    reason: str | None = None
    """Why the coefficient is undefined; None when it is defined."""
    variant: str | None = None
    """Level of measurement (alpha) or weights (kappa, AC2): nominal, linear, quadratic, ..."""
    units: int = 0
    """Units that entered the computation (pairable units for alpha, rated pairs for kappa)."""
    values: int = 0
    """Single ratings that entered the computation."""
    observed: float | None = None
    """Observed agreement p_o (Krippendorff's alpha: observed disagreement D_o)."""
    expected: float | None = None
    """Chance agreement p_e (Krippendorff's alpha: expected disagreement D_e)."""
    ci: Interval | None = None
    """Bootstrap confidence interval, when one was asked for."""

    @property
    def defined(self) -> bool:
        """Whether the coefficient has a value."""
        return self.value is not None

    def with_ci(self, ci: Interval) -> Coefficient:
        """The same coefficient with a confidence interval attached."""
        return replace(self, ci=ci)

    def __float__(self) -> float:
        if self.value is None:
            raise ValueError(f"{self.name} is undefined: {self.reason}")
        return self.value

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: undefined values are null with a reason."""
        return {
            "name": self.name,
            "value": _number(self.value),
            "defined": self.defined,
            "reason": self.reason,
            "variant": self.variant,
            "units": self.units,
            "values": self.values,
            "observed": _number(self.observed),
            "expected": _number(self.expected),
            "ci": None if self.ci is None else self.ci.to_dict(),
        }


def undefined(
    name: str, reason: str, *, variant: str | None = None, units: int = 0, values: int = 0
) -> Coefficient:
    """A coefficient that cannot be computed, saying why."""
    return Coefficient(name, None, reason, variant, units, values)


MIN_UNITS = 2
"""Fewer units than this and a chance-corrected coefficient says "too few units", not a value."""
TOO_FEW = "too few units"
"""How an undefined coefficient's reason starts when there were too few units."""


def too_few_units(coefficient: Coefficient, units: int, unit: str = "unit") -> Coefficient:
    """``coefficient`` unless fewer than ``MIN_UNITS`` units entered it; then undefined, saying so.

    One case (or excerpt) gives alpha 0.000 or kappa 0/0 by arithmetic, which reads like a
    finding; it is not one.
    """
    if units >= MIN_UNITS:
        return coefficient
    plural = unit if units == 1 else f"{unit}s"
    reason = f"{TOO_FEW}: {units} {plural} compared, at least {MIN_UNITS} needed"
    return Coefficient(
        coefficient.name, None, reason, coefficient.variant, units, coefficient.values
    )


def chance_corrected(
    name: str,
    observed: float,
    expected: float,
    *,
    variant: str | None = None,
    units: int = 0,
    values: int = 0,
) -> Coefficient:
    """``(p_o - p_e) / (1 - p_e)``, undefined when chance agreement is perfect."""
    if expected >= 1.0 - 1e-12:
        return Coefficient(
            name,
            None,
            "chance agreement is 1 (every rating falls in one category), so the coefficient is 0/0",
            variant,
            units,
            values,
            observed,
            expected,
        )
    value = (observed - expected) / (1.0 - expected)
    return Coefficient(name, value, None, variant, units, values, observed, expected)


DISCARD_BELOW = 0.667
"""Krippendorff (2004, p. 241): discard data with alpha below .667."""
TENTATIVE_BELOW = 0.800
"""Krippendorff (2004, p. 241): draw only tentative conclusions with alpha below .800."""


def threshold_flag(alpha: Coefficient) -> str:
    """``ok``, ``tentative`` (alpha < .800), ``discard`` (alpha < .667) or ``undefined``."""
    if alpha.value is None:
        return "undefined"
    if alpha.value < DISCARD_BELOW:
        return "discard"
    if alpha.value < TENTATIVE_BELOW:
        return "tentative"
    return "ok"
