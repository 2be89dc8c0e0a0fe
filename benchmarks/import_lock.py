"""Benchmark: coders keep coding while a lead runs a big ``codings import`` (issue 14.7).

Prints one JSON object to stdout. Builds a synthetic project (``synthetic.py``: 500 x 200
excerpts, no codings), writes a 100,000-row codings CSV, and starts 6 coder processes that each
toggle a code on a random codable excerpt every 25 ms (``toggle_code``: one transaction with its
commit, as a keystroke in the app), timing every call. Three phases, the coders running all the
time:

- ``idle``: 3 s with no import (the reference);
- ``batched``: ``import_codings`` as shipped (short batches, the lock free between them);
- ``one_transaction``: the same import of another 100,000 rows with one batch holding the
  write lock for all its rows, as before issue 14 (``--no-reference`` skips it).

For each phase: keystrokes, errors (a keystroke that failed, e.g. "database is locked" after
the 5 s busy timeout), latency p50/p95/p99/max in ms, and the import's seconds. Targets: 0
errors and p99 < 50 ms during the batched import. Progress goes to stderr. Usage::

    python benchmarks/import_lock.py            # 100k excerpts, 100k rows, 6 coders
    python benchmarks/import_lock.py --small    # 10k excerpts, 10k rows, 6 coders
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CODERS = 6
PACE_S = 0.025
P99_TARGET_MS = 50.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def worker(root: Path, name: str, seed: int) -> None:
    """A coder process: on ``go`` toggle codes until ``stop``, then print its timings."""
    from sqlalchemy import select

    from coder.project.project import Project
    from coder.store.operations import toggle_code
    from coder.store.schema import excerpts

    rng = random.Random(seed)
    stop = threading.Event()
    with Project.open(root) as project:
        with project.store.engine.connect() as conn:
            query = select(excerpts.c.id).where(excerpts.c.codable.is_(True))
            ids = list(conn.execute(query).scalars())
        codes = [code.id for code in project.codebook.codable_codes]
        print("ready", flush=True)
        sys.stdin.readline()  # go
        threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
        calls: list[tuple[float, float, str]] = []
        while not stop.is_set():
            started = time.time()
            error = ""
            try:
                toggle_code(project, name, rng.choice(ids), rng.choice(codes))
            except Exception as exc:  # a failed keystroke is what this counts
                error = f"{type(exc).__name__}: {exc}"[:200]
            calls.append((started, time.time() - started, error))
            stop.wait(PACE_S)
    print(json.dumps(calls), flush=True)


def write_codings(root: Path, path: Path, rows: int, coder: str, seed: int) -> None:
    """``rows`` distinct (excerpt, code) codings of codable excerpts for ``coder``."""
    from coder.project.project import Project
    from coder.store.queries import load_excerpts

    rng = random.Random(seed)
    with Project.open(root) as project:
        codes = [code.id for code in project.codebook.codable_codes]
        manifest = json.loads((root / "synthetic.json").read_text(encoding="utf-8"))
        units: list[tuple[str, int]] = []
        for transcript in manifest["transcript_ids"]:
            for excerpt in load_excerpts(project, transcript):
                if excerpt.codable:
                    units.append((transcript, excerpt.seq))
    pairs = rng.sample(range(len(units) * len(codes)), rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["transcript", "excerpt", "code", "coder"])
        for pair in pairs:
            transcript, seq = units[pair // len(codes)]
            out.writerow([transcript, seq, codes[pair % len(codes)], coder])


def phase(calls: list[tuple[float, float, str]], start: float, end: float) -> dict[str, Any]:
    """Figures of the keystrokes that started between ``start`` and ``end``."""
    inside = [(took, error) for began, took, error in calls if start <= began < end]
    latencies = [took * 1000 for took, _ in inside]
    errors = [error for _, error in inside if error]
    figures: dict[str, Any] = {"keystrokes": len(inside), "errors": len(errors)}
    if latencies:
        figures |= {
            "p50_ms": round(percentile(latencies, 0.50), 2),
            "p95_ms": round(percentile(latencies, 0.95), 2),
            "p99_ms": round(percentile(latencies, 0.99), 2),
            "max_ms": round(max(latencies), 2),
        }
    if errors:
        figures["first_error"] = errors[0]
    return figures


def run(folder: Path, small: bool, reference: bool) -> dict[str, Any]:
    """Make the project, start the coders, run the phases; return the figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from coder.project.project import Project
    from coder.store.codings_import import import_codings
    from synthetic import make_project

    root = folder / "project"
    transcripts, rows = (50, 10_000) if small else (500, 100_000)
    _log(f"making {transcripts} x 200 excerpts")
    make_project(root, transcripts, 200, coders=(), codings_per_coder=0, seed=0, progress=_log)
    batched, single = folder / "batched.csv", folder / "one-transaction.csv"
    write_codings(root, batched, rows, "leder", seed=1)
    write_codings(root, single, rows, "leder2", seed=2)
    _log(f"starting {CODERS} coders")
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(root), f"koder{n}", str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(CODERS)
    ]
    for process in workers:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    for process in workers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    windows: dict[str, tuple[float, float]] = {}
    seconds: dict[str, float] = {}
    started = time.time()
    time.sleep(3.0)
    windows["idle"] = (started, time.time())
    with Project.open(root) as project:
        for name, path, size in (("batched", batched, None), ("one_transaction", single, rows)):
            if name == "one_transaction" and not reference:
                continue
            _log(f"import: {name}")
            began = time.time()
            if size is None:
                import_codings(project, path)
            else:
                import_codings(project, path, batch_rows=size)
            windows[name] = (began, time.time())
            seconds[name] = round(windows[name][1] - began, 2)
            time.sleep(1.0)
    calls: list[tuple[float, float, str]] = []
    for process in workers:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("stop\n")
        process.stdin.flush()
        calls.extend(tuple(call) for call in json.loads(process.stdout.readline()))  # type: ignore[misc]
        process.wait(timeout=60)
    phases = {name: phase(calls, *window) for name, window in windows.items()}
    for name, value in seconds.items():
        phases[name]["import_seconds"] = value
        phases[name]["rows"] = rows
    batched_phase = phases["batched"]
    return {
        "benchmark": "import_lock",
        "mode": "small" if small else "full",
        "excerpts": transcripts * 200,
        "coders": CODERS,
        "pace_ms": PACE_S * 1000,
        "phases": phases,
        "target": {
            "errors": 0,
            "p99_ms": P99_TARGET_MS,
            "met": batched_phase["errors"] == 0
            and batched_phase.get("p99_ms", 0.0) < P99_TARGET_MS,
        },
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or, with ``--worker``, one coder process)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="10k excerpts, 10k rows")
    parser.add_argument("--no-reference", action="store_true", help="skip one_transaction")
    parser.add_argument(
        "--worker", nargs=3, metavar=("ROOT", "CODER", "SEED"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1], int(args.worker[2]))
        return
    with tempfile.TemporaryDirectory(prefix="coder-import-lock-") as tmp:
        figures = run(Path(tmp), args.small, not args.no_reference)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
