"""The export formats: a table of format -> suffix, tables it can hold, its default, its writer.

``export(project, "spss", path, ExportOptions(table="wide"))`` is what ``coder export`` and
the TUI call. It refuses, before anything is written, a file name without the format's suffix
(.csv, .sav or .dta) and ``sep``/``bom`` for formats that write no CSV data. Wide and cases
exports get their column mapping beside them, named after the whole file name
(``wide.sav`` -> ``wide.sav.columns.csv``). Nothing heavy is imported at module level; tables
are built on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.export.atomic import AtomicFiles
from coder.export.coder_selection import CoderSelection
from coder.export.rscript import r_script
from coder.export.table import LabelledTable
from coder.export.writers import (
    check_decimal,
    check_separator,
    write_csv,
    write_dta,
    write_mapping,
    write_sav,
)

if TYPE_CHECKING:
    from coder.project.project import Project

TABLES = ("long", "wide", "cases")
"""Tables an export can hold: one row per coding, per excerpt and coder, per case."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export and how; defaults are the format's."""

    table: str | None = None
    """long, wide or cases; None for the format's default."""
    selection: CoderSelection = field(default_factory=CoderSelection)
    """Whose codings."""
    language: str | None = None
    """Label language; None for the codebook's first."""
    sep: str = ","
    """CSV field separator; only for formats that write CSV data (``ExportFormat.csv``)."""
    bom: bool = False
    """Start CSV files with a UTF-8 byte-order mark (for Excel); only for CSV formats."""
    decimal: str | None = None
    """Decimal mark of numbers in CSV data, ``.`` or ``,``; None: ``,`` when ``sep`` is ``;``."""


Writer = Callable[[LabelledTable, Path, ExportOptions, str, AtomicFiles], None]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One ``coder export`` format."""

    name: str
    """Command name: long, wide, cases, spss, stata, r."""
    help: str
    """One line for ``--help``."""
    suffix: str
    """The data file's suffix (lowercase); ``export`` refuses any other."""
    tables: tuple[str, ...]
    """Tables it can hold."""
    default_table: str
    """Table written when none is chosen."""
    writer: Writer
    """Writes the table (and companion files) through ``AtomicFiles``."""
    csv: bool = True
    """Whether the data file is CSV (so ``sep`` and ``bom`` apply)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    format: str
    """Format name."""
    table: str
    """Table name."""
    rows: int
    """Data rows written."""
    columns: int
    """Columns written."""
    files: tuple[Path, ...]
    """Every file written, the data file first."""
    description: str
    """What one row is and whose codings."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "format": self.format,
            "table": self.table,
            "rows": self.rows,
            "columns": self.columns,
            "files": [str(path) for path in self.files],
            "description": self.description,
        }


def mapping_path(path: Path) -> Path:
    """Where the column mapping of ``path`` goes: ``FILE.ext.columns.csv`` beside ``FILE.ext``.

    Named after the whole file name, so exports of one base name in several formats
    (``wide.csv``, ``wide.sav``) each keep their own mapping.
    """
    return path.with_name(f"{path.name}.columns.csv")


def _mapping(table: LabelledTable, path: Path, options: ExportOptions, files: AtomicFiles) -> None:
    if table.name != "long":
        write_mapping(table, files.path(mapping_path(path)), sep=options.sep, bom=options.bom)


def _csv(
    table: LabelledTable, path: Path, options: ExportOptions, _lang: str, files: AtomicFiles
) -> None:
    write_csv(
        table.frame, files.path(path), sep=options.sep, bom=options.bom, decimal=_dec(options)
    )
    _mapping(table, path, options, files)


def _dec(options: ExportOptions) -> str:
    """The decimal mark the options ask for (or imply by their separator)."""
    return check_decimal(options.decimal, options.sep)


def _sav(
    table: LabelledTable, path: Path, options: ExportOptions, lang: str, files: AtomicFiles
) -> None:
    write_sav(table, files.path(path), lang)
    _mapping(table, path, options, files)


def _dta(
    table: LabelledTable, path: Path, options: ExportOptions, lang: str, files: AtomicFiles
) -> None:
    write_dta(table, files.path(path), lang)
    _mapping(table, path, options, files)


def _r(
    table: LabelledTable, path: Path, options: ExportOptions, lang: str, files: AtomicFiles
) -> None:
    script = path.with_suffix(".R")
    write_csv(
        table.frame, files.path(path), sep=options.sep, bom=options.bom, decimal=_dec(options)
    )
    _mapping(table, path, options, files)
    text = r_script(
        table, path.name, lang, sep=check_separator(options.sep), bom=options.bom, dec=_dec(options)
    )
    files.path(script).write_text(text, encoding="utf-8")


