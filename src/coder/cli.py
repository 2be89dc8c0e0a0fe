"""The command line: thin Typer commands over plain functions. Heavy imports stay inside."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coder.errors import CoderError

if TYPE_CHECKING:
    from coder.project.project import Project

app = typer.Typer(
    name="coder",
    help="Code qualitative interviews from the keyboard: import, code, agree, export.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
codebook_app = typer.Typer(help="Check and show the codebook.", no_args_is_help=True)
cases_app = typer.Typer(help="Case (participant) attributes.", no_args_is_help=True)
codings_app = typer.Typer(help="Codings in bulk.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")
app.add_typer(cases_app, name="cases")
app.add_typer(codings_app, name="codings")

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", "-p", help="Project folder (default: found upwards from here)."),
]


def _state(ctx: typer.Context) -> dict[str, Any]:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {}
    return root.obj  # type: ignore[no-any-return]


def _open(ctx: typer.Context, project: Path | None = None) -> Project:
    from coder.project.project import Project

    return Project.open(project or _state(ctx).get("project"))


def _echo(text: str = "", *, err: bool = False) -> None:
    typer.echo(text, err=err)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    project: ProjectOption = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        from coder import __version__

        _echo(f"coder {__version__}")
        raise typer.Exit()
    _state(ctx)["project"] = project
    if ctx.invoked_subcommand is None:
        _echo(ctx.get_help())


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the new project.")],
    codebook: Annotated[
        Path | None, typer.Option(help="Codebook YAML to copy in (default: the review's codebook).")
    ] = None,
    language: Annotated[str, typer.Option(help="Transcript language: nb or en.")] = "nb",
) -> None:
    """Create a new project; never overwrites an existing one."""
    from coder.project.init import init_project

    config = init_project(folder, codebook=codebook, language=language)
    _echo(f"Created {config}. Next: put transcripts in {folder / 'transcripts'} and run `coder import`.")


@app.command()
def demo(
    reset: Annotated[bool, typer.Option(help="Start the demo over from the bundled files.")] = False,
) -> None:
    """Prepare the bundled demo project (fictional interviews) and show its status."""
    from coder.demo import prepare_demo
    from coder.project.project import Project
    from coder.store.queries import status

    folder = prepare_demo(reset=reset)
    with Project.open(folder) as project:
        _print_status(status(project))
    _echo()
    _echo(f"Demo project: {folder}")
    _echo("The interviews are fictional, written to demonstrate coder; they are not research data.")
    _echo("The coding screen (TUI) is not built yet. Meanwhile try:")
    _echo(f"  coder --project {folder} codebook show")
    _echo(f"  coder --project {folder} status --json")


@codebook_app.command("check")
def codebook_check(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="Codebook YAML (default: the project's).")] = None,
) -> None:
    """Validate a codebook; exit 1 listing every problem."""
    from coder.codebook import load_codebook

    target = path or _project_codebook(ctx)
    codebook = load_codebook(target)
    codable = len(codebook.codable_codes)
    _echo(f"{target}: ok ({len(codebook.codes)} codes, {codable} codable, {len(codebook.attributes)} attributes)")


def _project_codebook(ctx: typer.Context) -> Path:
    from coder.project.config import load_settings
    from coder.project.discovery import find_project_root

    root = find_project_root(explicit=_state(ctx).get("project"))
    return root / load_settings(root).codebook


@codebook_app.command("show")
def codebook_show(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="Codebook YAML (default: the project's).")] = None,
    lang: Annotated[str | None, typer.Option(help="Label language (nb, en).")] = None,
) -> None:
    """Print the code tree with hotkeys, and the case attributes."""
    from coder.codebook import load_codebook
    from coder.codebook.render import tree_lines

    for line in tree_lines(load_codebook(path or _project_codebook(ctx)), lang):
        _echo(line)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or glob patterns.")],
    case: Annotated[str | None, typer.Option(help="Case (participant) id for these files.")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Transcript id (one file only).")] = None,
    replace: Annotated[bool, typer.Option(help="Re-import changed files, keeping codings on unchanged excerpts.")] = False,
    language: Annotated[str | None, typer.Option(help="Transcript language (default: guessed).")] = None,
) -> None:
    """Import transcripts (.txt .md .docx .odt .vtt .srt); importing a file twice is a no-op."""
    from rich.progress import Progress

    from coder.ingest import SUPPORTED_SUFFIXES
    from coder.store.importer import expand_paths, import_transcript

    files = expand_paths(paths, SUPPORTED_SUFFIXES)
    if id_ is not None and len(files) != 1:
        raise CoderError(f"--id names one transcript, but {len(files)} files were given")
    counts: dict[str, int] = {}
    with _open(ctx) as project, Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("Importing", total=len(files))
        for path in files:
            result = import_transcript(
                project, path, transcript_id=id_, case_id=case, replace=replace, language=language
            )
            counts[result.action] = counts.get(result.action, 0) + 1
            bar.advance(task)
            line = f"{result.action:>9}  {result.transcript_id}  ({result.excerpts} excerpts)  {path}"
            bar.console.print(line, markup=False, highlight=False) if sys.stderr.isatty() else _echo(line)
            for warning in result.warnings:
                _echo(f"  warning: {path}: {warning}", err=True)
            if result.action == "replaced":
                _echo(f"  kept {result.kept_codings} codings on unchanged excerpts")
                for item in result.dropped:
                    _echo(f"  dropped (excerpt text changed): {item}")
    _echo(", ".join(f"{count} {action}" for action, count in sorted(counts.items())))


@cases_app.command("import")
def cases_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with a 'case' column and one column per attribute.")],
) -> None:
    """Import case attributes (all rows or none)."""
    from coder.store.cases_import import import_cases

    with _open(ctx) as project:
        count = import_cases(project, path)
    _echo(f"Imported attributes of {count} cases from {path}")


@codings_app.command("import")
def codings_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Long CSV: transcript, excerpt (or start, end), code[, coder, origin, memo].")],
    coder: Annotated[str | None, typer.Option(help="Coder for rows without a coder column.")] = None,
) -> None:
    """Import codings (all rows or none); rows mark their excerpts reviewed."""
    from coder.store.codings_import import import_codings

    with _open(ctx) as project:
        result = import_codings(project, path, coder=coder)
    _echo(
        f"Read {result.rows} rows: {result.added} codings added, {result.reviewed} excerpts marked "
        f"reviewed, coders: {', '.join(result.coders)}"
    )


def _print_status(data: dict[str, Any]) -> None:
    _echo(f"Project: {data['project']}")
    _echo(
        f"{data['transcripts']} transcripts, {data['excerpts']} excerpts "
        f"({data['codable_excerpts']} codable), {data['cases']} cases"
    )
    if not data["coders"]:
        _echo("No coding yet.")
    for name, counts in data["coders"].items():
        _echo(f"  {name}: {counts['codings']} codings, {counts['reviewed']} excerpts reviewed, {counts['ratings']} ratings")


@app.command("status")
def status_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (layout in the README).")] = False,
) -> None:
    """Counts of transcripts, excerpts, cases, and each coder's codings and reviewed excerpts."""
    from coder.store.queries import status

    with _open(ctx) as project:
        data = status(project)
    if as_json:
        _echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_status(data)


def main() -> None:
    """Entry point: run the app, turning CoderError into a message and a non-zero exit."""
    try:
        app()
    except CoderError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
