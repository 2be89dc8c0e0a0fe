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
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailedError(f"{path}: looks like a binary file, not CSV")
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeError:
            continue
    else:  # pragma: no cover - cp1252 with errors is caught above
        raise ImportFailedError(f"{path}: cannot decode the file")
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
