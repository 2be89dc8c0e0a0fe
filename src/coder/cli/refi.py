"""REFI-QDA commands: ``refi-export`` (.qdpx), ``qdc-export`` (.qdc) and ``import-refi``.

Standard library only at module level (``coder --help`` stays fast); everything else is
imported inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coder.domain.limits import Limits


def _out(text: str) -> None:
    print(text, flush=True)


def _warn(warnings: Any) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr (on a terminal); yields a (label, done, total)
    callback (total 0: a step without a count, shown as a pulsing bar)."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _label, _done, _total: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(step: str, done: int, total: int) -> None:
            if total:
                bar.update(task, description=step, completed=done, total=total)
            else:
                bar.reset(task, description=step, total=None)

        yield advance


def cmd_refi_export(args: argparse.Namespace) -> None:
    """Export the project as a REFI-QDA project (.qdpx)."""
    from coder.cli.common import open_project
    from coder.refi.write.export import export_refi

    with open_project(args) as project, _progress("Exporting") as advance:
        result = export_refi(
            project,
            args.output,
            include_model=args.include_model,
            progress=lambda done, total: advance("Exporting", done, total),
            positions="utf16" if args.target == "nvivo" else args.positions,
        )
    _warn(result.warnings)
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _out(
        f"Wrote {result.path}: {result.sources} sources, {result.codes} codes, "
        f"{result.selections} selections with {result.codings} codings by {result.users} "
        f"users, {result.cases} cases, {result.variables} variables, {result.notes} notes"
    )


def cmd_qdc_export(args: argparse.Namespace) -> None:
    """Export the codebook as a REFI-QDA codebook (.qdc)."""
    from coder.cli.common import open_project
    from coder.refi.write.export import export_qdc

    with open_project(args) as project:
        result = export_qdc(project, args.output)
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _out(f"Wrote {result.path}: {result.codes} codes")


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a closed session) interrupts like Ctrl-C, so cleanup runs."""
    import signal

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _limits(given: list[str]) -> Limits:
    """``--limit NAME=VALUE`` options as reader limits (the defaults for the others)."""
    from coder.domain.limits import Limits
    from coder.errors import CoderError

    values: dict[str, int] = {}
    for item in given:
        name, _, value = item.partition("=")
        if not value.strip().isdigit():
            raise CoderError(f"--limit {item!r}: write NAME=NUMBER, e.g. refi_project_mb=512")
        values[name.strip()] = int(value)
    return Limits().with_values(values)


def cmd_import_refi(args: argparse.Namespace) -> None:
    """Make a new project from a .qdpx or .qdc file."""
    from coder.refi.load.project_import import import_refi
    from coder.refi.read.safe_zip import ZipLimits

    limits = ZipLimits.from_limits(_limits(args.limit))
    with _progress("Importing") as advance, _terminate_as_interrupt():
        result = import_refi(args.path, args.into, limits=limits, progress=advance)
    _warn(result.warnings)
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.positions != "code points":
        _out(f"Positions in {args.path.name} were read as {result.positions}.")
    coders = ", ".join(result.coders) or "none"
    _out(
        f"Created {result.folder}: {result.transcripts} transcripts, {result.codes} codes, "
        f"{result.codings} codings, {result.cases} cases, {result.ratings} ratings, "
        f"{result.memos} memos; coders: {coders}"
    )
    _out(f"Next: coder --project {result.folder} status")


def add_export_commands(group: Any) -> None:
    """``coder export refi`` and ``coder export qdc`` (called by the export plug-in)."""
    from coder.cli.common import add_command

    sub = add_command(
        group,
        "refi",
        cmd_refi_export,
        "REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
    )
    sub.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.qdpx")
    sub.add_argument(
        "--include-model",
        action="store_true",
        help="also export the model's suggestions (as the user 'model')",
    )
    sub.add_argument(
        "--positions",
        choices=("code-points", "utf16"),
        default="code-points",
        help="count selection positions in code points (the standard; QualCoder, ATLAS.ti, "
        "MAXQDA) or UTF-16 code units (NVivo: an emoji counts as two)",
    )
    sub.add_argument(
        "--target",
        choices=("nvivo",),
        help="the tool the file is for: nvivo means --positions utf16",
    )
    sub.add_argument("--json", action="store_true", help="print what was written as JSON")

    sub = add_command(group, "qdc", cmd_qdc_export, "the codebook as a REFI-QDA codebook (.qdc)")
    sub.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.qdc")
    sub.add_argument("--json", action="store_true", help="print what was written as JSON")


def register(commands: Any) -> None:
    """Add ``coder import-refi`` (the exports live under ``coder export``)."""
    from coder.cli.common import add_command

    sub = add_command(
        commands,
        "import-refi",
        cmd_import_refi,
        "make a new project from a REFI-QDA project (.qdpx) or codebook (.qdc)",
    )
    sub.add_argument("path", type=Path, help="the .qdpx or .qdc file")
    sub.add_argument(
        "--into",
        type=Path,
        metavar="DIR",
        help="folder for the new project; must not exist (default: ./<file name>)",
    )
    sub.add_argument("--json", action="store_true", help="print what was imported as JSON")
    sub.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="raise a size limit for this import, e.g. refi_project_mb=512 (docs/limits.md)",
    )
