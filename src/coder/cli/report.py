"""``coder report frequencies|cooccurrence|crosstab|matrix``: tables on the terminal, CSV, .xlsx.

A plug-in of ``coder.cli``: only the standard library (and the stdlib-only export plug-in) is
imported at module level; the numbers come from ``coder.export.reports`` (the case x code matrix
from ``coder.export.case_matrix``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coder.cli.export import add_csv_arguments, add_selection_arguments, selection_from

REPORTS = (
    ("frequencies", "code counts by coder (excerpts coded)"),
    ("cooccurrence", "code x code co-occurrence on excerpts"),
    ("crosstab", "codes by a case attribute (default: relational_robustness)"),
    ("matrix", "case x code matrix: cases as rows, codes as columns (--by ATTR), CSV or .xlsx"),
)
"""Report names and help, as in ``coder.export.reports.REPORTS``."""


def _table(report: Any) -> Any:
    """A Rich table of the report's frame, numbers right-aligned."""
    from rich.table import Table

    frame = report.frame
    caption = "\n".join(report.notes) or None
    table = Table(title=report.title, caption=caption, show_lines=False)
    numeric = [frame[column].dtype.kind in "iuf" for column in frame.columns]
    for column, is_number in zip(frame.columns, numeric, strict=True):
        table.add_column(str(column), justify="right" if is_number else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if value is None else str(value) for value in row))
    return table


def cmd_matrix(args: argparse.Namespace) -> None:
    """The case x code matrix: a table, CSV on stdout, or ``-o FILE`` (.csv or .xlsx)."""
    from rich.console import Console

    from coder.cli.common import open_project
    from coder.export.case_filter import CaseFilter
    from coder.export.case_matrix import case_matrix
    from coder.export.matrix_writer import save_matrix
    from coder.export.writers import check_decimal, check_separator

    sep = check_separator(args.sep)
    decimal = check_decimal(args.decimal, sep)
    if args.output is not None and args.output.suffix.lower() == ".xlsx" and args.decimal:
        from coder.errors import CoderError

        raise CoderError("--sep, --bom and --decimal are for CSV, not .xlsx")
    with open_project(args) as project:
        where = CaseFilter.parse(args.where, project.codebook) if args.where else None
        matrix = case_matrix(
            project,
            selection_from(args),
            measure=args.measure,
            by=args.by,
            where=where,
            language=args.lang,
            all_codes=args.all_codes,
        )
    if args.output is not None:
        save_matrix(matrix, args.output, sep=sep, bom=args.bom, decimal=decimal)
        print(f"Wrote {args.output}: {len(matrix.frame)} rows ({matrix.title})", flush=True)
        for note in matrix.notes:
            print(note, flush=True)
    elif args.format == "csv":
        sys.stdout.write(
            matrix.frame.to_csv(sep=sep, decimal=decimal, index=False, lineterminator="\n")
        )
        sys.stdout.flush()
        for note in (matrix.title, *matrix.notes):  # on stderr: stdout stays pure CSV
            print(note, file=sys.stderr, flush=True)
    else:
        Console().print(_table(matrix))


def cmd_report(args: argparse.Namespace) -> None:
    """Compute a report; print it as a table or CSV, or write CSV to ``-o FILE``."""
    from rich.console import Console

    from coder.cli.common import open_project
    from coder.export.reports import build_report, save_report
    from coder.export.writers import check_decimal, check_separator

    sep = check_separator(args.sep)
    decimal = check_decimal(args.decimal, sep)
    with open_project(args) as project:
        report = build_report(
            project,
            args.report_name,
            selection=selection_from(args),
            language=args.lang,
            by=getattr(args, "by", None),
        )
    if args.output is not None:
        save_report(report, args.output, sep=sep, bom=args.bom, decimal=decimal)
        print(f"Wrote {args.output}: {len(report.frame)} rows ({report.title})", flush=True)
        for note in report.notes:
            print(note, flush=True)
    elif args.format == "csv":
        sys.stdout.write(
            report.frame.to_csv(sep=sep, decimal=decimal, index=False, lineterminator="\n")
        )
        sys.stdout.flush()
        if report.notes:  # on stderr: stdout stays pure CSV
            for note in (report.title, *report.notes):
                print(note, file=sys.stderr, flush=True)
    else:
        Console().print(_table(report))


def register(commands: Any) -> None:
    """Add ``coder report`` and its reports."""
    from coder.cli.common import add_command, add_group

    group = add_group(commands, "report", "code frequencies, co-occurrence and crosstabs")
    for name, help_ in REPORTS:
        sub = add_command(group, name, cmd_matrix if name == "matrix" else cmd_report, help_)
        sub.set_defaults(report_name=name)
        if name == "matrix":
            sub.add_argument(
                "--by",
                metavar="ATTRIBUTE",
                help="group the cases by a case attribute's levels, e.g. relational_robustness",
            )
            sub.add_argument(
                "--where",
                metavar="ATTRIBUTE=LEVEL",
                help="only cases with this attribute level, e.g. relational_robustness=trembling",
            )
            sub.add_argument(
                "--measure",
                choices=("count", "presence"),
                default="count",
                help="cells count the units coded (default) or say 1 if any is",
            )
            sub.add_argument(
                "--all-codes", action="store_true", help="a column for every code, used or not"
            )
        if name == "crosstab":
            sub.add_argument(
                "--by",
                default="relational_robustness",
                metavar="ATTRIBUTE",
                help="case attribute to split by (default: relational_robustness)",
            )
        sub.add_argument(
            "--format",
            choices=("table", "csv"),
            default="table",
            help="print a table (default) or CSV",
        )
        sub.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="write .csv or .xlsx to FILE instead" if name == "matrix" else "write CSV to FILE",
        )
        add_selection_arguments(sub)
        add_csv_arguments(sub)
