"""Reading user CSV files: encoding, delimiter sniffing and located problems."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coder.errors import ImportFailedError, Problem


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a big file's rows are built.

    Reading a million rows makes millions of containers, none of them cyclic; each automatic
    collection scans all of them, so with collection on, an import grows worse than linear.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased, stripped) and (line number, row) pairs; ``,`` ``;`` or tab separated."""
    header, reader = _open(path)
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in _records(path, reader, len(header)):
        rows.append(
            (line, {name: value.strip() for name, value in zip(header, values, strict=False)})
        )
    return header, rows


def read_csv_table(path: Path) -> tuple[list[str], list[int], list[list[str]]]:
    """Header, the line each row starts on, and the rows as stripped cells padded to the header.

    The fast reading of a big file (``read_csv_rows`` makes a dict per row): the cells of a row
    are a list in the header's order, a short row ends with empty cells.
    """
    header, reader = _open(path)
    width = len(header)
    lines: list[int] = []
    rows: list[list[str]] = []
    started = reader.line_num + 1  # line the record being read starts on
    try:  # the loop of ``_records``, inline: a million rows
        for values in reader:
            line, started = started, reader.line_num + 1
            cells = [value.strip() for value in values]
            if not any(cells):
                continue
            if len(cells) != width:
                if len(cells) > width:
                    message = f"{path}:{line}: more values than columns in the header"
                    raise ImportFailedError(message)
                cells.extend([""] * (width - len(cells)))
            lines.append(line)
            rows.append(cells)
    except csv.Error as exc:
        raise ImportFailedError(_malformed(path, started, reader.line_num, str(exc))) from None
    return header, lines, rows


def _open(path: Path) -> tuple[list[str], Any]:
    """The file's header and a ``csv.reader`` at its first row (refusing duplicate columns)."""
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
    end = text.find("\n")  # the first line without splitting a million-line text
    first = text[: end + 1 if end >= 0 else len(text)].splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    # strict: a quote that never closes is an error, not a field that swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        raise ImportFailedError(_malformed(path, 1, reader.line_num, str(exc))) from None
    duplicates = _duplicates(header)
    if duplicates:
        names = ", ".join(sorted(duplicates))
        raise ImportFailedError(f"{path}:1: duplicate column(s) {names}")
    return header, reader


def _records(path: Path, reader: Any, width: int) -> Iterator[tuple[int, list[str]]]:
    """(line, values) of each non-blank record of a ``csv.reader``; a wider one is refused."""
    started = reader.line_num + 1  # line the record being read starts on
    try:
        for values in reader:
            line, started = started, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) > width:
                raise ImportFailedError(f"{path}:{line}: more values than columns in the header")
            yield line, values
    except csv.Error as exc:
        raise ImportFailedError(_malformed(path, started, reader.line_num, str(exc))) from None


def _duplicates(header: list[str]) -> set[str]:
    """Column names that occur more than once (one pass: 80k columns take milliseconds)."""
    seen: set[str] = set()
    duplicates: set[str] = set()
    for name in header:
        (duplicates if name in seen else seen).add(name)
    return duplicates


def _malformed(path: Path, started: int, reached: int, reason: str) -> str:
    """The message for a row the csv module cannot read, naming the line the row starts on."""
    if reason == "unexpected end of data" or "expected after '\"'" in reason:
        end = "the end of the file" if reason == "unexpected end of data" else f"line {reached}"
        return (
            f"{path}:{started}: unterminated quote: a quoted value that starts on line "
            f"{started} is not closed before {end}; close the quote (a quote inside a quoted "
            f'value is written twice: "")'
        )
    return f"{path}:{started}: malformed CSV ({reason})"


def problem(path: Path, line: int, field: str, message: str) -> Problem:
    """A located problem in a CSV file."""
    return Problem(str(path), line, field, message)
