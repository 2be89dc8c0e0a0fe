"""Case ratings aligned for comparison: per attribute, coders x the cases all of them rated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.agreement.comparison_scope import resolve_coders
from coder.errors import CoderError, NotFoundError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from coder.domain.codebook import AttributeSpec, Codebook
    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class ExcludedCase:
    """A case left out of one attribute's comparison."""

    case_id: str
    """The case (participant)."""
    missing: tuple[str, ...]
    """Compared coders who did not rate it."""
    invalid: tuple[str, ...] = ()
    """Compared coders whose rating is not a level of the attribute (any more)."""

    @property
    def reason(self) -> str:
        """Why it was left out."""
        parts = []
        if self.missing:
            parts.append("not rated by " + ", ".join(self.missing))
        if self.invalid:
            parts.append("rating is not a codebook level for " + ", ".join(self.invalid))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "case": self.case_id,
            "missing": list(self.missing),
            "invalid": list(self.invalid),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True, eq=False)
class CaseRatings:
    """Per attribute: a coders x units matrix of ratings (level positions, or numbers)."""

    coders: tuple[str, ...]
    """Compared coders (matrix rows)."""
    cases: int
    """Cases in the project."""
    specs: tuple[AttributeSpec, ...]
    """Compared attributes."""
    matrices: tuple[NDArray[np.float64], ...]
    """Per attribute: coders x cases rated by all; 0-based level positions for levels."""
    case_ids: tuple[tuple[str, ...], ...]
    """Per attribute: the cases (matrix columns)."""
    excluded: tuple[tuple[ExcludedCase, ...], ...]
    """Per attribute: the cases left out and why."""
    language: str
    """Label language."""
    unrated: tuple[str, ...] = ()
    """Attributes left out because no compared coder rated any case on them."""


def rateable(codebook: Codebook, ids: Sequence[str] | None) -> tuple[AttributeSpec, ...]:
    """The attributes to compare: every non-text one, or the ones named."""
    if ids is None:
        return tuple(spec for spec in codebook.attributes if spec.kind != "text")
    known = {spec.id: spec for spec in codebook.attributes}
    unknown = [name for name in ids if name not in known]
    if unknown:
        raise NotFoundError(f"unknown case attribute {', '.join(map(repr, unknown))}")
    text = [name for name in ids if known[name].kind == "text"]
    if text:
        raise CoderError(f"{', '.join(map(repr, text))}: free-text attributes have no agreement")
    return tuple(known[name] for name in dict.fromkeys(ids))


def _value(spec: AttributeSpec, raw: str) -> float | None:
    if spec.levels:
        rank = spec.rank(raw)
        return None if rank is None else float(rank - 1)
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def load_case_ratings(
    project: Project,
    coders: Sequence[str] | None = None,
    attributes: Sequence[str] | None = None,
) -> CaseRatings:
    """Read the compared coders' ratings and align them per attribute."""
    import numpy as np

    from coder.store.agreement_reads import rating_rows

    specs = rateable(project.codebook, attributes)
    found = rating_rows(project, lambda directory: resolve_coders(directory, coders, level="case"))
    chosen, case_ids, rows = found.chosen, list(found.case_ids), found.ratings
    if attributes is None:  # by default only attributes someone rated (not cases.csv facts)
        rated = {str(row[1]) for row in rows}
        unrated = tuple(spec.id for spec in specs if spec.id not in rated)
        specs = tuple(spec for spec in specs if spec.id in rated)
    else:
        unrated = ()
    names = tuple(chosen)
    row_of = {cid: index for index, cid in enumerate(chosen.values())}
    column = {case: index for index, case in enumerate(case_ids)}
    matrices, kept_ids, excluded = [], [], []
    for spec in specs:
        full = np.full((len(names), len(case_ids)), np.nan)
        invalid = np.zeros_like(full, dtype=bool)
        for case_id, attribute, coder_id, raw in rows:
            if attribute != spec.id or case_id not in column:
                continue
            value = _value(spec, str(raw))
            if value is None:
                invalid[row_of[coder_id], column[case_id]] = True
            else:
                full[row_of[coder_id], column[case_id]] = value
        complete = ~np.isnan(full).any(axis=0)
        matrices.append(full[:, complete])
        kept_ids.append(tuple(case for case, keep in zip(case_ids, complete, strict=True) if keep))
        excluded.append(
            tuple(
                ExcludedCase(
                    case,
                    tuple(
                        n for r, n in enumerate(names) if np.isnan(full[r, i]) and not invalid[r, i]
                    ),
                    tuple(n for r, n in enumerate(names) if invalid[r, i]),
                )
                for i, case in enumerate(case_ids)
                if not complete[i]
            )
        )
    return CaseRatings(
        names,
        len(case_ids),
        specs,
        tuple(matrices),
        tuple(kept_ids),
        tuple(excluded),
        project.codebook.language,
        unrated,
    )
