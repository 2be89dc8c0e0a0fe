"""The command line: thin argparse commands over plain functions.

argparse (not Typer) keeps `coder --help` within the start-up budget of issue 2: the CLI must
start in a few times the bare interpreter's time. Heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coder.project.project import Project

Handler = Callable[[argparse.Namespace], int | None]


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_project(args: argparse.Namespace) -> Project:
    """The project named by ``--project`` or found upwards from the current folder."""
    from coder.project.project import Project

    return Project.open(args.project)


def add_command(parent: Any, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
    """Add a (sub)command to ``parent`` (a subparsers action); plug-ins use this too."""
    sub: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
    sub.set_defaults(handler=handler, group_parser=sub)
    return sub


def add_group(parent: Any, name: str, help_: str) -> Any:
    """Add a command group (``coder export ...``); returns its subparsers action."""
    group = add_command(parent, name, _group_help, help_)
    return group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")


def _plugins() -> list[str]:
    """Names of the modules in ``coder.commands`` (listed, not imported: that happens once)."""
    folder = Path(__file__).resolve().parent / "commands"
    return sorted(
        f"coder.commands.{path.stem}"
        for path in folder.glob("*.py")
        if not path.stem.startswith("_")
    )


def _project_codebook(args: argparse.Namespace) -> Path:
    from coder.project.config import load_settings
    from coder.project.discovery import find_project_root

    root = find_project_root(explicit=args.project)
    return root / load_settings(root).codebook


def cmd_init(args: argparse.Namespace) -> None:
    """Create a new project; never overwrites an existing one."""
    from coder.project.init import init_project

    config = init_project(args.folder, codebook=args.codebook, language=args.language)
    _out(f"Created {config}.")
    _out(f"Next: put transcripts in {args.folder / 'transcripts'} and run `coder import`.")


def cmd_demo(args: argparse.Namespace) -> None:
    """Prepare the bundled demo project (fictional interviews) and open the coding app."""
    from coder.demo import prepare_demo

    folder = prepare_demo(reset=args.reset)
    _err(f"Demo project: {folder} (fictional interviews, not research data)")
    if args.no_tui:
        from coder.project.project import Project
        from coder.store.queries import status

        with Project.open(folder) as project:
            print_status(status(project))
        return
    run_tui(folder, args.coder)


def run_tui(folder: Path | None, coder: str | None, **options: bool) -> None:
    """Run the Textual app (needs a terminal)."""
    from coder.errors import CoderError

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CoderError("the coding app needs a terminal; use `coder status` for a summary")
    from coder.tui.app import make_app

    make_app(folder, coder=coder, **options).run()


def cmd_open(args: argparse.Namespace) -> None:
    """Open the coding app on a project."""
    run_tui(args.folder or args.project, args.coder, lead=args.lead)


def cmd_codebook_check(args: argparse.Namespace) -> None:
    """Validate a codebook; exit 1 listing every problem."""
    from coder.codebook import load_codebook

    target = args.path or _project_codebook(args)
    book = load_codebook(target)
    _out(
        f"{target}: ok ({len(book.codes)} codes, {len(book.codable_codes)} codable, "
        f"{len(book.attributes)} attributes)"
    )


def cmd_codebook_show(args: argparse.Namespace) -> None:
    """Print the code tree with hotkeys, and the case attributes."""
    from coder.codebook import load_codebook
    from coder.codebook.render import tree_lines

    for line in tree_lines(load_codebook(args.path or _project_codebook(args)), args.lang):
        _out(line)


def cmd_import(args: argparse.Namespace) -> None:
    """Import transcripts; importing a file twice is a no-op. All files or none."""
    from rich.console import Console
    from rich.progress import Progress

    from coder.errors import CoderError
    from coder.ingest import SUPPORTED_SUFFIXES
    from coder.store.importer import expand_paths, import_transcripts

    files = expand_paths(args.paths, SUPPORTED_SUFFIXES)
    if args.id is not None and len(files) != 1:
        raise CoderError(f"--id names one transcript, but {len(files)} files were given")
    console = Console(stderr=True)
    bar = Progress(console=console, transient=True, disable=not console.is_terminal)
    with open_project(args) as project, bar:
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
        _out(
            f"{result.action:>9}  {result.transcript_id}  ({result.excerpts} excerpts)  "
            f"{result.path}"
        )
        for note in result.notes:
            _out(f"  {note}")
        for warning in result.warnings:
            _err(f"warning: {result.path}: {warning}")
        wanted = args.id or Path(result.path).stem
        if result.action == "unchanged" and result.transcript_id != wanted:
            _out(
                f"  same content as transcript {result.transcript_id}, imported already; "
                f"nothing was added as {wanted!r}"
            )
        if result.action == "replaced":
            _out(f"  kept {result.kept_codings} codings on unchanged excerpts")
            for item in result.dropped:
                _out(f"  dropped (excerpt text changed): {item}")
    _out(", ".join(f"{count} {action}" for action, count in sorted(counts.items())))


def cmd_ratings_import(args: argparse.Namespace) -> None:
    """Import coders' case ratings (all rows or none)."""
    from coder.store.ratings_import import import_ratings

    with open_project(args) as project:
        result = import_ratings(project, args.path, coder=args.coder)
    _out(
        f"Read {result.rows} rows: {result.changed} ratings set or changed, "
        f"coders: {', '.join(result.coders) or 'none'}"
    )


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
        _out(f"{e.seq:>5}{mark} {(e.speaker or '—')[:12]:<12} {e.start:>7}-{e.end:<7} {text[:60]}")
    _out(f"{len(found)} excerpts; · = not codable (interviewer turn or header)")


