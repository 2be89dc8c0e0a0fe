"""Benchmark of transcript import and the project store; prints one JSON object to stdout.

Builds a synthetic project (see ``synthetic.py``) in a temporary folder and measures:

- ``import``: importing every transcript file through ``import_transcript`` against a plain
  read-and-normalise of the same files (``read_bytes`` + UTF-8 decode + ``normalise``);
- ``open_and_load_ms``: ``Project.open`` + ``load_excerpts`` + ``coder_codings_by_excerpt`` +
  ``reviewed_excerpts`` for one 200-excerpt transcript, a new ``Project`` (and so a new engine
  with empty statement caches) each repetition; plus ``cold_open_and_load``, the same in fresh
  Python processes;
- ``apply_code_ms``: ``apply_code`` latency including the commit, on the full database;
- peak memory (``ru_maxrss``) and versions.

Progress goes to stderr. Usage::

    python benchmarks/store.py            # 500 x 200 excerpts, 3 coders x 100k codings
    python benchmarks/store.py --small    # 20 x 50 excerpts, 3 coders x 1,000 codings
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from synthetic import (
    FixtureCounts,
    SyntheticSpec,
    import_transcripts,
    transcript_ids,
    write_transcripts,
)

OPEN_AND_LOAD_TARGET_MS = 50.0
APPLY_P95_TARGET_MS = 5.0


@dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repetition counts of one run."""

    spec: SyntheticSpec
    """The synthetic project."""
    repetitions: int
    """Repetitions of open-and-load in this process."""
    cold_runs: int
    """Fresh processes for the cold open-and-load."""
    apply_calls: int
    """Measured apply_code calls."""
    apply_warmup: int
    """apply_code calls before measuring (not counted)."""


FULL = Settings(SyntheticSpec(), repetitions=30, cold_runs=5, apply_calls=2000, apply_warmup=20)
SMALL = Settings(
    SyntheticSpec(transcripts=20, excerpts_per_transcript=50, codings_per_coder=1_000),
    repetitions=20,
    cold_runs=2,
    apply_calls=1000,
    apply_warmup=20,
)


