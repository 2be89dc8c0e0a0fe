"""``coder codebook add|edit|move|merge|split|retire|undo``: changing the codebook.

Thin wrappers over ``coder.project.codebook_editor.CodebookEditor``: each change is written back
to the YAML file (comments kept, version bumped) and, for merge and split, moves the codings in
the same transaction. ``--as NAME`` says who makes the change (default ``lead``); ``coder
codebook undo --as NAME`` takes that person's latest codebook change back.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coder.cli.common import add_command, open_project, out


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    """``LANG=TEXT`` options as a dict; CoderError naming the bad one."""
    from coder.errors import CoderError

    found: dict[str, str] = {}
    for value in values or []:
        lang, sep, text = value.partition("=")
        if not sep or not lang.strip() or not text.strip():
            raise CoderError(f"{what} {value!r}: expected LANG=TEXT, e.g. en='Bullying'")
        found[lang.strip()] = text
    return found


def _editor(args: argparse.Namespace) -> Any:
    from coder.project.codebook_editor import CodebookEditor

    return CodebookEditor(open_project(args), args.who)


def _done(editor: Any, message: str) -> None:
    book = editor.project.codebook
    out(f"{message}; {editor.project.settings.codebook} is now version {book.version}")
    editor.project.close()


def cmd_add(args: argparse.Namespace) -> None:
    """Add a code: its label in the codebook's first language, others with --label."""
    editor = _editor(args)
    labels = {editor.project.codebook.language: args.label} | _pairs(args.labels, "--label")
    code = editor.add(
        labels,
        code_id=args.id,
        parent=args.parent,
        description=args.description or "",
        hotkey=args.hotkey,
        auto_hotkey=not args.no_hotkey,
    )
    if code.hotkey:
        key = f" (hotkey {code.hotkey})"
    else:
        key = "" if args.no_hotkey else " (no free hotkey left)"
    _done(editor, f"added {code.id}{key}")


def cmd_edit(args: argparse.Namespace) -> None:
    """Change a code's labels and definition texts."""
    editor = _editor(args)
    texts = {
        name: value
        for name, value in (
            ("description", args.description),
            ("use_when", args.use_when),
            ("dont_use_when", args.dont_use_when),
        )
        if value is not None
    }
    editor.edit(args.code, labels=_pairs(args.labels, "--label"), texts=texts, language=args.lang)
    _done(editor, f"edited {args.code}")


def cmd_move(args: argparse.Namespace) -> None:
    """Give a code another parent, or make it a root."""
    from coder.errors import CoderError

    if (args.parent is None) == (not args.root):
        raise CoderError("give --parent CODE or --root")
    editor = _editor(args)
    editor.move(args.code, None if args.root else args.parent)
    _done(editor, f"moved {args.code} under {args.parent or '(the root)'}")


def cmd_merge(args: argparse.Namespace) -> None:
    """Merge one code (or a coder's proposed code) into another: its codings move."""
    from coder.store.code_proposals import list_proposals

    editor = _editor(args)
    proposed = [p for p in list_proposals(editor.project) if p.code_id == args.source]
    if proposed and not editor.project.codebook.has_code(args.source):
        from coder.project.code_proposals import merge

        moved = merge(editor.project, args.who, proposed[0].id, args.target)
        out(
            f"merged proposal {proposed[0].id} ({args.source}, by {proposed[0].coder}) into "
            f"{args.target} ({moved} coding(s) moved)"
        )
        editor.project.close()
        return
    moved = editor.merge(args.source, args.target)
    _done(editor, f"merged {args.source} into {args.target} ({moved} coding(s) moved)")


def cmd_proposals(args: argparse.Namespace) -> None:
    """List the codes a team's coders proposed (open ones; --all for every decision)."""
    from coder.store.code_proposals import list_proposals

    with open_project(args) as project:
        found = list_proposals(project, status=None if args.all else "open")
        if not found:
            out("no open code proposals" if not args.all else "no code proposals")
        for p in found:
            labels = ", ".join(f"{lang}: {text}" for lang, text in p.labels.items())
            decided = (
                "" if p.status == "open" else f" [{p.status}{' into ' + p.into if p.into else ''}]"
            )
            out(
                f"{p.id}  {p.code_id}  ({labels})  by {p.coder}, under {p.parent or '(top)'}, "
                f"{p.codings} coding(s){decided}"
            )
            if p.description:
                out(f"      {p.description}")


def cmd_accept(args: argparse.Namespace) -> None:
    """Accept a proposal: the code goes into the codebook with its id (codings stay)."""
    from coder.project.code_proposals import accept

    editor = _editor(args)
    code = accept(editor.project, args.who, args.proposal, args.parent)
    _done(editor, f"accepted proposal {args.proposal} as {code.id}")


def cmd_reject(args: argparse.Namespace) -> None:
    """Reject a proposal: its codings are removed (the event keeps them)."""
    from coder.project.code_proposals import reject

    with open_project(args) as project:
        removed = reject(project, args.who, args.proposal)
        out(f"rejected proposal {args.proposal} ({removed} coding(s) removed)")


