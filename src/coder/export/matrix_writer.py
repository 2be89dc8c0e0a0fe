"""Writing the case x code matrix: CSV (one row per case, a column per code id) or .xlsx.

The .xlsx (openpyxl) is for reading: a title and the notes on top, two header rows (the code's
label, then its id in grey), the case and level columns frozen, and with ``--by`` a bold total
row after each level's cases. CSV stays plain for analysis (code ids as column names). Both are
written whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError

if TYPE_CHECKING:
    from coder.export.case_matrix import CaseMatrix

SUFFIXES = (".csv", ".xlsx")
"""What ``coder report matrix -o`` writes."""


def save_matrix(
    matrix: CaseMatrix,
    path: Path,
    *,
    sep: str = ",",
    bom: bool = False,
    decimal: str = ".",
) -> Path:
    """Write ``matrix`` as CSV or .xlsx (by the suffix of ``path``), atomically."""
    from coder.export.atomic import AtomicFiles

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CoderError(
            f"the matrix is written as .csv or .xlsx, but {path} "
            f"{'ends in ' + repr(path.suffix) if path.suffix else 'has no suffix'}"
        )
    if suffix == ".xlsx" and (sep != "," or bom):
        raise CoderError("--sep, --bom and --decimal are for CSV, not .xlsx")
    with AtomicFiles() as files:
        target = files.path(path)
        if suffix == ".csv":
            from coder.export.writers import write_csv

            write_csv(matrix.frame, target, sep=sep, bom=bom, decimal=decimal)
        else:
            write_xlsx(matrix, target)
    return path


def _rows(matrix: CaseMatrix) -> list[tuple[list[Any], bool]]:
    """Data rows (values, is a total row), with a total after each level when grouped."""
    frame = matrix.frame
    columns = ["units", *matrix.codes]
    if matrix.by is None:
        return [
            (["", row["case"], *(int(row[c]) for c in columns)], False)
            for _, row in frame.iterrows()
        ]
    totals = {str(r[matrix.by]): r for _, r in matrix.group_totals().iterrows()}
    found: list[tuple[list[Any], bool]] = []
    for level in matrix.levels:
        part = frame[frame[matrix.by] == level]
        if part.empty:
            continue
        label = matrix.level_labels.get(level, level)
        for _, row in part.iterrows():
            found.append(([label, row["case"], *(int(row[c]) for c in columns)], False))
        total = totals[level]
        found.append(([label, f"All ({len(part)})", *(int(total[c]) for c in columns)], True))
    return found


def write_xlsx(matrix: CaseMatrix, path: Path) -> None:
    """The matrix as a workbook with one sheet, ``matrix``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "matrix"
    sheet.append([matrix.title])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in matrix.notes:
        sheet.append([note])
        sheet.cell(sheet.max_row, 1).font = Font(italic=True)
    sheet.append([])
    first = 1 if matrix.by is not None else 2  # without --by the level column is left out
    heading = [matrix.by or "", "case", "units", *(matrix.labels[c] for c in matrix.codes)]
    sheet.append(heading[first - 1 :])
    header_row = sheet.max_row
    sheet.append(["", "", "", *matrix.codes][first - 1 :])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for cell in sheet[header_row + 1]:
        cell.font = Font(color="808080", size=8)
    for values, total in _rows(matrix):
        sheet.append(values[first - 1 :])
        if total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    keys = 2 if matrix.by is not None else 1
    sheet.freeze_panes = sheet.cell(header_row + 2, keys + 1)
    for index in range(1, len(heading) - first + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > keys else 18
    book.save(str(path))