FORMATS: Mapping[str, ExportFormat] = MappingProxyType(
    {
        "long": ExportFormat("long", "CSV, one row per coding", ".csv", ("long",), "long", _csv),
        "wide": ExportFormat(
            "wide",
            "CSV, one row per excerpt and coder, 0/1 per code",
            ".csv",
            ("wide",),
            "wide",
            _csv,
        ),
        "cases": ExportFormat(
            "cases",
            "CSV, one row per case: attributes, ratings, code counts",
            ".csv",
            ("cases",),
            "cases",
            _csv,
        ),
        "spss": ExportFormat(
            "spss", "SPSS .sav with labels", ".sav", TABLES, "wide", _sav, csv=False
        ),
        "stata": ExportFormat(
            "stata", "Stata .dta with labels", ".dta", TABLES, "wide", _dta, csv=False
        ),
        "r": ExportFormat(
            "r", "CSV plus an R script with labelled factors", ".csv", TABLES, "wide", _r
        ),
    }
)
"""Every export format by name."""


def build_table(
    project: Project, table: str, options: ExportOptions, language: str
) -> LabelledTable:
    """Build one of ``TABLES`` from the project's store."""
    if table == "long":
        from coder.export.long import long_table

        return long_table(project, options.selection, language)
    if table == "wide":
        from coder.export.wide import wide_table

        return wide_table(project, options.selection)
    if table == "cases":
        from coder.export.cases import cases_table

        return cases_table(project, options.selection)
    raise CoderError(f"unknown table {table!r} (choose {', '.join(TABLES)})")


def label_language(project: Project, language: str | None) -> str:
    """The label language: ``language`` if the codebook has it, else the codebook's first."""
    languages = project.codebook.languages
    if language is None:
        return project.codebook.language
    if language not in languages:
        raise CoderError(f"--lang {language!r}: the codebook has labels in {', '.join(languages)}")
    return language


def check_target(spec: ExportFormat, path: Path, options: ExportOptions) -> None:
    """Refuse a file name whose suffix is not the format's, and CSV options it would ignore."""
    if path.suffix.lower() != spec.suffix:
        found = f"ends in {path.suffix!r}" if path.suffix else "has no suffix"
        raise CoderError(
            f"{spec.name} exports are written to a {spec.suffix} file, but {path} {found}: "
            f"name it e.g. {path.with_suffix(spec.suffix).name}"
        )
    if not spec.csv and (options.sep != "," or options.bom or options.decimal is not None):
        raise CoderError(
            f"--sep, --bom and --decimal are for CSV exports (long, wide, cases, r), "
            f"not {spec.name}"
        )


def export(
    project: Project,
    format_name: str,
    path: Path,
    options: ExportOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Build the table and write it in ``format_name`` to ``path``: all files or none."""
    options = options or ExportOptions()
    say = progress or (lambda _message: None)
    spec = FORMATS.get(format_name)
    if spec is None:
        raise CoderError(f"unknown export format {format_name!r} (choose {', '.join(FORMATS)})")
    table_name = options.table or spec.default_table
    if table_name not in spec.tables:
        raise CoderError(f"{format_name} exports hold {', '.join(spec.tables)}, not {table_name!r}")
    check_decimal(options.decimal, options.sep)
    path = AtomicFiles.check(Path(path))  # fail before the (long) build, not after
    check_target(spec, path, options)
    language = label_language(project, options.language)
    if format_name == "long":  # streamed, batch by batch: never the whole table in memory
        return _export_long(project, path, options, language, say)
    say("reading the project")
    table = build_table(project, table_name, options, language)
    say(f"writing {path}")
    with AtomicFiles() as files:
        spec.writer(table, path, options, language, files)
        written = tuple(files.targets)
    return ExportResult(
        format_name, table_name, len(table.frame), len(table.columns), written, table.description
    )


def _export_long(
    project: Project,
    path: Path,
    options: ExportOptions,
    language: str,
    say: Callable[[str], None],
) -> ExportResult:
    """The long CSV, streamed from the store into the file (``coder.export.long_csv``)."""
    from coder.export.long_csv import write_long_csv

    say(f"writing {path}")
    with AtomicFiles() as files:
        table, rows = write_long_csv(
            project,
            options.selection,
            language,
            files.path(path),
            sep=check_separator(options.sep),
            bom=options.bom,
            decimal=_dec(options),
        )
        written = tuple(files.targets)
    return ExportResult("long", "long", rows, len(table.columns), written, table.description)
