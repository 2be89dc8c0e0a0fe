"""The case x code matrix (a framework matrix): cases as rows, codes as columns.

Each cell counts the *units* (an excerpt as one coder coded it, as every report counts) of that
case coded with that code, or with ``measure="presence"`` says 1 if there is any; the ``units``
column is the case's units (the denominator). ``by`` groups the rows by a case attribute's
level (``relational_robustness``: steady, wavering, trembling, then not rated), the level taken
as everywhere (cases.csv, else the consensus rating, else the unit's own coder's rating), so
a case whose coders rated it differently sits in each of their levels (the notes say which).
``where`` keeps one level. A transcript without a case is its own row, named by its id.
Codes never used by the chosen coders are left out unless ``all_codes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.export.coder_selection import CoderSelection

if TYPE_CHECKING:
    import pandas as pd

    from coder.export.case_filter import CaseFilter
    from coder.project.project import Project

MEASURES: Mapping[str, str] = MappingProxyType(
    {"count": "units coded", "presence": "1 if any unit is coded"}
)
"""What a cell holds, by ``--measure``."""

NOT_RATED = "not_rated"
"""The group of units whose case has no value for the ``by`` attribute."""


@dataclass(frozen=True, slots=True, eq=False)
class CaseMatrix:
    """The matrix and what it counted."""

    frame: pd.DataFrame
    """Columns: the ``by`` attribute (when grouped), ``case``, ``units``, one per code id."""
    codes: tuple[str, ...]
    """The code columns, in codebook order."""
    labels: Mapping[str, str]
    """Code id -> label in the report's language."""
    measure: str
    """``count`` or ``presence``."""
    by: str | None
    """The grouping attribute, if any."""
    levels: tuple[str, ...]
    """The ``by`` attribute's levels in order (``not_rated`` last), when grouped."""
    whose: str
    """Whose codings, in words."""
    notes: tuple[str, ...] = ()
    """What a reader must know (what a cell is, split cases, filters)."""
    level_labels: Mapping[str, str] = field(default_factory=dict)
    """Level id -> label in the report's language."""

    @property
    def title(self) -> str:
        """A heading: what the cells hold, whose, how grouped."""
        grouped = f", by {self.by}" if self.by else ""
        return f"Case x code matrix ({MEASURES[self.measure]}; {self.whose}{grouped})"

    def group_totals(self) -> pd.DataFrame:
        """Per level of ``by``: the sum of units and of each code column (counts; with
        presence, the number of cases with the code)."""
        if self.by is None:
            raise CoderError("the matrix is not grouped (no --by)")
        columns = ["units", *self.codes]
        totals = self.frame.groupby(self.by, sort=False)[columns].sum()
        return totals.reindex([lv for lv in self.levels if lv in totals.index]).reset_index()

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "measure": self.measure,
            "by": self.by,
            "whose": self.whose,
            "codes": list(self.codes),
            "notes": list(self.notes),
            "rows": self.frame.to_dict(orient="records"),
        }


def _order(project: Project, by: str, values: pd.Series) -> list[str]:
    """The levels of ``by`` in codebook order (numbers in numeric order), then not rated."""
    spec = project.codebook.attribute(by)
    present = [str(value) for value in values.dropna().unique()]
    if spec.levels:
        known = [level.id for level in spec.levels]
        extra = sorted(value for value in present if value not in known)
        return [*known, *extra, NOT_RATED]
    if spec.kind == "interval":
        return [*sorted(present, key=float), NOT_RATED]
    return [*sorted(present), NOT_RATED]


def case_matrix(
    project: Project,
    selection: CoderSelection | None = None,
    *,
    measure: str = "count",
    by: str | None = None,
    where: CaseFilter | None = None,
    language: str | None = None,
    all_codes: bool = False,
    blind: bool = False,
) -> CaseMatrix:
    """Build the matrix of the selected coders' units (``blind``: no consensus ratings)."""
    import pandas as pd

    from coder.export.formats import label_language
    from coder.export.unit_matrix import unit_matrix

    if measure not in MEASURES:
        raise CoderError(f"--measure {measure!r}: choose {' or '.join(MEASURES)}")
    book = project.codebook
    if by is not None and by not in {spec.id for spec in book.attributes}:
        known = ", ".join(spec.id for spec in book.attributes) or "none"
        raise CoderError(f"--by {by!r}: unknown case attribute (attributes: {known})")
    lang = label_language(project, language)
    matrix = unit_matrix(project, selection or CoderSelection(), consensus_rating=not blind)
    units = matrix.units
    keys = units["case"].where(units["case"].notna(), units["transcript"]).astype(str)
    data = pd.DataFrame(matrix.presence.astype("int64"), columns=list(matrix.codes))
    data.insert(0, "units", 1)
    data.insert(0, "case", keys.to_numpy())
    notes = [
        f"A cell is the {MEASURES[measure]} of the case ({matrix.description}); a unit is "
        "an excerpt as one coder coded it; units is the case's units."
    ]
    if where is not None:
        values = matrix.attributes[where.attribute]
        data = data[(values.notna() & (values.astype(str) == where.level)).to_numpy()]
        notes.append(f"Only units whose case has {where.describe()}.")
    group = ["case"]
    levels: list[str] = []
    if by is not None:
        raw = matrix.attributes[by].loc[data.index]
        levels = _order(project, by, raw)
        level = (
            raw.astype(object)
            .where(raw.notna(), None)
            .map(lambda v: NOT_RATED if v is None else str(v))
        )
        data.insert(0, by, level.to_numpy())
        group = [by, "case"]
    summed = data.groupby(group, sort=False).sum().reset_index()
    used = [c for c in matrix.codes if all_codes or int(summed[c].sum()) > 0]
    if measure == "presence":
        summed[used] = (summed[used] > 0).astype("int64")
    frame = summed[[*group, "units", *used]]
    if by is not None:
        rank = {level: index for index, level in enumerate(levels)}
        frame = frame.assign(_rank=frame[by].map(rank)).sort_values(["_rank", "case"])
        frame = frame.drop(columns="_rank").reset_index(drop=True)
        split = frame["case"][frame["case"].duplicated()].unique().tolist()
        if split:
            notes.append(
                f"Coders rated {', '.join(split)} differently: each of their levels has a row."
            )
    else:
        frame = frame.sort_values("case").reset_index(drop=True)
    level_labels: dict[str, str] = {}
    if by is not None:
        spec = book.attribute(by)
        level_labels = {lv.id: lv.label_in(lang) for lv in spec.levels}
        level_labels[NOT_RATED] = "not rated"
    return CaseMatrix(
        frame,
        tuple(used),
        {code: book.code(code).label_in(lang) for code in used},
        measure,
        by,
        tuple(levels),
        matrix.description,
        tuple(notes),
        level_labels,
    )
