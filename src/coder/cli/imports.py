"""Bringing data in: ``import`` (transcripts) and ``cases``/``ratings``/``codings import``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coder.cli.common import add_command, err, group_help, open_project, out


def cmd_import(args: argparse.Namespace) -> None:
    """Import transcripts; importing a file twice is a no-op. All files or none."""
    from rich.console import Console
    from rich.progress import Progress

    from coder.domain.label_pattern import pattern_warnings
    from coder.errors import CoderError
    from coder.ingest import SUPPORTED_SUFFIXES
    from coder.store.importer import expand_paths, import_transcripts

    if args.language is not None:
        from coder.domain.language import check_language

        try:
            check_language(args.language)
        except ValueError as exc:
            raise CoderError(f"--language: {exc}; nothing was imported") from None
    files = expand_paths(args.paths, SUPPORTED_SUFFIXES)
    if args.id is not None and len(files) != 1:
        raise CoderError(f"--id names one transcript, but {len(files)} files were given")
    console = Console(stderr=True)
    bar = Progress(console=console, transient=True, disable=not console.is_terminal)
    with open_project(args) as project, bar:
        rules = project.settings.speakers
        for warning in pattern_warnings(rules.interviewer, rules.participant):
            err(f"warning: {project.root / 'coder.toml'}: {warning}")
        task = bar.add_task("Reading", total=len(files))
        results = import_transcripts(
            project,
            files,
            transcript_id=args.id,
            case_id=args.case,
            replace=args.replace,
            language=args.language,
            progress=lambda _path: bar.advance(task),
        )
    counts: dict[str, int] = {}
    for result in results:
        counts[result.action] = counts.get(result.action, 0) + 1
        out(
            f"{result.action:>9}  {result.transcript_id}  ({result.excerpts} excerpts)  "
            f"{result.path}"
        )
        for note in result.notes:
            out(f"  {note}")
        for warning in result.warnings:
            err(f"warning: {result.path}: {warning}")
        wanted = args.id or Path(result.path).stem
        if result.action == "unchanged" and result.transcript_id != wanted:
            out(
                f"  same content as transcript {result.transcript_id}, imported already; "
                f"nothing was added as {wanted!r}"
            )
        if result.action == "replaced":
            out(f"  kept {result.kept_codings} codings on unchanged excerpts")
            for item in result.dropped:
                out(f"  dropped (excerpt text changed): {item}")
    out(", ".join(f"{count} {action}" for action, count in sorted(counts.items())))


def cmd_ratings_import(args: argparse.Namespace) -> None:
    """Import coders' case ratings (all rows or none)."""
    from coder.store.ratings_import import import_ratings

    with open_project(args) as project:
        result = import_ratings(project, args.path, coder=args.coder)
    out(
        f"Read {result.rows} rows: {result.changed} ratings set or changed, "
        f"coders: {', '.join(result.coders) or 'none'}"
    )


def cmd_cases_import(args: argparse.Namespace) -> None:
    """Import case attributes (all rows or none)."""
    from coder.store.cases_import import import_cases

    with open_project(args) as project:
        count = import_cases(project, args.path)
    out(f"Imported attributes of {count} cases from {args.path}")


def cmd_codings_import(args: argparse.Namespace) -> None:
    """Import codings (all rows or none); rows mark their excerpts reviewed."""
    from coder.project.live_session import LiveSession
    from coder.store.codings_import import import_codings

    with open_project(args) as project:
        result = import_codings(project, args.path, coder=args.coder)
    out(
        f"Read {result.rows} rows: {result.added} codings added, {result.reviewed} excerpts "
        f"marked reviewed, coders: {', '.join(result.coders)}"
    )
    for name in result.coders:
        live = LiveSession.find(project.root, name)
        if live is not None:
            err(
                f"warning: {name} has the coding app open ({live.describe()}); it shows "
                "these codings once the transcript is reopened, and never undoes them"
            )


def register_transcripts(commands: Any) -> None:
    """Add ``import`` (transcripts)."""
    sub = add_command(
        commands, "import", cmd_import, "import transcripts (.txt .md .docx .odt .vtt .srt)"
    )
    sub.add_argument("paths", nargs="+", help="files, folders or glob patterns")
    sub.add_argument("--case", help="case (participant) id for these files")
    sub.add_argument("--id", help="transcript id (one file only; default: the file name)")
    sub.add_argument(
        "--replace",
        action="store_true",
        help="re-import changed files, keeping codings on unchanged excerpts",
    )
    sub.add_argument(
        "--language",
        help="transcript language, e.g. nb, nn, da, sv, en (default: guessed, else the project's)",
    )


def register_tables(commands: Any) -> None:
    """Add the ``cases``, ``ratings`` and ``codings`` groups, each with its ``import``."""
    group = add_command(commands, "cases", group_help, "case (participant) attributes")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add_command(
        inner, "import", cmd_cases_import, "import cases.csv (a 'case' column + attributes)"
    )
    sub.add_argument("path", type=Path, help="CSV file")

    group = add_command(commands, "ratings", group_help, "coders' ratings of case attributes")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add_command(
        inner, "import", cmd_ratings_import, "import ratings: case, coder, one column per attribute"
    )
    sub.add_argument("path", type=Path, help="CSV file")
    sub.add_argument("--coder", help="coder for rows without a coder column")

    group = add_command(commands, "codings", group_help, "codings in bulk")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add_command(
        inner, "import", cmd_codings_import, "import long-format codings (all rows or none)"
    )
    sub.add_argument(
        "path", type=Path, help="CSV: transcript, excerpt or start/end, code[, coder, origin, memo]"
    )
    sub.add_argument("--coder", help="coder for rows without a coder column")
