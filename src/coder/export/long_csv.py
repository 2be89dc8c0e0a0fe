"""The long CSV export, streamed: batch by batch of transcripts, never the whole table at once.

A long export has a row per coding, and most of a row repeats: seven of its sixteen fields
belong to the excerpt (transcript, case, number, offsets, speaker, text) and three to the code.
So each excerpt's and each code's fields are encoded once, as one joined piece, and a row is
joined from nine pieces. It writes exactly the bytes ``coder.export.csv_writer.write_frame``
writes for ``long_table(...).frame`` (tests compare them), in bounded memory: one batch of
``coder.export.long.BATCH_EXCERPTS`` excerpts is held at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coder.export.coder_selection import CoderSelection
from coder.export.csv_writer import format_value, quote
from coder.export.long import (
    _NUMERIC,
    BATCH_EXCERPTS,
    LONG_FIELDS,
    LongPart,
    code_names,
    long_parts,
)
from coder.export.table import LabelledTable, field_specs

if TYPE_CHECKING:
    from coder.project.project import Project


def long_header(project: Project, description: str) -> LabelledTable:
    """The long table's columns and labels, without data (what the mapping and header need)."""
    frame = pd.DataFrame({f"field:{name}": [] for name in LONG_FIELDS})
    specs = field_specs(LONG_FIELDS, _NUMERIC)
    text = f"coder long export: one row per coding ({description})"
    return LabelledTable.build("long", frame, specs, project.codebook.languages, text)


def _field(value: Any, sep: str, decimal: str) -> str:
    """One value as ``write_frame`` writes it (missing: empty)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return quote(format_value(value, decimal), sep)


def _pieces(values: list[Any], sep: str, decimal: str) -> np.ndarray:
    return np.array([_field(value, sep, decimal) for value in values] + [""], dtype=object)


def _encoded(values: pd.Series, sep: str, decimal: str) -> np.ndarray:
    """A column's fields: integers through ``str`` in C, other values once per distinct value."""
    if values.dtype.kind in "iu" and not any(mark in sep for mark in "-0123456789"):
        return np.array(list(map(str, values.tolist())), dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _pieces(list(uniques), sep, decimal)[codes]


def _quoted(column: np.ndarray, sep: str) -> np.ndarray:
    """Text values (no missing ones), quoted where a value needs it."""
    plain = "".join(column.tolist())
    if not any(mark in plain for mark in (sep, '"', "\n", "\r")):
        return column
    return np.array([quote(value, sep) for value in column.tolist()], dtype=object)


def _per_coding(values: pd.Series, sep: str, decimal: str) -> np.ndarray:
    """A column whose values are mostly distinct or missing (timestamps, spans), encoded
    without factorising: missing values empty, text quoted only if a value needs it."""
    column = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(column, skipna=False) == "string":
        return _quoted(column, sep)
    present = np.flatnonzero(~np.asarray(pd.isna(values)))
    out = np.full(len(column), "", dtype=object)
    out[present] = [_field(value, sep, decimal) for value in column[present].tolist()]
    return out


def _rows(columns: list[np.ndarray], sep: str) -> np.ndarray:
    """Per row: the columns' fields joined by ``sep``."""
    return np.array(list(map(sep.join, zip(*columns, strict=True))), dtype=object)


def part_lines(
    part: LongPart,
    labels: dict[str, str],
    paths: dict[str, str],
    names: dict[int, str],
    sep: str,
    decimal: str,
) -> str:
    """The CSV lines of one part's rows."""
    if part.rows == 0:
        return ""
    table, coded, where = part.table, part.coded, part.where
    used = np.unique(where)
    head = np.empty(len(table), dtype=object)
    tail = np.empty(len(table), dtype=object)
    picked = table.iloc[used]
    fields = ["transcript", "case", "seq", "start", "end"]
    head[used] = _rows([_encoded(picked[name], sep, decimal) for name in fields], sep)
    texts = pd.Series(part.texts[used], dtype=object)
    text = (
        _quoted(texts.to_numpy(), sep)
        if pd.api.types.infer_dtype(texts, skipna=False) == "string"
        else _encoded(texts, sep, decimal)
    )
    tail[used] = _rows([_encoded(picked["speaker"], sep, decimal), text], sep)
    code_codes, code_ids = pd.factorize(coded["code_id"], use_na_sentinel=True)
    code_rows = [
        sep.join(_field(value, sep, decimal) for value in (code, labels.get(code), paths.get(code)))
        for code in code_ids
    ]
    code_piece = np.array([*code_rows, sep.join(["", "", ""])], dtype=object)[code_codes]
    coder_codes, coder_ids = pd.factorize(coded["coder_id"])
    coder_piece = _pieces([names.get(int(c), "") for c in coder_ids], sep, decimal)[coder_codes]
    origin_codes, origins = pd.factorize(coded["origin"], use_na_sentinel=True)
    origin_piece = _pieces(list(origins), sep, decimal)[origin_codes]
    memo_codes, memos = pd.factorize(pd.Series(part.memo, dtype=object), use_na_sentinel=True)
    memo_piece = np.array([p + "\n" for p in _pieces(list(memos), sep, decimal)], dtype=object)
    columns = [
        head[where],
        _per_coding(coded["span_start"], sep, decimal),
        _per_coding(coded["span_end"], sep, decimal),
        tail[where],
        code_piece,
        coder_piece,
        origin_piece,
        _per_coding(coded["created"], sep, decimal),
        memo_piece[memo_codes],
    ]
    return "".join(map(sep.join, zip(*columns, strict=True)))


def write_long_csv(
    project: Project,
    selection: CoderSelection,
    language: str,
    path: Path,
    *,
    sep: str = ",",
    bom: bool = False,
    decimal: str = ".",
    batch_excerpts: int = BATCH_EXCERPTS,
) -> tuple[LabelledTable, int]:
    """Write the long table to ``path``; returns its header-only table and the rows written."""
    from coder.store.frames import StoreFrames

    labels, paths = code_names(project.codebook, language)
    rows = 0
    with (
        StoreFrames(project) as frames,
        Path(path).open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle,
    ):
        chosen = selection.resolve(frames.coders())
        names = {coder.id: coder.name for coder in chosen}
        header = long_header(project, selection.describe(chosen))
        handle.write(sep.join(quote(str(name), sep) for name in header.frame.columns) + "\n")
        for part in long_parts(frames, chosen, batch_excerpts):
            handle.write(part_lines(part, labels, paths, names, sep, decimal))
            rows += part.rows
    return header, rows
