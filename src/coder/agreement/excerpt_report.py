"""The excerpt-level agreement report: per code, pooled over codes, and per transcript.

Units are the codable excerpts every compared coder reviewed (DESIGN.md); on each, a code is
present for a coder when the coder applied it (a narrower span counts as presence). Coefficients
come from the sufficient statistics in ``coder.agreement.binary``; the bootstrap draws each
replicate's sums as counts of unit patterns (``coder.agreement.pattern_bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.agreement.agreement_row import AgreementRow, BootstrapSettings, rows_from_sums
from coder.agreement.binary import BinarySums, binary_values
from coder.agreement.bootstrap import (
    DEFAULT_CONFIDENCE,
    DEFAULT_REPLICATES,
    no_interval,
    percentile_interval,
)
from coder.agreement.excerpt_units import ExcerptUnits, load_excerpt_units
from coder.agreement.excluded_excerpts import ExcludedExcerpts
from coder.agreement.pattern_bootstrap import bootstrap_sums
from coder.agreement.result import Interval

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from coder.project.project import Project

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) as the report is computed."""

CI_KEYS = ("krippendorff_alpha", "kappa", "gwet_ac1")
"""Coefficients that get bootstrap intervals."""


@dataclass(frozen=True, slots=True)
class ExcerptReport:
    """Agreement between coders on excerpts: what was compared, and the coefficients."""

    coders: tuple[str, ...]
    """The compared coders."""
    units: int
    """Units: codable excerpts reviewed by every compared coder."""
    codable: int
    """Codable excerpts in the project."""
    codes: tuple[AgreementRow, ...]
    """One row per compared code, in codebook order."""
    overall: AgreementRow
    """Pooled over codes: each (excerpt, code) pair is a unit."""
    transcripts: tuple[AgreementRow, ...]
    """Pooled over codes, per transcript (no intervals)."""
    excluded: ExcludedExcerpts
    """Codable excerpts left out because some compared coder did not review them."""
    unreviewed: int
    """Codable excerpts left out because no compared coder reviewed them."""
    implicit_reviews: dict[str, int]
    """Per coder: excerpts counted as reviewed because the coder coded them without the mark."""
    outside_codings: int
    """Codings on excerpts that are not codable, not counted."""
    bootstrap: BootstrapSettings | None
    """How the intervals were computed, or None without a bootstrap."""
    codebook_version: str | None = None
    """Only codings made under this codebook version were compared (None: every coding)."""
    other_version: int = 0
    """Codable excerpts left out because a compared coder coded them under another version."""

    level = "excerpt"

    def statement(self) -> str:
        """One paragraph saying what the units were and what was left out."""
        left = len(self.excluded) + self.unreviewed + self.other_version
        text = (
            f"Codings made under codebook version {self.codebook_version} only. "
            if self.codebook_version is not None
            else ""
        ) + (
            f"Units: {self.units} of {self.codable} codable excerpts, those reviewed by every "
            f"compared coder ({', '.join(self.coders)}); {len(self.codes)} "
            f"code{'' if len(self.codes) == 1 else 's'}. "
            f"Left out: {left} excerpts"
        )
        parts = [f"{count} {reason}" for reason, count in self.exclusion_summary().items()]
        text += (" (" + "; ".join(parts) + ")") if parts else ""
        implicit = {name: n for name, n in self.implicit_reviews.items() if n}
        if implicit:
            listed = ", ".join(f"{name} {n}" for name, n in implicit.items())
            text += f". Counted as reviewed because coded without the reviewed mark: {listed}"
        if self.outside_codings:
            text += f". {self.outside_codings} codings on non-codable excerpts were not counted"
        return text + "."

    def exclusion_summary(self) -> dict[str, int]:
        """Reason -> number of excerpts left out for it."""
        summary = self.excluded.summary()
        if self.unreviewed:
            summary["reviewed by none of the compared coders"] = self.unreviewed
        if self.other_version:
            summary[f"coded under another codebook version than {self.codebook_version}"] = (
                self.other_version
            )
        return summary

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (layout in docs/agreement.md)."""
        return {
            "level": self.level,
            "unit": "excerpt",
            "coders": list(self.coders),
            "units": self.units,
            "codable_excerpts": self.codable,
            "statement": self.statement(),
            "codebook_version": self.codebook_version,
            "bootstrap": None if self.bootstrap is None else self.bootstrap.to_dict(),
            "codes": [row.to_dict() for row in self.codes],
            "overall": self.overall.to_dict(),
            "transcripts": [row.to_dict() for row in self.transcripts],
            "left_out": {
                "count": len(self.excluded) + self.unreviewed + self.other_version,
                "summary": self.exclusion_summary(),
                "not_reviewed_by_anyone": self.unreviewed,
                "excerpts": [item.to_dict() for item in self.excluded],
            },
            "implicit_reviews": dict(self.implicit_reviews),
            "outside_codings": self.outside_codings,
        }


def _present(coders: Sequence[str], positives: NDArray[np.int64]) -> list[dict[str, int]]:
    """Per row of ``positives`` (cells x coders): coder -> cells marked present."""
    return [
        {name: int(count) for name, count in zip(coders, row, strict=True)}
        for row in positives.tolist()
    ]


def _sums(units: ExcerptUnits) -> tuple[BinarySums, NDArray[np.int64], NDArray[np.int64]]:
    """Per-code sums, per-code positives (codes x coders), marks per unit (units x codes)."""
    import numpy as np

    presence = units.presence
    marks = presence.sum(axis=0, dtype=np.int64)
    positives = presence.sum(axis=1, dtype=np.int64).T
    squares = (marks * marks).sum(axis=0).astype(np.float64)
    count = np.full(len(units.codes), float(units.units))
    sums = BinarySums.from_positives(count, positives.astype(np.float64), squares)
    return sums, positives, marks


def _transcript_sums(
    units: ExcerptUnits, marks: NDArray[np.int64]
) -> tuple[BinarySums, NDArray[np.int64], NDArray[np.int64]]:
    """Sums pooled over codes per transcript; positives (transcripts x coders); excerpts."""
    import numpy as np

    codes, m = len(units.codes), len(units.coders)
    if units.units == 0:
        none = np.zeros(0)
        empty = np.zeros((0, m), dtype=np.int64)
        sums = BinarySums.from_positives(none, empty.astype(np.float64), none)
        return sums, empty, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, np.diff(units.transcript_of) != 0])
    excerpts = np.diff(np.r_[starts, units.units])
    per_coder = units.presence.sum(axis=2, dtype=np.int64)
    positives = np.add.reduceat(per_coder, starts, axis=1).T
    squares = np.add.reduceat((marks * marks).sum(axis=1), starts).astype(np.float64)
    sums = BinarySums.from_positives(excerpts * float(codes), positives.astype(np.float64), squares)
    return sums, positives, excerpts


def _bootstrap(
    units: ExcerptUnits, settings: BootstrapSettings, say: Progress
) -> tuple[list[dict[str, Interval]], dict[str, Interval]]:
    """Intervals per code and pooled (``coder.agreement.pattern_bootstrap``)."""
    say("bootstrap", 0, settings.replicates)
    per_code_sums, pooled_sums = bootstrap_sums(
        units.presence, units.codes, settings.replicates, settings.seed
    )
    per_code, overall = binary_values(per_code_sums), binary_values(pooled_sums)
    say("bootstrap", settings.replicates, settings.replicates)
    options = {"replicates": settings.replicates, "seed": settings.seed}
    level = settings.confidence
    per_code_ci = [
        {
            key: percentile_interval(per_code[key][:, k], confidence=level, **options)
            for key in CI_KEYS
        }
        for k in range(len(units.codes))
    ]
    pooled_ci = {
        key: percentile_interval(overall[key], confidence=level, **options) for key in CI_KEYS
    }
    return per_code_ci, pooled_ci


def excerpt_report(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    bootstrap: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    progress: Progress | None = None,
    codebook_version: str | None = None,
) -> ExcerptReport:
    """Compare coders on the excerpts all of them reviewed (``bootstrap=0``: no intervals);
    with ``codebook_version``, only codings made under that version of the codebook."""

    if bootstrap < 0:
        raise ValueError("bootstrap replicates cannot be negative")
    say: Progress = progress or (lambda _stage, _done, _total: None)
    say("loading", 0, 1)
    units = load_excerpt_units(project, coders, codes, codebook_version)
    say("loading", 1, 1)
    sums, positives, marks = _sums(units)
    settings = BootstrapSettings(bootstrap, seed, confidence) if bootstrap else None
    cis: list[dict[str, Interval]] | None = None
    pooled_ci: dict[str, Interval] | None = None
    if settings is not None and units.units:
        cis, pooled_ci = _bootstrap(units, settings, say)
    elif settings is not None:
        reason = "no units to resample"
        empty = no_interval(reason, replicates=bootstrap, seed=seed, confidence=confidence)
        cis = [dict.fromkeys(CI_KEYS, empty) for _ in units.codes]
        pooled_ci = dict.fromkeys(CI_KEYS, empty)
    language = project.codebook.language
    labels = [project.codebook.code(code).label_in(language) for code in units.codes]
    code_rows = rows_from_sums(
        sums,
        "code",
        list(units.codes),
        labels,
        [units.units] * len(units.codes),
        _present(units.coders, positives),
        cis,
    )
    overall = rows_from_sums(
        sums.pooled(),
        "overall",
        [None],
        [None],
        [units.units],
        _present(units.coders, positives.sum(axis=0, keepdims=True)),
        None if pooled_ci is None else [pooled_ci],
        cells=[units.units * len(units.codes)],
    )[0]
    transcript_sums, transcript_positives, excerpts = _transcript_sums(units, marks)
    transcript_rows = rows_from_sums(
        transcript_sums,
        "transcript",
        list(units.transcripts),
        [None] * len(units.transcripts),
        [int(count) for count in excerpts],
        _present(units.coders, transcript_positives),
        None,
        cells=[int(count) * len(units.codes) for count in excerpts],
    )
    return ExcerptReport(
        coders=units.coders,
        units=units.units,
        codable=units.codable,
        codes=tuple(code_rows),
        overall=overall,
        transcripts=tuple(transcript_rows),
        excluded=units.excluded,
        unreviewed=units.unreviewed,
        implicit_reviews=units.implicit_reviews,
        outside_codings=units.outside_codings,
        bootstrap=settings,
        codebook_version=codebook_version,
        other_version=units.other_version,
    )
