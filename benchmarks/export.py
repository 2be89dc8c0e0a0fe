"""Benchmark of ``coder export``: one million codings to long CSV and to .sav; prints one JSON.

Builds a project in a temporary folder (``init_project`` with the bundled codebook) and fills
its database with a bulk insert straight into SQLite (transcripts, excerpts, 3 coders, codings,
reviews, memos, case attributes and ratings), far faster than the coding API. Then, each in a
fresh Python process so its peak memory is its own:

- ``long_csv``: ``export(project, "long", ...)`` (read the store, build the frame, write the CSV
  atomically) against a plain ``DataFrame.to_csv`` of the same frame in the same process, and
  the ratio of the two (target <= 1.0, peak memory under 300 MB: the export streams batch by
  batch of transcripts);
- ``long_sav``: ``export(project, "spss", ..., table="long")`` against the same plain
  ``to_csv`` and against a plain ``pyreadstat.write_sav`` of the same frame (target <= 1.2).

Progress goes to stderr. Usage::

    python benchmarks/export.py            # 1,000,000 codings
    python benchmarks/export.py --small    # 10,000 codings
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.0
SAV_TARGET_RATIO = 1.2
PEAK_TARGET_MB = 300
CODERS = ("ada", "bjørn", "cecilie")
_WORD_TEXT = (
    "og jeg det er ikke på som en til med har av for så var de meg hun han vi men bare liksom "
    "skolen lærer klassen venner mamma pappa familie hjemme barnevernet nav jobb læreplass "
    "ensom mobbing fravær følte møte øyeblikk tårer ærlig vanskelig trygg redd glad stolt"
)
WORDS = tuple(_WORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Size:
    """What the synthetic database holds."""

    transcripts: int
    """Transcripts (one case each)."""
    excerpts_per_transcript: int
    """Excerpts per transcript; every second one is codable."""
    codings: int
    """Codings in all, spread evenly over the coders."""


FULL = Size(transcripts=1_000, excerpts_per_transcript=200, codings=1_000_000)
SMALL = Size(transcripts=20, excerpts_per_transcript=100, codings=10_000)


def log(message: str) -> None:
    """Progress to stderr."""
    print(f"[export-bench] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM where Linux has it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def build_project(folder: Path, size: Size, seed: int = 0) -> dict[str, int]:
    """A project in ``folder`` whose database holds ``size``; returns row counts."""
    from coder.project.init import init_project
    from coder.project.project import Project

    init_project(folder)
    with Project.open(folder) as project:
        codes = [code.id for code in project.codebook.codable_codes]
        db = project.db_path
    rng = random.Random(seed)
    at = datetime(2025, 1, 6, 9, tzinfo=UTC)
    stamp = at.isoformat()
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        excerpt_rows: list[tuple[Any, ...]] = []
        for number in range(1, size.transcripts + 1):
            tid = f"intervju_{number:04d}"
            parts: list[str] = []
            offset = 0
            for seq in range(1, size.excerpts_per_transcript + 1):
                text = " ".join(rng.choices(WORDS, k=rng.randint(8, 60))).capitalize() + "."
                speaker = "Deltaker" if seq % 2 == 0 else "Intervjuer"
                turn = f"{speaker}: {text}"
                role = "participant" if seq % 2 == 0 else "interviewer"
                excerpt_rows.append(
                    (tid, seq, offset, offset + len(turn), speaker, role, seq % 2 == 0, "x")
                )
                parts.append(turn)
                offset += len(turn) + 2
            conn.execute("INSERT INTO cases (id, created_at) VALUES (?, ?)", (tid, stamp))
            conn.execute(
                "INSERT INTO transcripts (id, case_id, source_name, sha256, format, encoding,"
                " language, text, imported_at) VALUES (?, ?, ?, ?, 'txt', 'utf-8', 'nb', ?, ?)",
                (tid, tid, f"{tid}.txt", f"{number:064x}", "\n\n".join(parts) + "\n", stamp),
            )
            conn.execute(
                "INSERT INTO case_attributes VALUES (?, 'gender', ?), (?, 'age', ?)",
                (tid, rng.choice(["female", "male"]), tid, str(rng.randint(16, 29))),
            )
        conn.executemany(
            'INSERT INTO excerpts (transcript_id, seq, start, "end", speaker, role, codable,'
            " text_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            excerpt_rows,
        )
        codable = [
            int(row[0]) for row in conn.execute("SELECT id FROM excerpts WHERE codable ORDER BY id")
        ]
        per_coder = size.codings // len(CODERS)
        counts = {"codings": 0, "reviews": 0, "memos": 0}
        for index, name in enumerate(CODERS):
            who = conn.execute(
                "INSERT INTO coders (name, kind, created_at) VALUES (?, 'human', ?)", (name, stamp)
            ).lastrowid
            share = per_coder + (size.codings - per_coder * len(CODERS) if index == 0 else 0)
            picks = rng.sample(range(len(codable) * len(codes)), share)
            rows = [
                (
                    codable[pick // len(codes)],
                    codes[pick % len(codes)],
                    who,
                    "manual",
                    (at + timedelta(seconds=step)).isoformat(),
                )
                for step, pick in enumerate(picks)
            ]
            conn.executemany(
                "INSERT INTO codings (excerpt_id, code_id, coder_id, origin, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            seen = sorted({row[0] for row in rows})
            conn.executemany(
                "INSERT INTO reviews VALUES (?, ?, ?)", [(who, e, stamp) for e in seen]
            )
            memo_rows = [(who, e, "Notat om utdraget, æøå.", stamp, stamp) for e in seen[::50]]
            conn.executemany(
                "INSERT INTO memos (coder_id, excerpt_id, text, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                memo_rows,
            )
            conn.executemany(
                "INSERT INTO case_ratings VALUES (?, 'relational_robustness', ?, ?, ?)",
                [
                    (f"intervju_{n:04d}", who, rng.choice(["steady", "wavering"]), stamp)
                    for n in range(1, size.transcripts + 1)
                ],
            )
            counts["codings"] += len(rows)
            counts["reviews"] += len(seen)
            counts["memos"] += len(memo_rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    counts["excerpts"] = len(excerpt_rows)
    counts["codable_excerpts"] = len(codable)
    counts["transcripts"] = size.transcripts
    return counts


def _timed(function: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``function()``, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def measure(folder: Path, which: str, repetitions: int) -> dict[str, Any]:
    """One measurement in this (fresh) process: ``long_csv`` or ``long_sav``.

    The export and the plain ``to_csv`` of the same frame run ``repetitions`` times, in turn;
    the best of each counts. Peak memory is taken after the first export, before any plain
    reference ran.
    """
    import pandas as pd
    import pyreadstat

    from coder.export.coder_selection import CoderSelection
    from coder.export.formats import ExportOptions, export
    from coder.export.long import long_table
    from coder.export.writers import stats_frame
    from coder.project.project import Project

    out = folder / "out"
    out.mkdir(exist_ok=True)
    fmt, options, target = "long", ExportOptions(), out / "long.csv"
    if which == "long_sav":
        fmt, options, target = "spss", ExportOptions(table="long"), out / "long.sav"
    runs: dict[str, list[tuple[float, float]]] = {"export": [], "plain_csv": [], "plain_sav": []}
    result: dict[str, Any] = {"repetitions": repetitions}
    with Project.open(folder) as project:
        for repetition in range(repetitions):
            wall, cpu, written = _timed(partial(export, project, fmt, target, options))
            runs["export"].append((wall, cpu))
            if repetition == 0:
                result["peak_rss_mb"] = peak_rss_mb()
                result["rows"] = written.rows
                result["bytes"] = target.stat().st_size
            table = long_table(project, CoderSelection(), project.codebook.language)
            frame: pd.DataFrame = table.frame
            wall, cpu, _ = _timed(partial(frame.to_csv, out / "plain.csv", index=False))
            runs["plain_csv"].append((wall, cpu))
            if which == "long_sav":
                plain = stats_frame(table)
                wall, cpu, _ = _timed(
                    partial(pyreadstat.write_sav, plain, out / "plain.sav", row_compress=True)
                )
                runs["plain_sav"].append((wall, cpu))
            result["frame_mb"] = round(frame.memory_usage(deep=True).sum() / 2**20, 1)
            del table, frame
    for name, times in runs.items():
        if times:
            result[f"{name}_seconds"] = min(wall for wall, _ in times)
            result[f"{name}_cpu_seconds"] = min(cpu for _, cpu in times)
    result["ratio"] = result["export_seconds"] / result["plain_csv_seconds"]
    result["cpu_ratio"] = result["export_cpu_seconds"] / result["plain_csv_cpu_seconds"]
    if which == "long_sav":
        result["ratio_to_plain_sav"] = result["export_seconds"] / result["plain_sav_seconds"]
        result["cpu_ratio_to_plain_sav"] = (
            result["export_cpu_seconds"] / result["plain_sav_cpu_seconds"]
        )
    return {key: round(v, 3) if isinstance(v, float) else v for key, v in result.items()}


def run_child(folder: Path, which: str, repetitions: int) -> dict[str, Any]:
    """``measure`` in a fresh interpreter; returns its JSON."""
    log(f"measuring {which}")
    command = [sys.executable, __file__, "--measure", which, "--project", str(folder)]
    done = subprocess.run(
        [*command, "--repetitions", str(repetitions)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{which} failed:\n{done.stderr}")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="10,000 codings instead of 1M")
    parser.add_argument("--measure", choices=("long_csv", "long_sav"), help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repetitions", type=int, default=None, help="runs of each timing")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.project, args.measure, args.repetitions or 1)))
        return 0
    size = SMALL if args.small else FULL
    repetitions = args.repetitions or (3 if args.small else 2)
    with tempfile.TemporaryDirectory(prefix="coder-export-bench-") as tmp:
        folder = Path(tmp) / "project"
        log(f"building a project with {size.codings:,} codings")
        started = time.perf_counter()
        counts = build_project(folder, size)
        build_seconds = time.perf_counter() - started
        csv_result = run_child(folder, "long_csv", repetitions)
        sav_result = run_child(folder, "long_sav", repetitions)
    import pandas as pd
    import pyreadstat

    result = {
        "benchmark": "export",
        "mode": "small" if args.small else "full",
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "pyreadstat": pyreadstat.__version__,
        "sizes": {**asdict(size), **counts},
        "fixture_seconds": round(build_seconds, 2),
        "long_csv": csv_result,
        "long_sav": sav_result,
        "load_average": list(os.getloadavg()),
        "targets": {
            "long_csv_cpu_ratio_at_most_1_0": csv_result["cpu_ratio"] <= TARGET_RATIO,
            "long_csv_ratio_at_most_1_0": csv_result["ratio"] <= TARGET_RATIO,
            "long_csv_peak_under_300_mb": csv_result["peak_rss_mb"] < PEAK_TARGET_MB,
            "long_sav_ratio_at_most_1_2": sav_result["ratio_to_plain_sav"] <= SAV_TARGET_RATIO,
        },
        "peak_rss_mb": max(csv_result["peak_rss_mb"], sav_result["peak_rss_mb"]),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
