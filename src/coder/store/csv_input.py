"""Reading user CSV files: encoding, delimiter sniffing and located problems."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    # strict: a quote that never closes is an error, not a field that swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    started = 1  # line the record being read starts on
    try:
        header = [name.strip().lower() for name in next(reader)]
        duplicates = _duplicates(header)
        if duplicates:
            names = ", ".join(sorted(duplicates))
            raise ImportFailedError(f"{path}:1: duplicate column(s) {names}")
        rows: list[tuple[int, dict[str, str]]] = []
        started = reader.line_num + 1
        for values in reader:
            line, started = started, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                raise ImportFailedError(f"{path}:{line}: more values than columns in the header")
            rows.append(
                (line, {name: value.strip() for name, value in zip(header, values, strict=False)})
            )
    except csv.Error as exc:
        raise ImportFailedError(_malformed(path, started, reader.line_num, str(exc))) from None
    return header, rows


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