def _assignments(path: Path, project: Any, source: str) -> dict[int, str]:
    """A CSV with ``excerpt``, ``code`` and optionally ``coder``: coding id -> code."""
    import csv

    from coder.errors import CoderError
    from coder.store.codebook_changes import codings_of_code

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CoderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    found = codings_of_code(project, source)
    chosen: dict[int, str] = {}
    for line, row in enumerate(rows, start=2):
        excerpt, code = (row.get("excerpt") or "").strip(), (row.get("code") or "").strip()
        if not excerpt.isdigit() or not code:
            raise CoderError(f"{path}:{line}: expected an excerpt id and a code")
        who = (row.get("coder") or "").strip()
        matches = [c for c in found if c.excerpt_id == int(excerpt) and (not who or c.coder == who)]
        if not matches:
            raise CoderError(f"{path}:{line}: no coding of {source} on excerpt {excerpt}")
        chosen.update({c.id: code for c in matches})
    return chosen


def cmd_split(args: argparse.Namespace) -> None:
    """Split a code into others: each coding goes where --assign says, the rest to --rest."""
    editor = _editor(args)
    assign = _assignments(args.assign, editor.project, args.code) if args.assign else None
    moved = editor.split(args.code, args.into, assign=assign, rest=args.rest)
    _done(editor, f"split {args.code} into {', '.join(args.into)} ({moved} coding(s) moved)")


def cmd_retire(args: argparse.Namespace) -> None:
    """Hide a code from coding; it and its codings stay for history."""
    editor = _editor(args)
    editor.retire(args.code)
    _done(editor, f"retired {args.code}")


def cmd_undo(args: argparse.Namespace) -> None:
    """Take back the latest codebook change of --as NAME (its codings and its file)."""
    from coder.errors import CoderError
    from coder.store.history import latest_kind, undo

    project = open_project(args)
    try:
        kind = latest_kind(project, args.who)
        if kind is None or not kind.startswith("codebook."):
            raise CoderError(
                f"{args.who}'s latest change is not a codebook change "
                f"({kind or 'there is none'}); nothing was undone"
            )
        step = undo(project, args.who)
        assert step is not None
        project.reload_codebook()
        out(f"{step.describe(True)}; the codebook is now version {project.codebook.version}")
    finally:
        project.close()


def register(inner: Any) -> None:
    """Add the changing subcommands to the ``codebook`` group's subparsers ``inner``."""

    def command(name: str, handler: Any, help_: str) -> argparse.ArgumentParser:
        sub = add_command(inner, name, handler, help_)
        sub.add_argument(
            "--as",
            dest="who",
            default="lead",
            metavar="NAME",
            help="who makes the change (their undo holds it; default: lead)",
        )
        return sub

    sub = command("add", cmd_add, "add a code (written to the YAML, version bumped)")
    sub.add_argument("label", help="the label in the codebook's first language")
    sub.add_argument(
        "--label",
        dest="labels",
        action="append",
        metavar="LANG=TEXT",
        help="a label in another language (repeatable)",
    )
    sub.add_argument("--id", help="the code id (default: made from the label)")
    sub.add_argument("--parent", metavar="CODE", help="the parent code")
    sub.add_argument("--description", help="what the code means")
    sub.add_argument("--hotkey", help="its key (default: the first free one)")
    sub.add_argument("--no-hotkey", action="store_true", help="give it no key")
    sub = command("edit", cmd_edit, "change a code's labels or definition texts")
    sub.add_argument("code")
    sub.add_argument(
        "--label",
        dest="labels",
        action="append",
        metavar="LANG=TEXT",
        help="a new label (repeatable)",
    )
    sub.add_argument("--description")
    sub.add_argument("--use-when", dest="use_when")
    sub.add_argument("--dont-use-when", dest="dont_use_when")
    sub.add_argument(
        "--lang", help="the language of the texts, where the file has one per language"
    )
    sub = command("move", cmd_move, "give a code another parent in the tree")
    sub.add_argument("code")
    sub.add_argument("--parent", metavar="CODE")
    sub.add_argument("--root", action="store_true", help="make it a top-level code")
    sub = command("merge", cmd_merge, "merge SOURCE into TARGET: codings move, SOURCE retires")
    sub.add_argument("source")
    sub.add_argument("target")
    sub = command("split", cmd_split, "split a code into others; its codings are distributed")
    sub.add_argument("code")
    sub.add_argument(
        "--into",
        action="append",
        required=True,
        metavar="CODE",
        help="a code to split into (repeatable; add new codes first)",
    )
    sub.add_argument(
        "--assign",
        type=Path,
        metavar="CSV",
        help="columns excerpt, code (and coder): where each coding goes",
    )
    sub.add_argument("--rest", metavar="CODE", help="where the codings not assigned go")
    sub = command("retire", cmd_retire, "hide a code from coding; kept with its codings")
    sub.add_argument("code")
    command("undo", cmd_undo, "take back your latest codebook change")
    sub = command("proposals", cmd_proposals, "codes a team's coders proposed, for the lead")
    sub.add_argument("--all", action="store_true", help="also the decided ones")
    sub = command("accept", cmd_accept, "accept a code proposal into the codebook")
    sub.add_argument("proposal", type=int, help="its number (coder codebook proposals)")
    sub.add_argument("--parent", metavar="CODE", help="another place in the tree")
    sub = command("reject", cmd_reject, "reject a code proposal (its codings are removed)")
    sub.add_argument("proposal", type=int, help="its number (coder codebook proposals)")
