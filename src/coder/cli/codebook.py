"""``coder codebook check`` and ``coder codebook show``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coder.cli.common import add_command, group_help, out


def _project_codebook(args: argparse.Namespace) -> Path:
    from coder.project.config import load_settings
    from coder.project.discovery import find_project_root

    root = find_project_root(explicit=args.project)
    return root / load_settings(root).codebook


def _is_project_codebook(args: argparse.Namespace, path: Path) -> bool:
    from coder.errors import CoderError

    try:
        return _project_codebook(args).resolve() == path.resolve()
    except CoderError:
        return False


def _check_stored_codings(args: argparse.Namespace, book: Any) -> None:
    """The project's codebook against its database: codings of a deleted code are refused."""
    from coder.project.discovery import find_project_root
    from coder.project.project import check_stored_codings

    root = find_project_root(explicit=args.project)
    check_stored_codings(root, book, str(_project_codebook(args)))


def cmd_codebook_check(args: argparse.Namespace) -> None:
    """Validate a codebook; exit 1 listing every problem. Labels that several codes share
    are warned about (on stderr): the codebook is valid, but tools that know codes by name
    cannot tell them apart."""
    import sys

    from coder.codebook import load_codebook
    from coder.codebook.unique_labels import duplicate_label_warnings

    target = args.path or _project_codebook(args)
    book = load_codebook(target)
    if args.path is None or _is_project_codebook(args, args.path):
        _check_stored_codings(args, book)
    for warning in duplicate_label_warnings(book):
        print(f"warning: {target}: {warning}", file=sys.stderr, flush=True)
    out(
        f"{target}: ok ({len(book.codes)} codes, {len(book.codable_codes)} codable, "
        f"{len(book.attributes)} attributes)"
    )


def cmd_codebook_show(args: argparse.Namespace) -> None:
    """Print the code tree with hotkeys, and the case attributes."""
    from coder.codebook import load_codebook
    from coder.codebook.render import tree_lines

    language = args.lang or _project_language(args)
    book = load_codebook(args.path or _project_codebook(args))
    for line in tree_lines(book, language, definitions=args.definitions):
        out(line)


def _project_language(args: argparse.Namespace) -> str | None:
    """The project's language (coder.toml), when there is a project; else None."""
    from coder.errors import CoderError
    from coder.project.config import load_settings
    from coder.project.discovery import find_project_root

    try:
        return load_settings(find_project_root(explicit=args.project)).language
    except CoderError:
        return None


def _load_version(spec: str) -> Any:
    """A codebook from a file, or from git history as ``REV:PATH`` (``HEAD~1:codebooks/x.yaml``)."""
    import subprocess

    from coder.codebook import load_codebook, parse_codebook
    from coder.errors import CoderError

    path = Path(spec)
    if path.is_file() or ":" not in spec:
        return load_codebook(path)
    if spec.startswith("-"):
        raise CoderError(f"{spec}: expected a file or REV:PATH")
    try:
        shown = subprocess.run(["git", "show", spec], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CoderError(f"{spec}: cannot run git: {exc}") from None
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CoderError(f"{spec}: not a file, and git cannot show it: {' '.join(reason[-1:])}")
    return parse_codebook(shown.stdout, spec)


def cmd_codebook_diff(args: argparse.Namespace) -> None:
    """List codes added, removed, renamed, moved, merged, split, retired and changed definitions."""
    import json

    from coder.codebook import diff

    new = args.new or str(_project_codebook(args))
    result = diff(_load_version(args.old), _load_version(new))
    if args.json:
        out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in result.lines():
        out(line)


def register(commands: Any) -> None:
    """Add the ``codebook`` group: ``check``, ``show``, ``diff`` and the changes."""
    from coder.cli import codebook_edit

    group = add_command(
        commands, "codebook", group_help, "check, show, diff and change the codebook"
    )
    inner = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    sub = add_command(
        inner, "check", cmd_codebook_check, "validate a codebook; exit 1 listing every problem"
    )
    sub.add_argument("path", type=Path, nargs="?", help="codebook YAML (default: the project's)")
    sub = add_command(inner, "show", cmd_codebook_show, "print the code tree with hotkeys")
    sub.add_argument("path", type=Path, nargs="?", help="codebook YAML (default: the project's)")
    sub.add_argument("--lang", help="language (nb, en; default: the project's)")
    sub.add_argument(
        "--definitions",
        action="store_true",
        help="also each code's description, use when, don't use when, and level definitions",
    )
    sub = add_command(
        inner, "diff", cmd_codebook_diff, "what changed between two versions of a codebook"
    )
    sub.add_argument("old", help="a codebook file, or REV:PATH from git (HEAD~1:codebooks/x.yaml)")
    sub.add_argument("new", nargs="?", help="the same (default: the project's codebook)")
    sub.add_argument("--json", action="store_true", help="print the differences as JSON")
    codebook_edit.register(inner)
