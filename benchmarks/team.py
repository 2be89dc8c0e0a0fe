"""Benchmark: ``coder team merge`` of a 100k-coding return against ``coder codings import``.

Builds the synthetic 100k-excerpt project (``synthetic.py``; 3 coders x 100k codings), hands it
out to a fourth coder, ``dagny``, joins the hand-out, gives dagny 100,000 codings (about 5 % on
spans, 10 % accepted suggestions) with their reviewed marks and one ``coding.apply`` event per
coding, as the app would have written them, and writes her return. Then, each in a fresh process
on its own copy of the lead's project:

- ``merge``: ``merge_returns`` of the return (codings, reviews and 100k events, one transaction);
- ``import``: ``import_codings`` of the same codings as a CSV (transcript, start, end, code,
  coder, origin), as shipped (short batches that let coders in between), the reference;
- ``import-one``: the same import in one transaction (no pauses between batches), a second,
  stricter reference.

Prints JSON: seconds of each, the ratios merge / import (target <= 1.5), the peak resident memory
of each process and its resident memory before the work began, and the return's size. Usage::

    python benchmarks/team.py            # 500 x 200 excerpts, 100k codings
    python benchmarks/team.py --small    # 50 x 100 excerpts, 10k codings (~1 min)
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CODER = "dagny"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _rss_mb() -> float:
    """Peak resident memory since the last ``_reset_peak`` (Linux), else since the start."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start measuring the peak afresh (Linux: ``clear_refs`` 5 resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _add_events(copy: Any) -> int:
    """One ``coding.apply`` event per coding of dagny's (a fixture, as the app writes them)."""
    from sqlalchemy import select

    from coder.store.bulk import bulk_insert
    from coder.store.database import writer
    from coder.store.schema import codings, events, new_uid

    with writer(copy.store.engine).begin() as conn:
        rows = conn.execute(select(codings).order_by(codings.c.id)).all()
        payloads = (
            (
                row.coder_id,
                row.created_at,
                "coding.apply",
                True,
                json.dumps(
                    {
                        "excerpt": row.excerpt_id,
                        "code": row.code_id,
                        "origin": row.origin,
                        "span": None if row.span_start is None else [row.span_start, row.span_end],
                        "created_at": row.created_at,
                    }
                ),
                new_uid(),
            )
            for row in rows
        )
        names = ("coder_id", "at", "kind", "undoable", "payload", "uid")
        bulk_insert(conn, events, names, payloads)
    return len(rows)


def _write_csv(copy: Any, path: Path) -> int:
    """dagny's codings as a ``codings import`` CSV (a span's offsets, else the excerpt's)."""
    from coder.store.queries import find_codings

    rows = find_codings(copy, coder=CODER)
    bounds = {}
    for transcript in {row.transcript_id for row in rows}:
        from coder.store.queries import load_excerpts

        bounds.update({e.id: (e.start, e.end) for e in load_excerpts(copy, transcript)})
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["transcript", "start", "end", "code", "coder", "origin"])
        for row in rows:
            start, end = row.span or bounds[row.excerpt_id]
            out.writerow([row.transcript_id, start, end, row.code_id, CODER, row.origin])
    return len(rows)


def child(mode: str, root: Path, source: Path) -> None:
    """Run one measured step in this (fresh) process and print its figures."""
    from coder.project.project import Project

    with Project.open(root) as project:
        import gc

        gc.collect()
        _reset_peak()
        before = _rss_mb()
        began = time.perf_counter()
        if mode == "merge":
            from coder.team.merge import merge_returns

            merged = merge_returns(project, [source])
            written = merged[0].change.tables["codings"].added
        else:
            from coder.store.codings_import import BATCH_ROWS, import_codings

            batch = 10**9 if mode == "import-one" else BATCH_ROWS
            written = import_codings(project, source, batch_rows=batch).added
        seconds = time.perf_counter() - began
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_before_mb": before,
                "peak_rss_mb": _rss_mb(),
                "codings_written": written,
            }
        )
    )


def _measure(mode: str, lead: Path, work: Path, source: Path) -> dict[str, Any]:
    target = work / f"lead-{mode}"
    shutil.copytree(lead, target)
    _log(f"{mode} ...")
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(target), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--small", action="store_true", help="a quick run: 5k excerpts, 10k codings"
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("MODE", "PROJECT", "FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    from coder.project.project import Project
    from coder.team.handout import handout
    from coder.team.join import join
    from coder.team.team_return import write_return
    from synthetic import add_codings, make_project

    transcripts, per, codings = (50, 100, 10_000) if args.small else (500, 200, 100_000)
    with tempfile.TemporaryDirectory(prefix="coder-team-bench-") as scratch:
        work = Path(scratch)
        _log("making the synthetic project ...")
        lead = make_project(work / "lead", transcripts, per, codings_per_coder=codings)
        with Project.open(lead) as project:
            handout(project, CODER, work / "handout.coderpack")
        join(work / "handout.coderpack", work / "copy")
        with Project.open(work / "copy") as copy:
            _log(f"giving {CODER} {codings} codings ...")
            add_codings(copy, [CODER], codings, seed=7)
            events = _add_events(copy)
            write_return(copy, work / "return.coderpack")
            rows = _write_csv(copy, work / "codings.csv")
        merge = _measure("merge", lead, work, work / "return.coderpack")
        reference = _measure("import", lead, work, work / "codings.csv")
        one = _measure("import-one", lead, work, work / "codings.csv")
        result = {
            "benchmark": "team",
            "python": platform.python_version(),
            "excerpts": transcripts * per,
            "codings": rows,
            "events": events,
            "return_mb": round((work / "return.coderpack").stat().st_size / 2**20, 2),
            "merge": merge,
            "codings_import": reference,
            "codings_import_one_transaction": one,
            "ratio_merge_to_import": round(merge["seconds"] / reference["seconds"], 3),
            "ratio_merge_to_one_transaction_import": round(merge["seconds"] / one["seconds"], 3),
            "target_ratio": 1.5,
        }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
