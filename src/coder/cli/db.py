"""``coder db``: the project database itself: upgrade its schema, copy it to another backend.

``coder db upgrade`` creates or migrates the schema of the project's database, SQLite or
PostgreSQL, with the one migration mechanism of ``coder.store``. ``coder db copy --to URL``
copies the project row for row into an empty database (``postgresql+psycopg://host/db`` or a
new SQLite file), with a progress bar. Standard library only at module level.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.cli.common import add_command, add_group, open_project, out

if TYPE_CHECKING:
    from coder.store.location import Location


def _location(args: argparse.Namespace) -> Location:
    """The project's database, from coder.toml and the environment (without opening it)."""
    from coder.project.config import load_settings
    from coder.project.discovery import find_project_root
    from coder.project.project import DB_FOLDER, DB_NAME
    from coder.store.location import Location

    root = find_project_root(explicit=args.project)
    return Location.of(root / DB_FOLDER / DB_NAME, load_settings(root).store.url)


def _target(text: str) -> Location:
    """``--to``: a database URL, or a path of a new SQLite file."""
    from coder.store.location import Location, parse

    if "://" not in text:
        return Location(Path(text).expanduser().resolve())
    url = parse(text, where="--to")
    if url.get_backend_name() == "sqlite":
        return Location(Path(str(url.database)).expanduser().resolve())
    return Location(Path(".coder") / "coder.db", url)


def cmd_upgrade(args: argparse.Namespace) -> None:
    """Create or migrate the project database's schema to this coder's version."""
    from coder.store.transfer import upgrade

    location = _location(args)
    before, after = upgrade(location)
    if before == after:
        out(f"{location}: the schema is up to date (version {after}).")
    elif before == 0:
        out(f"{location}: created the schema (version {after}).")
    else:
        out(f"{location}: upgraded the schema from version {before} to {after}.")


@contextmanager
def _bar() -> Iterator[Callable[[int, int], None]]:
    """A progress bar of rows copied, on stderr (on a terminal)."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _done, _total: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Copying rows", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def cmd_copy(args: argparse.Namespace) -> None:
    """Copy the project, row for row, into an empty database."""
    from coder.store.transfer import copy_project

    target = _target(args.to)
    with open_project(args) as project, _bar() as progress:
        result = copy_project(project.store, target, progress)
    out(f"Copied {result.total} rows to {result.target}:")
    out("  " + ", ".join(f"{name} {count}" for name, count in result.rows.items()))
    if target.url is not None:
        out(
            f'To work there: [store] url = "{result.target}" in coder.toml (or CODER_DATABASE_URL).'
        )
    else:
        out(f"To work there: remove [store] url from coder.toml and put {target.path} in .coder/.")


def _new_password() -> str | None:
    """The new role's password: asked for on a terminal, else CODER_ROLE_PASSWORD, else none."""
    import getpass
    import os
    import sys

    from coder.errors import CoderError

    given = os.environ.get("CODER_ROLE_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password for the new role (empty: none): ")
    if first and getpass.getpass("Again: ") != first:
        raise CoderError("the two passwords differ. Nothing was changed.")
    return first or None


def cmd_add_coder(args: argparse.Namespace) -> None:
    """Create a coder's database role with the grants and row-level security."""
    from coder.store.roles import add_coder

    with open_project(args) as project:
        role = add_coder(project.store, args.name, lead=args.lead, password=_new_password())
        where = project.store.where
    kind = "the lead role (reads every coder's work)" if args.lead else "their own rows only"
    out(f"{where}: role {role!r} can log in; {kind}.")
    out(f"They connect with user {role!r} in the URL (or PGUSER) and the password in ~/.pgpass.")


def register(commands: Any) -> None:
    """Add ``coder db`` and ``coder server`` and their subcommands."""
    server = add_group(commands, "server", "the PostgreSQL team server: coders' roles")
    sub = add_command(
        server, "add-coder", cmd_add_coder, "create a coder's role (row-level security: own rows)"
    )
    sub.add_argument("name", help="the coder's name, also their database role")
    sub.add_argument("--lead", action="store_true", help="the lead role: reads all coders' work")
    group = add_group(commands, "db", "the project database: upgrade its schema, copy it")
    add_command(
        group, "upgrade", cmd_upgrade, "create or migrate the schema (SQLite or PostgreSQL)"
    )
    sub = add_command(
        group, "copy", cmd_copy, "copy the project row for row into an empty database"
    )
    sub.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql+psycopg://[user@]host[:port]/dbname, or a new .db file",
    )
