"""The case-level agreement report: coders' ratings of case attributes (relational robustness).

Units are the cases every compared coder rated on the attribute. Ordinal attributes get ordinal
alpha, linear- and quadratic-weighted Cohen's kappa (two coders) and Gwet's AC2 (quadratic
weights); nominal ones nominal alpha, Cohen's kappa and AC1; interval ones interval alpha. With
three or more coders the kappa is Fleiss'. Levels are the codebook's, in its order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from coder.agreement.agreement_row import BootstrapSettings
from coder.agreement.alpha import krippendorff_alpha
from coder.agreement.bootstrap import (
    DEFAULT_CONFIDENCE,
    DEFAULT_REPLICATES,
    bootstrap_alpha,
    bootstrap_kappa,
)
from coder.agreement.case_units import CaseRatings, ExcludedCase, load_case_ratings
from coder.agreement.gwet import gwet_ac1, percent_agreement
from coder.agreement.kappa import Weights, cohen_kappa, confusion_matrix, fleiss_kappa
from coder.agreement.reliability import reliability_data
from coder.agreement.result import Coefficient, threshold_flag, too_few_units

if TYPE_CHECKING:
    from coder.project.project import Project

ALPHA_LEVEL = {"nominal": "nominal", "ordinal": "ordinal", "interval": "interval"}


@dataclass(frozen=True, slots=True)
class Confusion:
    """Cross-table of two coders' ratings (rows: first coder, columns: second)."""

    coders: tuple[str, str]
    """The two coders."""
    levels: tuple[str, ...]
    """Row and column levels, in codebook order."""
    counts: tuple[tuple[int, ...], ...]
    """Cases rated (row level, column level)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "coders": list(self.coders),
            "levels": list(self.levels),
            "counts": [list(row) for row in self.counts],
        }


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    """Agreement on one case attribute."""

    attribute: str
    """Attribute id, e.g. ``relational_robustness``."""
    label: str
    """Its label in the codebook's first language."""
    kind: str
    """nominal, ordinal or interval."""
    levels: tuple[str, ...]
    """Level ids in order (empty for interval attributes)."""
    units: int
    """Cases every compared coder rated."""
    excluded: tuple[ExcludedCase, ...]
    """Cases left out, with the coders who did not rate them."""
    percent_agreement: Coefficient
    """Share of agreeing pairs (exact level match)."""
    alpha: Coefficient
    """Krippendorff's alpha at the attribute's level of measurement, with its interval."""
    kappa: Coefficient
    """Two coders: Cohen's kappa, linear-weighted when ordinal; more: Fleiss' kappa."""
    weighted_kappa: dict[str, Coefficient]
    """Two coders on an ordinal attribute: Cohen's kappa with linear and quadratic weights."""
    ac: Coefficient
    """Gwet's AC2 with quadratic weights (ordinal) or AC1 (nominal)."""
    confusion: tuple[Confusion, ...]
    """One cross-table per pair of coders (nominal and ordinal attributes)."""

    @property
    def flag(self) -> str:
        """Krippendorff's thresholds on alpha."""
        return threshold_flag(self.alpha)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "attribute": self.attribute,
            "label": self.label,
            "kind": self.kind,
            "levels": list(self.levels),
            "units": self.units,
            "left_out": [item.to_dict() for item in self.excluded],
            "percent_agreement": self.percent_agreement.to_dict(),
            "alpha": self.alpha.to_dict(),
            "kappa": self.kappa.to_dict(),
            "weighted_kappa": {k: v.to_dict() for k, v in self.weighted_kappa.items()},
            "ac": self.ac.to_dict(),
            "confusion": [table.to_dict() for table in self.confusion],
            "flag": self.flag,
        }


