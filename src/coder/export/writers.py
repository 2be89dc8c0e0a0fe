"""Writers: CSV (with the column mapping), SPSS .sav and Stata .dta, each into a given path.

The writers know nothing of the store; they take a ``LabelledTable`` (or a frame) and write it.
``coder.export.formats`` gives them temporary paths from ``AtomicFiles``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.export.label_fit import fit_labels
from coder.export.table import Column, LabelledTable

if TYPE_CHECKING:
    import pandas as pd

SAV_LABEL_BYTES = 255
"""Longest SPSS variable label written (bytes of UTF-8)."""
SAV_VALUE_LABEL_BYTES = 120
"""Longest SPSS value label."""
SAV_FILE_LABEL_BYTES = 64
"""Longest SPSS file label."""
DTA_LABEL_CHARS = 80
"""Longest Stata variable, value-set and data label (characters)."""


def check_separator(sep: str) -> str:
    """A CSV field separator: one character, not a quote or a line break (``tab`` allowed)."""
    value = "\t" if sep in ("tab", "\\t") else sep
    if len(value) != 1 or value in '"\r\n':
        raise CoderError(f"--sep must be one character such as ',' ';' or 'tab', not {sep!r}")
    return value


def check_decimal(decimal: str | None, sep: str) -> str:
    """The decimal mark: ``.`` or ``,``; by default ``,`` when the separator is ``;`` (Excel in
    Norway and most of Europe reads ``;``-separated files with decimal commas), else ``.``."""
    sep = check_separator(sep)
    if decimal is None:
        return "," if sep == ";" else "."
    if decimal not in (".", ","):
        raise CoderError(f"--decimal must be '.' or ',', not {decimal!r}")
    if decimal == sep:
        raise CoderError(
            f"--decimal {decimal!r} is also the field separator; use --sep ';' with --decimal ','"
        )
    return decimal


def clip(text: str, chars: int, max_bytes: int | None = None) -> str:
    """``text`` cut to ``chars`` characters and ``max_bytes`` bytes of UTF-8, at a character."""
    text = text[:chars]
    if max_bytes is not None:
        while len(text.encode("utf-8")) > max_bytes:
            text = text[:-1]
    return text


def write_csv(
    frame: pd.DataFrame, path: Path, *, sep: str = ",", bom: bool = False, decimal: str = "."
) -> None:
    """``frame`` as CSV in UTF-8 (with a byte-order mark for Excel when ``bom``)."""
    from coder.export.csv_writer import write_frame

    write_frame(frame, path, sep=check_separator(sep), bom=bom, decimal=decimal)


def write_mapping(table: LabelledTable, path: Path, *, sep: str = ",", bom: bool = False) -> None:
    """The column mapping: column, code_id, label per language, kind, source_id, description."""
    rows = table.mapping_rows()
    header = list(rows[0]) if rows else ["column", "code_id"]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=header, delimiter=check_separator(sep), lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def _numbered(column: Column, values: pd.Series) -> pd.Series:
    """Level ids as 1-based codebook positions (missing or unknown: missing)."""
    ranks = {level.id: rank for rank, level in enumerate(column.spec.levels, 1)}
    return values.map(ranks).astype("Int32")


def stats_frame(table: LabelledTable) -> pd.DataFrame:
    """The frame as statistics packages want it: levels numbered, 0/1 and counts as integers."""
    import pandas as pd

    parts: dict[str, Any] = {}
    for column in table.columns:
        values = table.frame[column.name]
        if column.categorical:
            values = _numbered(column, values)
        elif column.spec.kind in ("code", "count") or (
            column.spec.numeric and pd.api.types.is_integer_dtype(values.dtype)
        ):
            values = values.astype("Int32")
        elif not column.spec.numeric:
            values = values.astype(object).where(values.notna(), None)
        parts[column.name] = values
    return pd.DataFrame(parts, index=table.frame.index)


def _measure(column: Column) -> str:
    if column.categorical:
        return "ordinal" if column.spec.ordinal else "nominal"
    if column.spec.kind == "code":
        return "nominal"
    return "scale" if column.spec.numeric or column.spec.kind == "count" else "nominal"


def _value_labels(table: LabelledTable, language: str, limit: int, max_bytes: int | None) -> Any:
    return {
        column.name: {
            value: clip(text, limit, max_bytes)
            for value, text in column.value_labels(language).items()
        }
        for column in table.columns
        if column.value_labels(language)
    }


def _variable_labels(
    table: LabelledTable, language: str, limit: int, *, bytes_: bool = False
) -> list[str | None]:
    """Column labels fitted to the format's limit: the path is cut, the code's name kept."""
    labels = [column.label(language) for column in table.columns]
    return list[str | None](fit_labels(labels, limit, bytes_=bytes_))


def write_sav(table: LabelledTable, path: Path, language: str) -> None:
    """SPSS .sav (row-compressed) with variable labels, value labels and measurement levels."""
    import pyreadstat

    try:
        pyreadstat.write_sav(
            stats_frame(table),
            path,
            file_label=clip(table.description, 64, SAV_FILE_LABEL_BYTES),
            column_labels=_variable_labels(table, language, SAV_LABEL_BYTES, bytes_=True),
            row_compress=True,
            variable_value_labels=_value_labels(
                table, language, SAV_VALUE_LABEL_BYTES, SAV_VALUE_LABEL_BYTES
            ),
            variable_measure={column.name: _measure(column) for column in table.columns},
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise CoderError(f"cannot write SPSS file {path}: {exc}") from None


def write_dta(table: LabelledTable, path: Path, language: str) -> None:
    """Stata .dta (format 119, UTF-8) with variable labels and value labels."""
    import pyreadstat

    try:
        pyreadstat.write_dta(
            stats_frame(table),
            path,
            file_label=clip(table.description, DTA_LABEL_CHARS),
            column_labels=_variable_labels(table, language, DTA_LABEL_CHARS),
            variable_value_labels=_value_labels(table, language, DTA_LABEL_CHARS, None),
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise CoderError(f"cannot write Stata file {path}: {exc}") from None
