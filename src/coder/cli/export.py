"""``coder export long|wide|cases|spss|stata|r``: files for statistics software.

A plug-in of ``coder.cli``: only the standard library is imported at module level, so
``coder --help`` stays fast; the work happens in ``coder.export.formats``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

FORMATS = (
    (
        "long",
        "CSV, one row per coding (transcript, excerpt, code, coder, origin, excerpt memo, ...)",
    ),
    (
        "wide",
        "CSV, one row per excerpt and coder, a 0/1 column per code, case attributes with "
        "their source",
    ),
    (
        "cases",
        "CSV, one row per case: attributes, one coder's (--coder NAME) or the consensus layer's "
        "(--consensus) ratings, per-code counts and presence",
    ),
    ("spss", "SPSS .sav with variable and value labels (--table wide|cases|long)"),
    ("stata", "Stata .dta with variable and value labels (--table wide|cases|long)"),
    ("r", "CSV plus an R script that reads it with labelled factors (--table ...)"),
)
"""Format names and help, as in ``coder.export.formats.FORMATS`` (a test checks they match)."""

TABLE_CHOICES = ("wide", "cases", "long")

SUFFIXES: Mapping[str, str] = MappingProxyType(
    {"long": ".csv", "wide": ".csv", "cases": ".csv", "spss": ".sav", "stata": ".dta", "r": ".csv"}
)
"""The suffix ``-o FILE`` must have, as in ``coder.export.formats.FORMATS`` (a test checks)."""

CSV_FORMATS = ("long", "wide", "cases", "r")
"""Formats whose data file is CSV: only these take ``--sep``, ``--decimal`` and ``--bom``."""


def add_selection_arguments(sub: argparse.ArgumentParser) -> None:
    """``--coder NAME`` (repeatable), ``--consensus``, ``--all-coders``, ``--lang``."""
    sub.add_argument(
        "--coder",
        action="append",
        metavar="NAME",
        help="only this coder's codings (repeat for several; default: every human coder)",
    )
    sub.add_argument("--consensus", action="store_true", help="the consensus (adjudicated) layer")
    sub.add_argument(
        "--all-coders",
        action="store_true",
        help="every coder, the model's suggestions and the consensus layer included",
    )
    sub.add_argument("--lang", help="label language (default: the codebook's first)")


def add_csv_arguments(sub: argparse.ArgumentParser) -> None:
    """``--sep``, ``--decimal`` and ``--bom`` for Excel in a Norwegian locale."""
    sub.add_argument(
        "--sep", default=",", help="CSV field separator, e.g. ';' for Excel in Norway (default ,)"
    )
    sub.add_argument(
        "--decimal",
        choices=(".", ","),
        help="decimal mark of numbers (default: ',' with --sep ';', else '.')",
    )
    sub.add_argument(
        "--bom", action="store_true", help="start CSV files with a UTF-8 byte-order mark (Excel)"
    )


def selection_from(args: argparse.Namespace) -> Any:
    """The ``CoderSelection`` the arguments ask for."""
    from coder.export.coder_selection import CoderSelection

    return CoderSelection(tuple(args.coder or ()), bool(args.consensus), bool(args.all_coders))


def cmd_export(args: argparse.Namespace) -> None:
    """Build the table and write it; all files or none."""
    import json

    from rich.console import Console

    from coder.cli.common import open_project
    from coder.export.formats import ExportOptions, export

    options = ExportOptions(
        table=getattr(args, "table", None),
        selection=selection_from(args),
        language=args.lang,
        sep=getattr(args, "sep", ","),
        bom=bool(getattr(args, "bom", False)),
        decimal=getattr(args, "decimal", None),
    )
    console = Console(stderr=True)
    with (
        open_project(args) as project,
        console.status(f"Exporting {args.export_format}", spinner="dots") as status,
    ):
        result = export(
            project,
            args.export_format,
            args.output,
            options,
            progress=lambda message: status.update(f"Exporting: {message}"),
        )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), flush=True)
        return
    data, *others = result.files
    print(
        f"Wrote {data}: {result.rows} rows x {result.columns} columns ({result.description})",
        flush=True,
    )
    for path in others:
        print(f"Wrote {path}", flush=True)


def register(commands: Any) -> None:
    """Add ``coder export`` and its formats."""
    from coder.cli.common import add_command, add_group

    group = add_group(commands, "export", "export codings for SPSS, Stata, R, Excel or pandas")
    for name, help_ in FORMATS:
        sub = add_command(group, name, cmd_export, help_)
        sub.set_defaults(export_format=name)
        sub.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            metavar="FILE",
            help=f"file to write (must end in {SUFFIXES[name]})",
        )
        if name in ("spss", "stata", "r"):
            sub.add_argument(
                "--table",
                choices=TABLE_CHOICES,
                default="wide",
                help="wide (excerpt x coder), cases (one row per case) or long (per coding)",
            )
        add_selection_arguments(sub)
        if name in CSV_FORMATS:
            add_csv_arguments(sub)
        sub.add_argument("--json", action="store_true", help="print what was written as JSON")
    from coder.cli.refi import add_export_commands

    add_export_commands(group)