def log(message: str) -> None:
    """Progress to stderr."""
    print(f"[store-bench] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / scale, 1)


def percentile(values: Sequence[float], share: float) -> float:
    """Linear-interpolated percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def bench_read_and_normalise(paths: Sequence[Path], rounds: int = 3) -> float:
    """Best of ``rounds`` seconds for the plain read + decode + normalise of every file."""
    from coder.ingest import normalise

    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            normalise(path.read_bytes().decode("utf-8"))
        best = min(best, time.perf_counter() - started)
    return best


def bench_open_and_load(
    root: Path, transcript_id: str, coder: str, repetitions: int
) -> dict[str, Any]:
    """Open a new Project and load one transcript for one coder, ``repetitions`` times."""
    from coder.project.project import Project
    from coder.store.queries import coder_codings_by_excerpt, load_excerpts, reviewed_excerpts

    totals: list[float] = []
    phases: dict[str, list[float]] = {
        "open": [],
        "load_excerpts": [],
        "coder_codings_by_excerpt": [],
        "reviewed_excerpts": [],
    }
    counts: tuple[int, int, int] = (0, 0, 0)
    for _ in range(repetitions + 1):  # the first also compiles modules' lazy imports
        t0 = time.perf_counter()
        project = Project.open(root)
        t1 = time.perf_counter()
        loaded = load_excerpts(project, transcript_id)
        t2 = time.perf_counter()
        coded = coder_codings_by_excerpt(project, coder, transcript_id)
        t3 = time.perf_counter()
        reviewed = reviewed_excerpts(project, coder, transcript_id)
        t4 = time.perf_counter()
        project.close()
        totals.append(t4 - t0)
        for name, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[name].append(seconds)
        counts = (len(loaded), sum(len(items) for items in coded.values()), len(reviewed))
    first, measured = totals[0], totals[1:]
    return {
        "transcript": transcript_id,
        "coder": coder,
        "excerpts": counts[0],
        "codings": counts[1],
        "reviewed": counts[2],
        "repetitions": len(measured),
        "median": _ms(statistics.median(measured)),
        "p95": _ms(percentile(measured, 0.95)),
        "min": _ms(min(measured)),
        "max": _ms(max(measured)),
        "first": _ms(first),
        "phases_median": {
            name: _ms(statistics.median(values[1:])) for name, values in phases.items()
        },
    }


_COLD_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from coder.project.project import Project
from coder.store.queries import coder_codings_by_excerpt, load_excerpts, reviewed_excerpts
imported = time.perf_counter()
root, tid, coder = sys.argv[1:4]
project = Project.open(Path(root))
opened = time.perf_counter()
load_excerpts(project, tid)
coder_codings_by_excerpt(project, coder, tid)
reviewed_excerpts(project, coder, tid)
loaded = time.perf_counter()
project.close()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss can carry the parent's peak over the fork; VmHWM is this process's own
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({
    "import_ms": (imported - started) * 1000,
    "open_ms": (opened - imported) * 1000,
    "open_and_load_ms": (loaded - imported) * 1000,
    "peak_rss_kb": peak_kb,
}))
"""

_FIXTURE_SCRIPT = """
import json, sys
from dataclasses import asdict
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from synthetic import add_codings
from coder.project.project import Project
root, count, seed = Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with Project.open(root) as project:
    counts = add_codings(project, sys.argv[5:], count, seed=seed)
print(json.dumps(asdict(counts), ensure_ascii=False))
"""


def insert_fixture(root: Path, spec: SyntheticSpec) -> FixtureCounts:
    """``add_codings`` in a child process, so this process's peak memory is the store's own."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _FIXTURE_SCRIPT,
            str(Path(__file__).resolve().parent),
            str(root),
            str(spec.codings_per_coder),
            str(spec.seed),
            *spec.coders,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if done.returncode != 0:
        raise RuntimeError(f"inserting the codings failed:\n{done.stderr}")
    return FixtureCounts(**json.loads(done.stdout))


def bench_cold(root: Path, transcript_id: str, coder: str, runs: int) -> dict[str, Any]:
    """Open and load in ``runs`` fresh Python processes (module imports timed separately)."""
    results: list[dict[str, float]] = []
    walls: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _COLD_SCRIPT, str(root), transcript_id, coder],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if done.returncode != 0:
            raise RuntimeError(f"the cold open-and-load process failed:\n{done.stderr}")
        walls.append(time.perf_counter() - started)
        results.append(json.loads(done.stdout))

    def median(key: str) -> float:
        return round(statistics.median(result[key] for result in results), 3)

    return {
        "runs": runs,
        "module_import_ms_median": median("import_ms"),
        "open_ms_median": median("open_ms"),
        "open_and_load_ms_median": median("open_and_load_ms"),
        "process_wall_ms_median": _ms(statistics.median(walls)),
        "peak_rss_mb": round(max(result["peak_rss_kb"] for result in results) / 1024, 1),
    }


def bench_apply_code(root: Path, coder: str, calls: int, warmup: int, seed: int) -> dict[str, Any]:
    """Latency of ``apply_code`` (with commit) on random codable excerpts and codes."""
    from sqlalchemy import select

    from coder.project.project import Project
    from coder.store.operations import apply_code
    from coder.store.schema import excerpts

    rng = random.Random(f"{seed}:apply")
    with Project.open(root) as project:
        with project.store.engine.connect() as conn:
            ids = list(
                conn.execute(select(excerpts.c.id).where(excerpts.c.codable.is_(True))).scalars()
            )
        codes = [code.id for code in project.codebook.codable_codes]
        latencies: list[float] = []
        inserted = 0
        for number in range(warmup + calls):
            excerpt_id, code_id = rng.choice(ids), rng.choice(codes)
            started = time.perf_counter()
            applied = apply_code(project, coder, excerpt_id, code_id)
            elapsed = time.perf_counter() - started
            if number >= warmup:
                latencies.append(elapsed)
                inserted += applied
    return {
        "coder": coder,
        "calls": calls,
        "warmup_calls": warmup,
        "inserted": inserted,
        "already_applied": calls - inserted,
        "p50": _ms(percentile(latencies, 0.50)),
        "p95": _ms(percentile(latencies, 0.95)),
        "p99": _ms(percentile(latencies, 0.99)),
        "max": _ms(max(latencies)),
        "mean": _ms(statistics.fmean(latencies)),
    }


def run(settings: Settings, folder: Path, mode: str) -> dict[str, Any]:
    """Build the project in ``folder`` (empty or absent) and run every measurement."""
    import sqlalchemy

    from coder.project.init import init_project
    from coder.project.project import Project

    spec = settings.spec
    started = time.perf_counter()
    peaks: dict[str, float] = {}

    log(f"writing {spec.transcripts} x {spec.excerpts_per_transcript}-excerpt transcripts")
    init_project(folder)
    write_seconds, paths = timed(lambda: write_transcripts(folder / "transcripts", spec))
    size_bytes = sum(path.stat().st_size for path in paths)

    log("plain read + decode + normalise (best of 3)")
    baseline = bench_read_and_normalise(paths)

    log(f"importing {len(paths)} files through import_transcript")
    step = max(1, len(paths) // 10)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            log(f"  imported {done}/{total}")

    with Project.open(folder) as project:
        import_seconds, excerpt_count = timed(lambda: import_transcripts(project, paths, progress))
    peaks["import"] = peak_rss_mb()
    log(f"inserting {spec.codings_per_coder} codings for each of {len(spec.coders)} coders")
    fixture_seconds, counts = timed(lambda: insert_fixture(folder, spec))

    ids = transcript_ids(spec)
    probe = ids[len(ids) // 2]
    coder = spec.coders[0]
    log(f"open and load {probe} for {coder}, {settings.repetitions} repetitions")
    open_and_load = bench_open_and_load(folder, probe, coder, settings.repetitions)
    peaks["open_and_load"] = peak_rss_mb()
    log(f"open and load in {settings.cold_runs} fresh processes")
    cold = bench_cold(folder, probe, coder, settings.cold_runs)
    log(f"apply_code: {settings.apply_calls} calls")
    apply = bench_apply_code(folder, coder, settings.apply_calls, settings.apply_warmup, spec.seed)
    peaks["apply_code"] = peak_rss_mb()

    db = folder / ".coder" / "coder.db"
    db_bytes = sum(path.stat().st_size for path in db.parent.glob(db.name + "*") if path.is_file())
    total_codings = sum(counts.codings.values())
    result: dict[str, Any] = {
        "benchmark": "store",
        "mode": mode,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sizes": {
            "transcripts": len(paths),
            "excerpts_per_transcript": spec.excerpts_per_transcript,
            "excerpts": excerpt_count,
            "codable_excerpts": counts.codable_excerpts,
            "codable_codes": counts.codes,
            "coders": len(spec.coders),
            "codings_per_coder": spec.codings_per_coder,
            "codings": total_codings,
            "reviews": sum(counts.reviews.values()),
            "transcript_mb": round(size_bytes / 2**20, 2),
            "database_mb": round(db_bytes / 2**20, 1),
        },
        "import": {
            "files": len(paths),
            "excerpts": excerpt_count,
            "seconds": round(import_seconds, 3),
            "files_per_s": round(len(paths) / import_seconds, 1),
            "excerpts_per_s": round(excerpt_count / import_seconds, 1),
            "read_normalise_seconds": round(baseline, 4),
            "read_normalise_files_per_s": round(len(paths) / baseline, 1),
            "read_normalise_excerpts_per_s": round(excerpt_count / baseline, 1),
            "ratio": round(import_seconds / baseline, 1),
        },
        "fixture_seconds": {
            "write_transcripts": round(write_seconds, 3),
            "insert_codings_and_reviews": round(fixture_seconds, 3),
        },
        "open_and_load_ms": open_and_load,
        "cold_open_and_load": cold,
        "apply_code_ms": apply,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_mb_after": peaks,
        "total_seconds": round(time.perf_counter() - started, 1),
        "targets": {
            "open_and_load_under_50ms": open_and_load["p95"] < OPEN_AND_LOAD_TARGET_MS,
            "apply_p95_under_5ms": apply["p95"] < APPLY_P95_TARGET_MS,
        },
    }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run, print the JSON."""
    parser = argparse.ArgumentParser(description="Benchmark transcript import and the store.")
    parser.add_argument("--small", action="store_true", help="a quick run on a small project")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the project in DIR (must not exist) and keep it, instead of a temp folder",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    base = SMALL if args.small else FULL
    settings = replace(base, spec=replace(base.spec, seed=args.seed))
    mode = "small" if args.small else "full"
    if args.keep is not None:
        if args.keep.exists():
            parser.error(f"{args.keep} exists already")
        result = run(settings, args.keep, mode)
    else:
        folder = Path(tempfile.mkdtemp(prefix="coder-store-bench-"))
        try:
            result = run(settings, folder / "project", mode)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
