"""``coder team``: hand out, join, return and merge coders' work without a shared server.

The lead: ``coder team handout NAME -o F.coderpack``; the coder: ``coder team join F DIR``,
code, then ``coder team return -o R.coderpack``; the lead: ``coder team merge R...``. With
``--passphrase`` (or ``CODER_TEAM_PASSPHRASE`` set) packs are encrypted and authenticated.
Standard library only at module level (``coder --help`` stays fast).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from coder.cli.common import add_command, add_group, open_project, out

ENV = "CODER_TEAM_PASSPHRASE"


def _passphrase(args: argparse.Namespace, *, writing: bool) -> str | None:
    """The passphrase: the environment's, else asked for with ``--passphrase``, else none."""
    import getpass

    from coder.errors import CoderError

    given = os.environ.get(ENV)
    if given:
        return given
    if not args.passphrase:
        return None
    if not sys.stdin.isatty():
        raise CoderError(
            f"--passphrase needs a terminal to ask, or set {ENV}. Nothing was written."
        )
    phrase = getpass.getpass("Passphrase: ")
    if writing and getpass.getpass("Again: ") != phrase:
        raise CoderError("the two passphrases differ. Nothing was written.")
    return phrase


def cmd_handout(args: argparse.Namespace) -> None:
    """Write one coder's hand-out."""
    from coder.team.handout import handout

    with open_project(args) as project:
        result = handout(project, args.name, args.output, _passphrase(args, writing=True))
    own = f", {result.own_codings} of their own codings" if result.own_codings else ""
    out(
        f"Wrote {result.path} for {result.coder}: {result.transcripts} transcripts, "
        f"{result.excerpts} excerpts{own}; no other coder's work."
    )
    out(f"Next, on their machine: coder team join {result.path.name} FOLDER")


def cmd_join(args: argparse.Namespace) -> None:
    """Open a hand-out as a new project folder."""
    from coder.team.join import join

    result = join(args.pack, args.folder, _passphrase(args, writing=False))
    out(
        f"Made {result.folder}: {result.coder}'s copy, {result.transcripts} transcripts"
        + (f", {result.own_codings} of their earlier codings" if result.own_codings else "")
    )
    out(f"Next: cd {result.folder} && coder   (code), then: coder team return -o FILE.coderpack")


def cmd_return(args: argparse.Namespace) -> None:
    """Write this copy's coder's work."""
    from coder.team.team_return import write_return

    with open_project(args) as project:
        result = write_return(project, args.output, _passphrase(args, writing=True))
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    out(f"Wrote {result.path}: {result.coder}'s work ({counts}).")
    out("Send it to your project lead; they run: coder team merge " + result.path.name)


def _render(merges: list[Any]) -> None:
    if not merges:
        out("Nothing merged.")
    for merge in merges:
        totals = merge.totals()
        events = merge.change.tables["events"]
        out(
            f"{merge.coder} ({merge.path.name}): {totals['added']} added, {totals['changed']} "
            f"changed, {totals['removed']} removed, {totals['unchanged']} unchanged; "
            f"{events.added} new events"
        )
        for name, table in merge.change.tables.items():
            if name != "events" and (table.added or table.changed or table.removed):
                counts = table.to_dict()
                out(f"  {name:<10} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
        for note in merge.notes:
            out(f"  note: {note}")


def cmd_merge(args: argparse.Namespace) -> None:
    """Merge coders' returns into this project."""
    from rich.console import Console
    from rich.progress import Progress

    from coder.team.merge import merge_returns

    console = Console(stderr=True)
    bar = Progress(console=console, transient=True, disable=not console.is_terminal)
    with open_project(args) as project, bar:
        task = bar.add_task("Merging", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        merges = merge_returns(project, args.packs, _passphrase(args, writing=False), progress)
    if args.json:
        out(json.dumps([m.to_dict() for m in merges], ensure_ascii=False, indent=2))
    else:
        _render(merges)


def _secret(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--passphrase",
        action="store_true",
        help=f"encrypt / decrypt with a passphrase (asked for, or from {ENV})",
    )


def register(commands: Any) -> None:
    """Add ``coder team`` and its subcommands."""
    group = add_group(commands, "team", "hand out to coders, take their work back, merge it")
    sub = add_command(
        group, "handout", cmd_handout, "write one coder's pack (blind: no one else's work)"
    )
    sub.add_argument("name", help="the coder's name")
    sub.add_argument("-o", "--output", type=Path, required=True, help="the .coderpack to write")
    _secret(sub)
    sub = add_command(group, "join", cmd_join, "open a hand-out as a new project folder")
    sub.add_argument("pack", type=Path, help="the .coderpack from the lead")
    sub.add_argument("folder", type=Path, help="the new project folder")
    _secret(sub)
    sub = add_command(group, "return", cmd_return, "write your work to send back to the lead")
    sub.add_argument("-o", "--output", type=Path, required=True, help="the .coderpack to write")
    _secret(sub)
    sub = add_command(group, "merge", cmd_merge, "merge coders' returns into this project")
    sub.add_argument("packs", type=Path, nargs="+", help="returned .coderpack files")
    _secret(sub)
    sub.add_argument("--json", action="store_true", help="print the summary as JSON")
