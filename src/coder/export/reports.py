"""Reports as data frames: code frequencies by coder, code co-occurrence, codes by an attribute.

The CLI prints them (``coder report``) and the TUI's reports screen shows them; both call these
functions. Every report counts *units*, an excerpt as one coder observed it (see
``coder.export.unit_matrix``): frequencies count excerpts per coder, co-occurrence counts units with
both codes, and the crosstab counts units per level of a case attribute. A unit's level is its
case's value in cases.csv, else the consensus rating, else its own coder's rating; the crosstab
report says in its title and notes how many units took their level from each source. Nothing
heavy is imported at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError, NotFoundError
from coder.export.coder_selection import CoderSelection

if TYPE_CHECKING:
    import pandas as pd

    from coder.export.unit_matrix import UnitMatrix
    from coder.project.project import Project

DEFAULT_BY = "relational_robustness"
"""The attribute ``crosstab`` splits by unless told otherwise."""

NOT_RATED = "not_rated"
"""Crosstab column of units whose case has no value for the attribute."""

SOURCE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "cases": "cases.csv",
        "consensus": "consensus rating",
        "coder": "coder's own rating",
        NOT_RATED: "not rated",
    }
)
"""Where a crosstab unit's level came from, in words (keys as in wide exports' ``_source``)."""

_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "nb": {"all": "Alle utdrag", "code": "Kode"},
        "nn": {"all": "Alle utdrag", "code": "Kode"},
        "da": {"all": "Alle uddrag", "code": "Kode"},
        "sv": {"all": "Alla utdrag", "code": "Kod"},
        "de": {"all": "Alle Auszüge", "code": "Code"},
        "en": {"all": "All excerpts", "code": "Code"},
    }
)


def _word(language: str, key: str) -> str:
    return _WORDS.get(language, _WORDS["en"])[key]


def _matrix(project: Project, selection: CoderSelection) -> UnitMatrix:
    from coder.export.unit_matrix import unit_matrix

    return unit_matrix(project, selection)


def _labels(project: Project, codes: list[str], language: str) -> list[str]:
    book = project.codebook
    return [book.code(code).label_in(language) for code in codes]


def _language(project: Project, language: str | None) -> str:
    from coder.export.formats import label_language

    return label_language(project, language)


def frequencies(
    project: Project, selection: CoderSelection | None = None, language: str | None = None
) -> pd.DataFrame:
    """Rows: codes, then all excerpts; columns: code, label, one count per coder."""
    import pandas as pd

    lang = _language(project, language)
    matrix = _matrix(project, selection or CoderSelection())
    codes = list(matrix.codes)
    labels = [*_labels(project, codes, lang), _word(lang, "all")]
    frame = pd.DataFrame({"code": [*codes, ""], "label": labels})
    coder_ids = matrix.units["coder_id"].to_numpy()
    for coder in matrix.coders:
        mine = coder_ids == coder.id
        counts = matrix.presence[mine].sum(axis=0).astype("int64").tolist()
        frame[coder.name] = counts + [int(mine.sum())]
    return frame


def cooccurrence(
    project: Project,
    selection: CoderSelection | None = None,
    language: str | None = None,
    *,
    include_unused: bool = False,
) -> pd.DataFrame:
    """Code x code: units coded with both (the diagonal: units with the code); used codes only."""
    import pandas as pd

    lang = _language(project, language)
    matrix = _matrix(project, selection or CoderSelection())
    presence = matrix.presence.astype("int64")
    product = presence.T @ presence
    keep = [i for i in range(len(matrix.codes)) if include_unused or product[i, i] > 0]
    codes = [matrix.codes[i] for i in keep]
    frame = pd.DataFrame({"code": codes, "label": _labels(project, codes, lang)})
    for column, i in zip(codes, keep, strict=True):
        frame[column] = product[keep, i]
    return frame


def _levels(project: Project, by: str, values: pd.Series) -> list[str]:
    spec = project.codebook.attribute(by)
    if spec.levels:
        return [level.id for level in spec.levels]
    present = values.dropna()
    if spec.kind == "interval":
        return [f"{number:g}" for number in sorted(set(present.astype(float)))]
    return sorted(set(present.astype(str)))


def _crosstab(
    project: Project, by: str, selection: CoderSelection, language: str | None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The crosstab and how many units took their level from each source (and not rated)."""
    import pandas as pd

    from coder.export.unit_matrix import SOURCES

    if by not in {spec.id for spec in project.codebook.attributes}:
        known = ", ".join(spec.id for spec in project.codebook.attributes) or "none"
        raise NotFoundError(f"unknown case attribute {by!r} for --by (attributes: {known})")
    lang = _language(project, language)
    matrix = _matrix(project, selection)
    raw = matrix.attributes[by]
    levels = _levels(project, by, raw)
    if project.codebook.attribute(by).kind == "interval":
        raw = raw.map(lambda v: None if pd.isna(v) else f"{float(v):g}")
    values = raw.astype(object).where(raw.notna(), NOT_RATED).to_numpy()
    codes = list(matrix.codes)
    labels = [*_labels(project, codes, lang), _word(lang, "all")]
    frame = pd.DataFrame({"code": [*codes, ""], "label": labels})
    for level in [*levels, NOT_RATED]:
        rows = values == level
        counts = matrix.presence[rows].sum(axis=0).astype("int64").tolist()
        frame[level] = counts + [int(rows.sum())]
    frame["total"] = frame[[*levels, NOT_RATED]].sum(axis=1)
    found = matrix.sources[by].fillna(NOT_RATED).value_counts()
    sources = {name: int(found.get(name, 0)) for name in (*SOURCES, NOT_RATED)}
    return frame, sources


