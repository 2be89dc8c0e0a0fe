"""``coder agree``: inter-coder agreement per code, transcript and case attribute.

Standard library only at module level: numpy, rich and the store load inside the handler.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _positive_or_zero(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1, e.g. 0.95")
    return value


def cmd_agree(args: argparse.Namespace) -> int:
    """Compute and print the agreement report."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    from coder.agreement.comparison_scope import parse_list
    from coder.agreement.model_report import model_report, render_model_table
    from coder.agreement.render import render_csv, render_json, render_table
    from coder.agreement.report import agreement_report
    from coder.cli.common import open_project
    from coder.errors import CoderError

    coders = parse_list(args.coders)
    codes = parse_list(args.codes)
    if args.tui:
        from coder.cli.common import run_tui

        return run_tui(args.project, None, agreement=True)
    if codes is not None and args.level == "case":
        raise CoderError("--codes applies to --level excerpt; case attributes are all compared")
    if args.codebook_version is not None and args.level == "case":
        raise CoderError("--codebook-version applies to --level excerpt (codings), not ratings")
    errors = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,  # no progress noise in pipes and logs
    )
    with open_project(args) as project, bar:
        task = bar.add_task("agreement", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        report = agreement_report(
            project,
            level=args.level,
            coders=coders,
            codes=codes,
            bootstrap=args.bootstrap,
            seed=args.seed,
            confidence=args.confidence,
            progress=progress,
            codebook_version=args.codebook_version,
        )
        measured = model_report(project) if args.level == "excerpt" else None
    if args.format == "json":
        if measured is None:
            sys.stdout.write(render_json(report) + "\n")
        else:
            document = {**report.to_dict(), "model": measured.to_dict()}
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        sys.stdout.write(render_csv(report))
    else:
        console = Console()
        if not console.is_terminal:  # a pipe or file: do not squeeze the table to 80 columns
            console = Console(width=160)
        render_table(report, console)
        if measured is not None:
            render_model_table(measured, console)
    sys.stdout.flush()
    return 0


def register(commands: Any) -> None:
    """Add ``coder agree`` to the command tree."""
    from coder.cli.common import add_command

    sub = add_command(
        commands,
        "agree",
        cmd_agree,
        "inter-coder agreement per code, transcript and case attribute",
    )
    sub.add_argument(
        "--coders",
        metavar="A,B,...",
        help="coders to compare (default: every human coder with work at this level; "
        "'model' and 'consensus' only when named)",
    )
    sub.add_argument(
        "--codes", metavar="ID,...", help="codes to compare (default: every codable code)"
    )
    sub.add_argument(
        "--codebook-version",
        metavar="V",
        help="compare only codings made under this codebook version (excerpts coded under "
        "another are left out, and the report says so)",
    )
    sub.add_argument(
        "--tui",
        action="store_true",
        help="open the agreement screen: per-code table, disagreement walk-through, consensus",
    )
    sub.add_argument(
        "--level",
        choices=("excerpt", "case"),
        default="excerpt",
        help="unit: excerpts (codes) or cases (case attribute ratings); default excerpt",
    )
    sub.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="output format (JSON layout: docs/agreement.md); default table",
    )
    sub.add_argument(
        "--bootstrap",
        type=_positive_or_zero,
        default=1000,
        metavar="N",
        help="bootstrap replicates for confidence intervals (0: none); default 1000",
    )
    sub.add_argument("--seed", type=int, default=0, help="bootstrap random seed; default 0")
    sub.add_argument(
        "--confidence",
        type=_confidence,
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the intervals; default 0.95",
    )