def cmd_cases_import(args: argparse.Namespace) -> None:
    """Import case attributes (all rows or none)."""
    from coder.store.cases_import import import_cases

    with open_project(args) as project:
        count = import_cases(project, args.path)
    _out(f"Imported attributes of {count} cases from {args.path}")


def cmd_codings_import(args: argparse.Namespace) -> None:
    """Import codings (all rows or none); rows mark their excerpts reviewed."""
    from coder.store.codings_import import import_codings

    with open_project(args) as project:
        result = import_codings(project, args.path, coder=args.coder)
    _out(
        f"Read {result.rows} rows: {result.added} codings added, {result.reviewed} excerpts "
        f"marked reviewed, coders: {', '.join(result.coders)}"
    )


def print_status(data: dict[str, Any]) -> None:
    """Human-readable ``coder status``."""
    _out(f"Project: {data['project']}")
    _out(
        f"{data['transcripts']} transcripts, {data['excerpts']} excerpts "
        f"({data['codable_excerpts']} codable), {data['cases']} cases"
    )
    if not data["coders"]:
        _out("No coding yet.")
    for name, counts in data["coders"].items():
        _out(
            f"  {name}: {counts['codings']} codings, {counts['reviewed']} excerpts reviewed, "
            f"{counts['ratings']} ratings"
        )