def crosstab(
    project: Project,
    by: str = DEFAULT_BY,
    selection: CoderSelection | None = None,
    language: str | None = None,
) -> pd.DataFrame:
    """Codes by the levels of a case attribute: units with the code per level, plus totals."""
    return _crosstab(project, by, selection or CoderSelection(), language)[0]


def source_notes(by: str, sources: Mapping[str, int]) -> tuple[str, tuple[str, ...]]:
    """A title suffix and notes saying where the crosstab's levels came from."""
    used = [f"{SOURCE_WORDS[name]} {count}" for name, count in sources.items() if count]
    suffix = f"levels from: {', '.join(used) or 'no units'}"
    rule = (
        f"A unit's {by} level is its case's value in cases.csv, else the consensus layer's "
        "rating, else the rating by the unit's own coder (wide exports show which per row, in "
        f"the {by}_source column)."
    )
    counts = "; ".join(f"{SOURCE_WORDS[name]}: {count}" for name, count in sources.items())
    return suffix, (rule, f"Units by source of their level: {counts}.")


@dataclass(frozen=True, slots=True, eq=False)
class Report:
    """A computed report: its frame and what it counted."""

    name: str
    """frequencies, cooccurrence or crosstab."""
    title: str
    """Heading for a table."""
    frame: pd.DataFrame
    """The numbers."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """How it was asked for (coders, attribute)."""
    notes: tuple[str, ...] = ()
    """What a reader must know to read it (the crosstab: where the levels came from)."""
    sources: Mapping[str, int] = field(default_factory=dict)
    """The crosstab: units whose level came from cases, consensus, coder, or not_rated."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "report": self.name,
            "title": self.title,
            "options": dict(self.options),
            "notes": list(self.notes),
            "sources": dict(self.sources),
            "columns": [str(column) for column in self.frame.columns],
            "rows": self.frame.to_dict(orient="records"),
        }


REPORTS: Mapping[str, str] = MappingProxyType(
    {
        "frequencies": "Code frequencies by coder (excerpts)",
        "cooccurrence": "Code co-occurrence (excerpt x coder units with both codes)",
        "crosstab": "Codes by {by} (excerpt x coder units; {sources})",
        "matrix": "Case x code matrix (coder.export.case_matrix; coder report matrix)",
    }
)
"""Report names and their titles."""


def build_report(
    project: Project,
    name: str,
    *,
    selection: CoderSelection | None = None,
    language: str | None = None,
    by: str | None = None,
) -> Report:
    """Compute the named report."""
    chosen = selection or CoderSelection()
    if name == "crosstab":
        attribute = by or DEFAULT_BY
        frame, sources = _crosstab(project, attribute, chosen, language)
        suffix, notes = source_notes(attribute, sources)
        title = REPORTS[name].format(by=attribute, sources=suffix)
        return Report(name, title, frame, {"by": attribute}, notes, sources)
    compute: dict[str, Callable[[], pd.DataFrame]] = {
        "frequencies": lambda: frequencies(project, chosen, language),
        "cooccurrence": lambda: cooccurrence(project, chosen, language),
    }
    if name == "matrix":
        from coder.export.case_matrix import case_matrix

        matrix = case_matrix(project, chosen, by=by, language=language)
        return Report(name, matrix.title, matrix.frame, {"by": by}, matrix.notes)
    if name not in compute:
        raise CoderError(f"unknown report {name!r} (choose {', '.join(REPORTS)})")
    return Report(name, REPORTS[name], compute[name]())


def save_report(
    report: Report, path: Path, *, sep: str = ",", bom: bool = False, decimal: str = "."
) -> Path:
    """Write the report as CSV, atomically; returns the path."""
    from coder.export.atomic import AtomicFiles
    from coder.export.writers import write_csv

    if Path(path).suffix.lower() != ".csv":
        raise CoderError(f"reports are written as CSV, but {path} does not end in .csv")
    with AtomicFiles() as files:
        write_csv(report.frame, files.path(Path(path)), sep=sep, bom=bom, decimal=decimal)
    return Path(path)
