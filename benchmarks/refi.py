"""Benchmark of the REFI-QDA export and import; prints one JSON object to stdout.

Builds a synthetic project (see ``synthetic.py``: transcripts, 3 coders, codings with a few
spans) in a temporary folder and measures, each against a reference measured in the same run:

- ``export``: ``export_refi`` (streamed project.qde + sources in a zip) against a plain dump of
  the same information: every coding joined to its excerpt, written as CSV into a zip with the
  transcript texts. ``ratio`` = export / dump.
- ``import``: ``import_refi`` of that export into a new project against importing the same
  transcripts with ``import_transcript`` into an empty project (the part any import must do).
  ``ratio`` = REFI import / transcript import.

It checks the round trip on the way: the import must store as many codings as were exported.
Progress goes to stderr. Usage::

    python benchmarks/refi.py            # 500 x 200 excerpts, 3 coders x 100k codings
    python benchmarks/refi.py --small    # 20 x 50 excerpts, 3 coders x 1,000 codings
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from synthetic import SyntheticSpec, import_transcripts, make_project

FULL = SyntheticSpec()
SMALL = SyntheticSpec(transcripts=20, excerpts_per_transcript=50, codings_per_coder=1_000)


def log(message: str) -> None:
    """Progress to stderr."""
    print(f"[refi-bench] {message}", file=sys.stderr, flush=True)


def dump_reference(project: Any, target: Path) -> int:
    """The reference export: codings joined to excerpts as CSV, texts as files, in a zip."""
    from sqlalchemy import func, select

    from coder.store.schema import coders, codings, excerpts, transcripts

    rows = 0
    with (
        project.store.engine.connect() as conn,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        out = io.StringIO()
        table = csv.writer(out)
        query = (
            select(
                excerpts.c.transcript_id,
                func.coalesce(codings.c.span_start, excerpts.c.start),
                func.coalesce(codings.c.span_end, excerpts.c.end),
                codings.c.code_id,
                coders.c.name,
                codings.c.created_at,
            )
            .join(excerpts, excerpts.c.id == codings.c.excerpt_id)
            .join(coders, coders.c.id == codings.c.coder_id)
            .order_by(excerpts.c.transcript_id, excerpts.c.start)
        )
        for row in conn.execute(query):
            table.writerow(row)
            rows += 1
        z.writestr("codings.csv", out.getvalue())
        for transcript_id, text in conn.execute(select(transcripts.c.id, transcripts.c.text)):
            z.writestr(f"sources/{transcript_id}.txt", text)
    return rows


def run(spec: SyntheticSpec, mode: str) -> dict[str, Any]:
    """Build, export, import; return the measurements."""
    from coder.project.init import init_project
    from coder.project.project import Project
    from coder.refi.load.project_import import import_refi
    from coder.refi.write.export import export_refi

    work = Path(tempfile.mkdtemp(prefix="refi-bench-"))
    try:
        log(f"building {spec.transcripts} x {spec.excerpts_per_transcript} excerpts")
        folder = make_project(
            work / "project",
            spec.transcripts,
            spec.excerpts_per_transcript,
            spec.coders,
            spec.codings_per_coder,
            progress=log,
        )
        with Project.open(folder) as project:
            log("export")
            started = time.perf_counter()
            result = export_refi(project, work / "project.qdpx")
            export_seconds = time.perf_counter() - started
            started = time.perf_counter()
            dumped = dump_reference(project, work / "dump.zip")
            dump_seconds = time.perf_counter() - started
        log("import")
        started = time.perf_counter()
        imported = import_refi(work / "project.qdpx", work / "imported")
        import_seconds = time.perf_counter() - started
        init_project(work / "plain")
        files = sorted((folder / "transcripts").glob("*.txt"))
        with Project.open(work / "plain") as plain:
            started = time.perf_counter()
            import_transcripts(plain, files)
            plain_seconds = time.perf_counter() - started
        if imported.codings != result.codings or dumped != result.codings:
            raise SystemExit(
                f"round trip lost codings: {result.codings} exported, {dumped} in the database, "
                f"{imported.codings} imported"
            )
        size = (work / "project.qdpx").stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "benchmark": "refi",
        "mode": mode,
        "python": platform.python_version(),
        "sizes": {
            "transcripts": result.sources,
            "excerpts": spec.transcripts * spec.excerpts_per_transcript,
            "coders": len(spec.coders),
            "codings": result.codings,
            "selections": result.selections,
        },
        "export": {
            "seconds": round(export_seconds, 3),
            "reference_seconds": round(dump_seconds, 3),
            "ratio": round(export_seconds / dump_seconds, 2),
            "codings_per_s": round(result.codings / export_seconds),
            "bytes": size,
        },
        "import": {
            "seconds": round(import_seconds, 3),
            "reference_seconds": round(plain_seconds, 3),
            "ratio": round(import_seconds / plain_seconds, 2),
            "codings": imported.codings,
            "codings_per_s": round(imported.codings / import_seconds),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="a quick run (20 x 50 excerpts)")
    args = parser.parse_args()
    spec, mode = (SMALL, "small") if args.small else (FULL, "full")
    print(json.dumps(run(spec, mode), indent=2))


if __name__ == "__main__":
    main()
