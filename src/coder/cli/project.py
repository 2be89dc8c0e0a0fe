"""Project commands: ``init``, ``demo``, ``open``, ``excerpts``, ``status``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coder.cli.common import add_command, err, open_project, out, run_tui


def cmd_init(args: argparse.Namespace) -> None:
    """Create a new project; never overwrites an existing one."""
    from coder.project.init import init_project

    config = init_project(args.folder, codebook=args.codebook, language=args.language)
    out(f"Created {config}.")
    out(f"Next: put transcripts in {args.folder / 'transcripts'} and run `coder import`.")


def cmd_demo(args: argparse.Namespace) -> int:
    """Prepare the bundled demo project (fictional interviews) and open the coding app."""
    from coder.demo import prepare_demo

    folder = prepare_demo(reset=args.reset)
    err(f"Demo project: {folder} (fictional interviews, not research data)")
    if args.no_tui:
        from coder.project.project import Project
        from coder.store.queries import status

        with Project.open(folder) as project:
            print_status(status(project))
        return 0
    return run_tui(folder, args.coder)


def cmd_open(args: argparse.Namespace) -> int:
    """Open the coding app on a project."""
    return run_tui(args.folder or args.project, args.coder, lead=args.lead)


def cmd_excerpts(args: argparse.Namespace) -> None:
    """List a transcript's excerpts: the numbers and offsets `coder codings import` uses."""
    import csv

    from coder.store.queries import load_excerpts

    with open_project(args) as project:
        found = load_excerpts(project, args.transcript)
    fields = ("excerpt", "speaker", "role", "codable", "start", "end", "start_time", "end_time")
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([*fields, "text"])
        for e in found:
            times = (
                "" if e.start_time is None else e.start_time,
                "" if e.end_time is None else e.end_time,
            )
            writer.writerow(
                [
                    e.seq,
                    e.speaker or "",
                    e.role.value,
                    int(e.codable),
                    e.start,
                    e.end,
                    *times,
                    e.text,
                ]
            )
        return
    for e in found:
        mark = " " if e.codable else "·"
        text = " ".join(e.text.split())
        out(f"{e.seq:>5}{mark} {(e.speaker or '—')[:12]:<12} {e.start:>7}-{e.end:<7} {text[:60]}")
    out(f"{len(found)} excerpts; · = not codable (interviewer turn or header)")


def print_status(data: dict[str, Any]) -> None:
    """Human-readable ``coder status``."""
    out(f"Project: {data['project']}")
    out(
        f"{data['transcripts']} transcripts, {data['excerpts']} excerpts "
        f"({data['codable_excerpts']} codable), {data['cases']} cases"
    )
    if not data["coders"]:
        out("No coding yet.")
    for name, counts in data["coders"].items():
        out(
            f"  {name}: {counts['codings']} codings, {counts['reviewed']} excerpts reviewed, "
            f"{counts['ratings']} ratings"
        )


def _status_without_database(root: Path, *, as_json: bool) -> None:
    """``coder status`` in a project nothing was imported into: say how to start."""
    import json

    from coder.project.config import load_settings

    settings = load_settings(root)
    empty = {"transcripts": 0, "excerpts": 0, "codable_excerpts": 0, "cases": 0}
    data = {"project": settings.name, **empty, "coders": {}}
    if as_json:
        out(json.dumps(data, ensure_ascii=False, indent=2))
        return
    folder = root / settings.transcripts
    found = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    print_status(data)
    out(f"Nothing imported yet into {root} (no database). Import the transcripts:")
    out(f"  coder --project {root} import {folder}" + (f"   ({len(found)} files)" if found else ""))
    if (root / "cases.csv").is_file():
        out(f"  coder --project {root} cases import {root / 'cases.csv'}")
    out("then `coder open` to start coding (`coder demo` works on a copy of the demo instead).")


def cmd_status(args: argparse.Namespace) -> None:
    """Counts of transcripts, excerpts, cases, and each coder's codings and reviewed excerpts."""
    import json

    from coder.project.discovery import find_project_root
    from coder.project.project import has_database
    from coder.store.queries import status

    root = find_project_root(explicit=args.project)
    if not has_database(root):  # nothing imported: do not create a database
        return _status_without_database(root, as_json=args.json)
    with open_project(args) as project:
        data = status(project)
    if args.json:
        out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_status(data)


def register_setup(commands: Any) -> None:
    """Add ``init``, ``demo`` and ``open``."""
    sub = add_command(
        commands, "init", cmd_init, "create a new project; never overwrites an existing one"
    )
    sub.add_argument("folder", type=Path, help="folder for the new project")
    sub.add_argument(
        "--codebook", type=Path, help="codebook YAML to copy in (default: the review's)"
    )
    sub.add_argument(
        "--language",
        default="nb",
        help="transcript language: any spaCy has a tokenizer for (nb, nn, da, sv, de, en, ...)",
    )

    sub = add_command(commands, "demo", cmd_demo, "open the coding app on the bundled demo project")
    sub.add_argument(
        "--reset",
        action="store_true",
        help="start the demo over (your old copy is kept as demo.backup-TIME)",
    )
    sub.add_argument("--coder", help="your coder name (asked on first start otherwise)")
    sub.add_argument("--no-tui", action="store_true", help="prepare the demo and print its status")

    sub = add_command(
        commands, "open", cmd_open, "open the coding app (bare `coder` does this too)"
    )
    sub.add_argument("folder", type=Path, nargs="?", help="project folder (default: found upwards)")
    sub.add_argument("--coder", help="your coder name (asked on first start, then remembered)")
    sub.add_argument(
        "--lead",
        action="store_true",
        help="lead mode: adds the agreement screen, which shows every coder's work",
    )


def register_inspection(commands: Any) -> None:
    """Add ``excerpts`` and ``status``."""
    sub = add_command(
        commands, "excerpts", cmd_excerpts, "list a transcript's excerpt numbers and offsets"
    )
    sub.add_argument("transcript", help="transcript id")
    sub.add_argument("--format", choices=("table", "csv"), default="table", help="output format")

    sub = add_command(commands, "status", cmd_status, "counts per project and per coder")
    sub.add_argument("--json", action="store_true", help="print JSON (layout in the README)")