def cmd_status(args: argparse.Namespace) -> None:
    """Counts of transcripts, excerpts, cases, and each coder's codings and reviewed excerpts."""
    import json

    from coder.store.queries import status

    with open_project(args) as project:
        data = status(project)
    if args.json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_status(data)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    parser = argparse.ArgumentParser(
        prog="coder",
        description="Code qualitative interviews from the keyboard: import, code, agree, export.",
    )
    parser.add_argument(
        "-p",
        "--project",
        type=Path,
        metavar="DIR",
        help="project folder (default: found upwards from the current folder)",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    add = add_command
    sub = add(commands, "init", cmd_init, "create a new project; never overwrites an existing one")
    sub.add_argument("folder", type=Path, help="folder for the new project")
    sub.add_argument(
        "--codebook", type=Path, help="codebook YAML to copy in (default: the review's)"
    )
    sub.add_argument("--language", choices=("nb", "en"), default="nb", help="transcript language")

    sub = add(commands, "demo", cmd_demo, "open the coding app on the bundled demo project")
    sub.add_argument(
        "--reset",
        action="store_true",
        help="start the demo over (your old copy is kept as demo.backup-TIME)",
    )
    sub.add_argument("--coder", help="your coder name (asked on first start otherwise)")
    sub.add_argument("--no-tui", action="store_true", help="prepare the demo and print its status")

    sub = add(commands, "open", cmd_open, "open the coding app (bare `coder` does this too)")
    sub.add_argument("folder", type=Path, nargs="?", help="project folder (default: found upwards)")
    sub.add_argument("--coder", help="your coder name (asked on first start, then remembered)")
    sub.add_argument(
        "--lead",
        action="store_true",
        help="lead mode: adds the agreement screen, which shows every coder's work",
    )

    sub = add(commands, "import", cmd_import, "import transcripts (.txt .md .docx .odt .vtt .srt)")
    sub.add_argument("paths", nargs="+", help="files, folders or glob patterns")
    sub.add_argument("--case", help="case (participant) id for these files")
    sub.add_argument("--id", help="transcript id (one file only; default: the file name)")
    sub.add_argument(
        "--replace",
        action="store_true",
        help="re-import changed files, keeping codings on unchanged excerpts",
    )
    sub.add_argument(
        "--language", choices=("nb", "en"), help="transcript language (default: guessed)"
    )

    sub = add(commands, "excerpts", cmd_excerpts, "list a transcript's excerpt numbers and offsets")
    sub.add_argument("transcript", help="transcript id")
    sub.add_argument("--format", choices=("table", "csv"), default="table", help="output format")

    sub = add(commands, "status", cmd_status, "counts per project and per coder")
    sub.add_argument("--json", action="store_true", help="print JSON (layout in the README)")

    group = add(commands, "codebook", _group_help, "check and show the codebook")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add(
        inner, "check", cmd_codebook_check, "validate a codebook; exit 1 listing every problem"
    )
    sub.add_argument("path", type=Path, nargs="?", help="codebook YAML (default: the project's)")
    sub = add(inner, "show", cmd_codebook_show, "print the code tree with hotkeys")
    sub.add_argument("path", type=Path, nargs="?", help="codebook YAML (default: the project's)")
    sub.add_argument("--lang", help="label language (nb, en)")

    group = add(commands, "cases", _group_help, "case (participant) attributes")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add(inner, "import", cmd_cases_import, "import cases.csv (a 'case' column + attributes)")
    sub.add_argument("path", type=Path, help="CSV file")

    group = add(commands, "ratings", _group_help, "coders' ratings of case attributes")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add(
        inner, "import", cmd_ratings_import, "import ratings: case, coder, one column per attribute"
    )
    sub.add_argument("path", type=Path, help="CSV file")
    sub.add_argument("--coder", help="coder for rows without a coder column")

    group = add(commands, "codings", _group_help, "codings in bulk")
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add(inner, "import", cmd_codings_import, "import long-format codings (all rows or none)")
    sub.add_argument(
        "path", type=Path, help="CSV: transcript, excerpt or start/end, code[, coder, origin, memo]"
    )
    sub.add_argument("--coder", help="coder for rows without a coder column")

    import importlib

    for name in _plugins():
        importlib.import_module(name).register(commands)
    return parser


def _group_help(args: argparse.Namespace) -> int:
    """A command group given without a subcommand: show its help, exit 2."""
    args.group_parser.print_help()
    return 2


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; CoderError becomes a message and exit code 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from coder import __version__

        _out(f"coder {__version__}")
        return 0
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return _bare(parser, args)
    if handler is _group_help:
        return _group_help(args)
    return run_handler(handler, args)


def _bare(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Bare ``coder``: open the app inside a project (in a terminal), else print help."""
    from coder.errors import CoderError
    from coder.project.discovery import find_project_root

    try:
        root = find_project_root(explicit=args.project)
    except CoderError:
        parser.print_help()
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        parser.print_help()
        return 0
    args.folder, args.coder, args.lead = root, None, False
    return run_handler(cmd_open, args)


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command, turning CoderError into ``error: ...`` and its exit code."""
    from coder.errors import CoderError

    try:
        return handler(args) or 0
    except CoderError as exc:
        _err(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


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