@dataclass(frozen=True, slots=True)
class CaseReport:
    """Agreement between coders on case attributes; the unit is the case."""

    coders: tuple[str, ...]
    """The compared coders."""
    cases: int
    """Cases in the project."""
    attributes: tuple[AttributeAgreement, ...]
    """One entry per rateable attribute of the codebook."""
    bootstrap: BootstrapSettings | None
    """How the intervals were computed, or None."""
    unrated: tuple[str, ...] = ()
    """Attributes nobody compared rated, left out."""

    level = "case"

    def statement(self) -> str:
        """What the units were, per attribute."""
        parts = [
            f"{item.attribute}: {item.units} of {self.cases} cases rated by every compared coder"
            + (f", {len(item.excluded)} left out" if item.excluded else "")
            for item in self.attributes
        ]
        text = f"Units: cases; coders {', '.join(self.coders)}. " + "; ".join(parts) + "."
        if self.unrated:
            text += f" Not rated by the compared coders: {', '.join(self.unrated)}."
        return text

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (layout in docs/agreement.md)."""
        return {
            "level": self.level,
            "unit": "case",
            "coders": list(self.coders),
            "cases": self.cases,
            "statement": self.statement(),
            "bootstrap": None if self.bootstrap is None else self.bootstrap.to_dict(),
            "attributes": [item.to_dict() for item in self.attributes],
            "unrated": list(self.unrated),
        }


def _attribute(
    ratings: CaseRatings, index: int, settings: BootstrapSettings | None
) -> AttributeAgreement:
    import numpy as np

    spec = ratings.specs[index]
    matrix = ratings.matrices[index]
    levels = tuple(level.id for level in spec.levels)
    categories = list(range(len(levels))) if levels else None
    data = reliability_data(matrix, categories)
    level = ALPHA_LEVEL[spec.kind]
    options: dict[str, Any] = {}
    if settings is not None:
        options = {
            "replicates": settings.replicates,
            "seed": settings.seed,
            "confidence": settings.confidence,
        }
    alpha = (
        bootstrap_alpha(data.matrix, level, **options)  # type: ignore[arg-type]
        if options
        else krippendorff_alpha(data.matrix, level)  # type: ignore[arg-type]
    )
    weighted: dict[str, Coefficient] = {}
    if not levels:
        kappa = _no_kappa(spec.kind)
    elif len(ratings.coders) == 2:
        a, b = data.matrix[0].tolist(), data.matrix[1].tolist()
        first: Weights = "linear" if spec.kind == "ordinal" else None
        kappa = (
            bootstrap_kappa(a, b, first, categories=categories, **options)
            if options
            else cohen_kappa(a, b, first, categories=categories)
        )
        if spec.kind == "ordinal":
            weighted = {
                w: cohen_kappa(a, b, w, categories=categories) for w in ("linear", "quadratic")
            }
    else:
        kappa = fleiss_kappa(data.counts())
    ac_weights: Weights = "quadratic" if spec.kind == "ordinal" else None
    ac = gwet_ac1(matrix, ac_weights, categories=categories) if levels else _no_ac()
    confusion: list[Confusion] = []
    if levels:
        for (i, first_name), (j, second_name) in combinations(enumerate(ratings.coders), 2):
            table, _ = confusion_matrix(
                matrix[i].tolist(), matrix[j].tolist(), categories=categories
            )
            counts = tuple(tuple(int(v) for v in row) for row in np.asarray(table))
            confusion.append(Confusion((first_name, second_name), levels, counts))
    language = ratings.language
    units = int(matrix.shape[1])
    alpha, kappa, ac = (too_few_units(c, units, "case") for c in (alpha, kappa, ac))
    weighted = {w: too_few_units(c, units, "case") for w, c in weighted.items()}
    return AttributeAgreement(
        attribute=spec.id,
        label=spec.label_in(language),
        kind=spec.kind,
        levels=levels,
        units=units,
        excluded=ratings.excluded[index],
        percent_agreement=percent_agreement(matrix, categories=categories),
        alpha=alpha,
        kappa=kappa,
        weighted_kappa=weighted,
        ac=ac,
        confusion=tuple(confusion),
    )


def _no_kappa(kind: str) -> Coefficient:
    from coder.agreement.result import undefined

    return undefined("fleiss_kappa", f"kappa needs categories; {kind} ratings have none")


def _no_ac() -> Coefficient:
    from coder.agreement.result import undefined

    return undefined("gwet_ac1", "AC1/AC2 need categories; interval ratings have none")


def case_report(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    attributes: Sequence[str] | None = None,
    bootstrap: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> CaseReport:
    """Compare coders' case ratings (``bootstrap=0``: no intervals)."""
    if bootstrap < 0:
        raise ValueError("bootstrap replicates cannot be negative")
    ratings = load_case_ratings(project, coders, attributes)
    settings = BootstrapSettings(bootstrap, seed, confidence) if bootstrap else None
    items = tuple(_attribute(ratings, index, settings) for index in range(len(ratings.specs)))
    return CaseReport(ratings.coders, ratings.cases, items, settings, ratings.unrated)
