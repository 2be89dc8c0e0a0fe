"""``AgreementRow``: one line of an excerpt-level report (a code, a transcript, or overall)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coder.agreement.binary import BinarySums, binary_coefficients, binary_values
from coder.agreement.bootstrap import DEFAULT_CONFIDENCE
from coder.agreement.result import MIN_UNITS, Coefficient, Interval, threshold_flag, too_few_units


@dataclass(frozen=True, slots=True)
class BootstrapSettings:
    """How a report's confidence intervals were computed."""

    replicates: int
    """Bootstrap replicates."""
    seed: int
    """Random seed; the same seed gives the same intervals."""
    confidence: float = DEFAULT_CONFIDENCE
    """Confidence level."""
    method: str = "unit bootstrap (units resampled with replacement), percentile interval"
    """The method, as it should be reported."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "replicates": self.replicates,
            "seed": self.seed,
            "confidence": self.confidence,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """Presence/absence agreement on one code, one transcript (pooled) or overall (pooled)."""

    scope: str
    """``code``, ``transcript`` or ``overall``."""
    id: str | None
    """Code or transcript id; None for overall."""
    label: str | None
    """The code's label in the codebook's first language."""
    units: int
    """Excerpts compared."""
    cells: int
    """Units of the coefficients: excerpts for a code, excerpts x codes when pooled."""
    present: dict[str, int]
    """Per coder: cells marked present."""
    percent_agreement: Coefficient
    """Share of agreeing coder pairs."""
    kappa: Coefficient
    """Cohen's kappa for two coders, Fleiss' kappa for more."""
    alpha: Coefficient
    """Krippendorff's alpha (nominal), with its interval when bootstrapped."""
    ac1: Coefficient
    """Gwet's AC1."""
    brennan_prediger: Coefficient
    """Brennan and Prediger's coefficient."""

    @property
    def prevalence(self) -> dict[str, float | None]:
        """Per coder: share of cells marked present (None without cells)."""
        return {
            name: (count / self.cells if self.cells else None)
            for name, count in self.present.items()
        }

    @property
    def flag(self) -> str:
        """Krippendorff's thresholds on alpha: ok, tentative, discard or undefined."""
        return threshold_flag(self.alpha)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "scope": self.scope,
            "id": self.id,
            "label": self.label,
            "units": self.units,
            "cells": self.cells,
            "present": dict(self.present),
            "prevalence": self.prevalence,
            "percent_agreement": self.percent_agreement.to_dict(),
            "kappa": self.kappa.to_dict(),
            "alpha": self.alpha.to_dict(),
            "ac1": self.ac1.to_dict(),
            "brennan_prediger": self.brennan_prediger.to_dict(),
            "flag": self.flag,
        }


def _with(
    coefficient: Coefficient, intervals: dict[str, Interval] | None, key: str, units: int
) -> Coefficient:
    if intervals is None or key not in intervals or units < MIN_UNITS:
        return coefficient
    return coefficient.with_ci(intervals[key])


def rows_from_sums(
    sums: BinarySums,
    scope: str,
    ids: Sequence[str | None],
    labels: Sequence[str | None],
    units: Sequence[int],
    present: Sequence[dict[str, int]],
    intervals: Sequence[dict[str, Interval]] | None,
    *,
    cells: Sequence[int] | None = None,
) -> list[AgreementRow]:
    """One row per cell of ``sums`` (a scalar cell when ``sums`` is pooled)."""
    import numpy as np

    rows: list[AgreementRow] = []
    values = binary_values(sums)
    for index, (row_id, label, count) in enumerate(zip(ids, labels, units, strict=True)):
        cell: tuple[int, ...] = () if np.ndim(sums.units) == 0 else (index,)
        found = binary_coefficients(sums, cell, values)
        ci = None if intervals is None else intervals[index]
        for key in ("kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
            found[key] = too_few_units(found[key], count, "excerpt")
        rows.append(
            AgreementRow(
                scope=scope,
                id=row_id,
                label=label,
                units=count,
                cells=count if cells is None else cells[index],
                present=present[index],
                percent_agreement=found["percent_agreement"],
                kappa=_with(found["kappa"], ci, "kappa", count),
                alpha=_with(found["krippendorff_alpha"], ci, "krippendorff_alpha", count),
                ac1=_with(found["gwet_ac1"], ci, "gwet_ac1", count),
                brennan_prediger=found["brennan_prediger"],
            )
        )
    return rows
