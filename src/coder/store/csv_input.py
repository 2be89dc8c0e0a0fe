"""Reading user CSV files: encoding, delimiter sniffing and located problems."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coder.errors import ImportFailedError, Problem


def read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased, stripped) and (line number, row) pairs; ``,`` ``;`` or tab separated."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailedError(f"{path}: cannot read ({exc.strerror or exc})") from None
    from coder.ingest import decode, normalise

    # The transcript decoder: BOMs, UTF-16, UTF-8, else Windows-1252 (Norwegian Excel exports);
    # binary files and damaged UTF-8 are refused with the file's name.
    try:
        text = normalise(decode(raw, name=str(path))[0])
    except ImportFailedError as exc:
        raise ImportFailedError(str(exc).replace("not a transcript", "not CSV")) from None
    if not text.strip():
        raise ImportFailedError(f"{path}: the file is empty")
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            line = reader.line_num
            if len(values) > len(header):
                raise ImportFailedError(f"{path}:{line}: more values than columns in the header")
            rows.append(
                (line, {name: value.strip() for name, value in zip(header, values, strict=False)})
            )
    except csv.Error as exc:
        raise ImportFailedError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None
    duplicates = {name for name in header if header.count(name) > 1}
    if duplicates:
        raise ImportFailedError(f"{path}:1: duplicate column(s) {', '.join(sorted(duplicates))}")
    return header, rows


def problem(path: Path, line: int, field: str, message: str) -> Problem:
    """A located problem in a CSV file."""
    return Problem(str(path), line, field, message)
