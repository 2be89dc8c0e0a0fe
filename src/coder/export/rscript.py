"""The R script written beside an R export: base R only, labelled factors, variable labels.

The script reads the CSV with ``read.csv`` (UTF-8, identifiers and text kept as character),
turns code columns and nominal or ordinal attributes into factors with the codebook's labels in
codebook order (ordered factors for ordinal attributes), and sets each column's ``label``
attribute (the convention RStudio's viewer and the labelled/haven packages read). Every string
in the script is escaped to ASCII, so it runs the same in any locale.
"""

from __future__ import annotations

from collections.abc import Sequence

from coder.export.naming import transliterate
from coder.export.table import Column, LabelledTable


def r_string(text: str) -> str:
    """``text`` as an R string literal in pure ASCII (``\\uXXXX`` escapes)."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 32 <= code < 127:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _vector(items: Sequence[str]) -> str:
    return "c(" + ", ".join(items) + ")"


def _column_class(column: Column) -> str | None:
    if column.categorical or (column.spec.kind in ("field", "attribute", "source", "rating")):
        return None if column.spec.numeric else "character"
    return None


def _factor(column: Column, language: str) -> str | None:
    ref = f"data[[{r_string(column.name)}]]"
    if column.spec.kind == "code":
        labels = column.value_labels(language)
        levels = _vector([f"{value}L" for value in labels])
    elif column.categorical:
        labels = column.value_labels(language)
        levels = _vector([r_string(level.id) for level in column.spec.levels])
    else:
        return None
    text = _vector([r_string(label) for label in labels.values()])
    ordered = ", ordered = TRUE" if column.spec.ordinal else ""
    return f"{ref} <- factor({ref}, levels = {levels}, labels = {text}{ordered})"


def r_script(
    table: LabelledTable,
    csv_name: str,
    language: str,
    *,
    sep: str = ",",
    bom: bool = False,
    dec: str = ".",
) -> str:
    """The script that reads ``csv_name`` (beside it) into ``data`` with labelled factors."""
    classes = {
        column.name: kind for column in table.columns if (kind := _column_class(column)) is not None
    }
    class_vector = _vector(
        [f"{r_string(name)} = {r_string(kind)}" for name, kind in classes.items()]
    )
    encoding = 'fileEncoding = "UTF-8-BOM"' if bom else 'encoding = "UTF-8"'
    lines = [
        f"# {transliterate(table.description)}",
        "# Written by coder. Base R only: run it with this folder as the working directory,",
        "# or change `path` below. The result is the data frame `data`.",
        f"path <- {r_string(csv_name)}",
        "data <- read.csv(",
        f'  path, sep = {r_string(sep)}, dec = {r_string(dec)}, {encoding}, na.strings = "",',
        "  stringsAsFactors = FALSE, check.names = FALSE,",
        f"  colClasses = {class_vector}",
        ")",
        "",
        "# Labelled factors, levels in codebook order",
    ]
    lines += [line for column in table.columns if (line := _factor(column, language))]
    lines += ["", "# Variable labels"]
    lines += [
        f'attr(data[[{r_string(column.name)}]], "label") <- {r_string(column.label(language))}'
        for column in table.columns
    ]
    return "\n".join(lines) + "\n"
