"""Benchmark of input handling at the edges (issue 14): prints one JSON object to stdout.

- ``duplicate_columns``: reading the header of a CSV with 80,000 columns (one of them twice)
  through ``read_csv_rows`` until it refuses the duplicate, against a bare ``csv.reader`` of
  the same header; the check must be linear (it was quadratic: over a minute);
- ``cases_import``: ``coder cases import`` of a 1,000,000-row cases.csv (case id, county, age,
  gender) into a new project, against a bare ``csv.reader`` pass over the same file;
- ``speaker_regex``: importing a transcript whose speaker label is 59 ``a`` with the
  catastrophic pattern ``(a+)+b`` in coder.toml (exponential for a backtracking engine).

Progress goes to stderr. Usage::

    python benchmarks/hostile.py            # 80k columns, 1M cases
    python benchmarks/hostile.py --small    # 80k columns, 20k cases
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.project.init import init_project
from coder.project.project import Project
from coder.store.cases_import import import_cases
from coder.store.csv_input import read_csv_rows
from coder.store.importer import import_transcripts


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def duplicate_columns(folder: Path, columns: int) -> dict[str, Any]:
    """Seconds to refuse a header of ``columns`` names, one of them repeated at the end."""
    names = [f"col{index}" for index in range(columns - 1)] + ["col7"]
    path = folder / "wide.csv"
    path.write_text(",".join(names) + "\n" + ",".join("x" * columns) + "\n", encoding="utf-8")
    started = time.perf_counter()
    try:
        read_csv_rows(path)
        refused = ""
    except CoderError as exc:
        refused = str(exc)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    bare = time.perf_counter() - started
    return {
        "columns": columns,
        "seconds": round(seconds, 4),
        "bare_csv_reader_seconds": round(bare, 4),
        "refused": "duplicate column(s) col7" in refused,
    }


def cases_import(folder: Path, rows: int) -> dict[str, Any]:
    """Seconds of ``import_cases`` for ``rows`` cases into a new project."""
    root = folder / "cases-project"
    init_project(root)
    path = root / "big-cases.csv"
    counties = ["Oslo", "Vestland", "Trøndelag", "Møre og Romsdal", "Agder"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case", "county", "age", "gender"])
        for index in range(rows):
            gender = "female" if index % 2 else "male"
            writer.writerow([f"c{index:07d}", counties[index % 5], 15 + index % 15, gender])
    _log(f"cases: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        bare_rows = sum(1 for _ in csv.reader(handle))
    bare = time.perf_counter() - started
    with Project.open(root) as project:
        started = time.perf_counter()
        stored = import_cases(project, path)
        seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "stored": stored,
        "seconds": round(seconds, 2),
        "bare_csv_reader_seconds": round(bare, 3),
        "ratio": round(seconds / bare, 1),
        "bare_rows": bare_rows - 1,
    }


def speaker_regex(folder: Path) -> dict[str, Any]:
    """Seconds to import a transcript against the catastrophic pattern ``(a+)+b``."""
    root = folder / "regex-project"
    init_project(root)
    config = root / "coder.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("participant = [")
    end = text.index("]", text.index('"Ungdom"')) + 1
    config.write_text(f'{text[:start]}participant = ["(a+)+b", "D"]{text[end:]}', encoding="utf-8")
    transcript = root / "transcripts" / "slow.txt"
    transcript.write_text(
        "".join(f"{'a' * 59}: line {n}\n\nD: svar {n}\n\n" for n in range(200)), encoding="utf-8"
    )
    with Project.open(root) as project:
        started = time.perf_counter()
        import_transcripts(project, [transcript])
        seconds = time.perf_counter() - started
    return {"pattern": "(a+)+b", "labels": 200, "label_chars": 59, "seconds": round(seconds, 3)}


def main(argv: list[str] | None = None) -> None:
    """Run every measurement and print the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="20k cases instead of 1M")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coder-hostile-") as tmp:
        folder = Path(tmp)
        _log("duplicate columns")
        columns = duplicate_columns(folder, 80_000)
        _log("speaker regex")
        regex = speaker_regex(folder)
        _log("cases import")
        cases = cases_import(folder, 20_000 if args.small else 1_000_000)
    figures = {
        "benchmark": "hostile",
        "duplicate_columns": columns,
        "speaker_regex": regex,
        "cases_import": cases,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
