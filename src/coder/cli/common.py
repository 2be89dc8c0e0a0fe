"""What every command module shares: output, the project of ``--project``, adding commands.

Only the standard library is imported at module level (heavy imports go inside the functions),
so `coder --help` stays within its start-up budget.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coder.project.project import Project

Handler = Callable[[argparse.Namespace], int | None]


def out(text: str = "") -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_project(args: argparse.Namespace) -> Project:
    """The project named by ``--project`` or found upwards from the current folder."""
    from coder.project.project import Project

    return Project.open(args.project)


def add_command(parent: Any, name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
    """Add a (sub)command to ``parent`` (a subparsers action); plug-ins use this too."""
    sub: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
    sub.set_defaults(handler=handler, group_parser=sub)
    add_project_option(sub)
    return sub


def add_project_option(parser: argparse.ArgumentParser, *, everywhere: bool = False) -> None:
    """``-p/--project DIR``: before the command (``everywhere``) or after it, as users type it.

    After the command it has no default, so it never hides one given before the command.
    """
    parser.add_argument(
        "-p",
        "--project",
        type=Path,
        metavar="DIR",
        default=None if everywhere else argparse.SUPPRESS,
        help="project folder (default: found upwards from the current folder)",
    )


def add_group(parent: Any, name: str, help_: str) -> Any:
    """Add a command group (``coder export ...``); returns its subparsers action."""
    group = add_command(parent, name, group_help, help_)
    return group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")


def group_help(args: argparse.Namespace) -> int:
    """A command group given without a subcommand: show its help, exit 2."""
    args.group_parser.print_help()
    return 2


def run_tui(folder: Path | None, coder: str | None, **options: bool) -> int:
    """Run the Textual app (needs a terminal); its exit code (1 after an unexpected error)."""
    from coder.errors import CoderError

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CoderError("the coding app needs a terminal; use `coder status` for a summary")
    from coder.tui.app import make_app

    app = make_app(folder, coder=coder, **options)
    app.run()
    return app.return_code or 0
