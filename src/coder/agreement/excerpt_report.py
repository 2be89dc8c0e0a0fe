"""The excerpt-level agreement report: per code, pooled over codes, and per transcript.

Units are the codable excerpts every compared coder reviewed (DESIGN.md); on each, a code is
present for a coder when the coder applied it (a narrower span counts as presence). Coefficients
come from the sufficient statistics in ``coder.agreement.binary``; the bootstrap resamples
excerpts once per replicate and reuses the draw for every code and for the pooled row.
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
    resample_counts,
)
from coder.agreement.excerpt_units import ExcerptUnits, ExcludedExcerpt, load_excerpt_units
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
    excluded: tuple[ExcludedExcerpt, ...]
    """Codable excerpts left out because some compared coder did not review them."""
    unreviewed: int
    """Codable excerpts left out because no compared coder reviewed them."""
    implicit_reviews: dict[str, int]
    """Per coder: excerpts counted as reviewed because the coder coded them without the mark."""
    outside_codings: int
    """Codings on excerpts that are not codable, not counted."""
    bootstrap: BootstrapSettings | None
    """How the intervals were computed, or None without a bootstrap."""

    level = "excerpt"

    def statement(self) -> str:
        """One paragraph saying what the units were and what was left out."""
        left = len(self.excluded) + self.unreviewed
        text = (
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
        summary: dict[str, int] = {}
        for item in self.excluded:
            summary[item.reason] = summary.get(item.reason, 0) + 1
        if self.unreviewed:
            summary["reviewed by none of the compared coders"] = self.unreviewed
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
            "bootstrap": None if self.bootstrap is None else self.bootstrap.to_dict(),
            "codes": [row.to_dict() for row in self.codes],
            "overall": self.overall.to_dict(),
            "transcripts": [row.to_dict() for row in self.transcripts],
            "left_out": {
                "count": len(self.excluded) + self.unreviewed,
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


def _unit_stats(units: ExcerptUnits, marks: NDArray[np.int64]) -> NDArray[np.float64]:
    """Units x codes x statistics whose resampled sums give the coefficients.

    Two coders: each coder's mark and the squared count (Cohen's kappa needs both margins);
    more: the count of marks and its square.
    """
    import numpy as np

    m, n, codes = units.presence.shape
    if m == 2:
        stats = np.empty((n, codes, 3))
        stats[..., :2] = units.presence.transpose(1, 2, 0)
    else:
        stats = np.empty((n, codes, 2))
        stats[..., 0] = marks
    stats[..., -1] = marks * marks
    return stats


def _bootstrap(
    units: ExcerptUnits, marks: NDArray[np.int64], settings: BootstrapSettings, say: Progress
) -> tuple[list[dict[str, Interval]], dict[str, Interval]]:
    """Intervals per code and pooled, from one shared resampling of the excerpts."""
    import numpy as np

    m, n, codes = units.presence.shape
    stats = _unit_stats(units, marks)
    width = stats.shape[2]
    exact32 = n * m * m < 2**24  # integer sums stay exact in float32 below 2**24
    flat = stats.reshape(n, codes * width).astype(np.float32 if exact32 else np.float64)
    active = np.flatnonzero(flat.any(axis=1))  # units without any mark add nothing
    sparse = active.size < n // 2
    if sparse:
        flat = flat[active]
    samples = {key: np.empty((settings.replicates, codes)) for key in CI_KEYS}
    pooled = {key: np.empty(settings.replicates) for key in CI_KEYS}
    done = 0
    for block in resample_counts(n, settings.replicates, settings.seed):
        drawn_counts = block[:, active] if sparse else block
        drawn = (drawn_counts.astype(flat.dtype) @ flat).astype(np.float64)
        drawn = drawn.reshape(-1, codes, width)
        rows = drawn.shape[0]
        count = np.full((rows, codes), float(n))
        if m == 2:
            sums = BinarySums(
                m, count, drawn[..., 0] + drawn[..., 1], drawn[..., 2], drawn[..., 0], drawn[..., 1]
            )
        else:
            sums = BinarySums(m, count, drawn[..., 0], drawn[..., 1])
        per_code, overall = binary_values(sums), binary_values(sums.pooled(axis=1))
        for key in CI_KEYS:
            samples[key][done : done + rows] = per_code[key]
            pooled[key][done : done + rows] = overall[key]
        done += rows
        say("bootstrap", done, settings.replicates)
    options = {"replicates": settings.replicates, "seed": settings.seed}
    level = settings.confidence
    per_code_ci = [
        {
            key: percentile_interval(samples[key][:, k], confidence=level, **options)
            for key in CI_KEYS
        }
        for k in range(codes)
    ]
    pooled_ci = {
        key: percentile_interval(pooled[key], confidence=level, **options) for key in CI_KEYS
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
) -> ExcerptReport:
    """Compare coders on the excerpts all of them reviewed (``bootstrap=0``: no intervals)."""

    if bootstrap < 0:
        raise ValueError("bootstrap replicates cannot be negative")
    say: Progress = progress or (lambda _stage, _done, _total: None)
    say("loading", 0, 1)
    units = load_excerpt_units(project, coders, codes)
    say("loading", 1, 1)
    sums, positives, marks = _sums(units)
    settings = BootstrapSettings(bootstrap, seed, confidence) if bootstrap else None
    cis: list[dict[str, Interval]] | None = None
    pooled_ci: dict[str, Interval] | None = None
    if settings is not None and units.units:
        cis, pooled_ci = _bootstrap(units, marks, settings, say)
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
    )
