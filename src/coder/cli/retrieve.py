"""``coder retrieve EXPR``: every segment coded with a code, or a boolean of codes.

``coder retrieve "risk.ses and not risk.family" -o ses.md`` writes the segments, each in its
context, for writing up (``.md`` or ``.docx``), or as CSV for analysis (``.csv``); without ``-o``
they are printed. Whose codings: every human coder by default, ``--coder NAME`` (repeatable),
``--consensus`` or ``--all-coders``, as in the exports. Only the standard library is imported
at module level; the work is ``coder.export.retrieval``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coder.cli.export import add_selection_arguments, selection_from


def cmd_retrieve(args: argparse.Namespace) -> None:
    """Retrieve the segments; write them to ``-o FILE`` or print them."""
    from coder.cli.common import open_project, out
    from coder.errors import CoderError
    from coder.export.case_filter import CaseFilter
    from coder.export.formats import label_language
    from coder.export.retrieval import retrieve
    from coder.export.retrieval_writers import retrieval_frame, retrieval_markdown, save_retrieval
    from coder.export.writers import check_separator

    sep = check_separator(args.sep)
    if args.context < 0:
        raise CoderError(f"--context {args.context}: give a number of excerpts, 0 or more")
    if args.output is None and args.format == "docx":
        raise CoderError("--format docx needs -o FILE.docx")
    expression = " ".join(args.expression)
    with open_project(args) as project:
        language = label_language(project, args.lang)
        where = CaseFilter.parse(args.where, project.codebook) if args.where else None
        found = retrieve(
            project,
            expression,
            selection_from(args),
            case=args.case,
            where=where,
            around=args.context,
        )
        book = project.codebook
    if args.output is not None:
        save_retrieval(
            found, book, args.output, args.format, language=language, sep=sep, bom=args.bom
        )
        out(f"Wrote {args.output}: {len(found.segments)} segments ({found.whose})")
    elif args.format == "csv":
        frame = retrieval_frame(found, book, language)
        sys.stdout.write(frame.to_csv(sep=sep, index=False, lineterminator="\n"))
        sys.stdout.flush()
    else:
        sys.stdout.write(retrieval_markdown(found, book, language))
        sys.stdout.flush()


def register(commands: Any) -> None:
    """Add ``coder retrieve``."""
    from coder.cli.common import add_command

    sub = add_command(
        commands,
        "retrieve",
        cmd_retrieve,
        "every segment coded with a code or a boolean of codes (A and B, A not B, A or B)",
    )
    sub.add_argument(
        "expression",
        nargs="+",
        metavar="EXPR",
        help="code ids or labels joined by and, or, not and brackets, e.g. 'risk.ses and not "
        "Mobbing' (a label holding an operator word goes in quotes)",
    )
    sub.add_argument(
        "--format",
        choices=("csv", "md", "docx"),
        help="file format (default: from the suffix of -o; printed as Markdown without -o)",
    )
    sub.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    sub.add_argument(
        "--context",
        type=int,
        default=1,
        metavar="N",
        help="excerpts of context before and after each segment (default 1)",
    )
    sub.add_argument("--case", help="only this case's segments")
    sub.add_argument(
        "--where",
        metavar="ATTRIBUTE=LEVEL",
        help="only cases with this attribute level, e.g. relational_robustness=trembling",
    )
    add_selection_arguments(sub)
    sub.add_argument("--sep", default=",", help="CSV field separator (default ,)")
    sub.add_argument("--bom", action="store_true", help="start a CSV file with a UTF-8 BOM")
