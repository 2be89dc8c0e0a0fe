"""The command line's entry point: builds the parser from the command modules and runs one.

argparse (not Typer) keeps `coder --help` within the start-up budget of issue 2: the CLI must
start in a few times the bare interpreter's time. Every module of ``coder.cli`` imports only
the standard library at module level; heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coder.cli import (
    agreement,
    codebook,
    db,
    export,
    imports,
    privacy,
    project,
    refi,
    report,
    retrieve,
    serve,
    suggest,
    team,
)
from coder.cli.common import Handler, add_project_option, err, group_help, out


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(
        prog="coder",
        description="Code qualitative interviews from the keyboard: import, code, agree, export.",
    )
    add_project_option(parser, everywhere=True)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    project.register_setup(commands)
    imports.register_transcripts(commands)
    project.register_inspection(commands)
    codebook.register(commands)
    imports.register_tables(commands)
    for group in (agreement, export, refi, report, retrieve, suggest, serve, privacy, team, db):
        group.register(commands)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; CoderError becomes a message and exit code 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from coder import __version__

        out(f"coder {__version__}")
        return 0
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _bare(parser, args)
    if handler is group_help:
        return group_help(args)
    return run_handler(handler, args)


def _bare(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Bare ``coder``: open the app inside a project (in a terminal), else print help."""
    from coder.errors import CoderError
    from coder.project.discovery import find_project_root

    try:
        root = find_project_root(explicit=args.project)
    except CoderError as exc:
        out(f"No coder project found: {exc}.\n")
        parser.print_help()
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        parser.print_help()
        return 0
    args.folder, args.coder, args.lead = root, None, False
    return run_handler(project.cmd_open, args)


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command, turning CoderError into ``error: ...`` and its exit code."""
    from coder.errors import CoderError

    try:
        return handler(args) or 0
    except CoderError as exc:
        err(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except RecursionError:  # a safety net: readers turn deep nesting into CoderError first
        err("error: the input is nested too deeply to read (thousands of levels); nothing changed")
        return 1
    except BrokenPipeError:
        raise  # main() ends quietly when the reader (`| head`) went away
    except Exception as exc:  # never a traceback: it can carry interview text
        return report_crash(exc, args)


def report_crash(error: BaseException, args: argparse.Namespace) -> int:
    """Log an unexpected error privately and print one line saying where; exit code 70."""
    from coder.crash_log import CrashLog
    from coder.errors import CoderError
    from coder.project.discovery import find_project_root

    try:
        root: Path | None = find_project_root(explicit=getattr(args, "project", None))
    except (CoderError, OSError):
        root = None
    err(CrashLog.write(error, root).message())
    return 70


def main() -> None:
    """Console-script entry point."""
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader (`| head`) stopped reading: no traceback, and no second error on exit
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)
