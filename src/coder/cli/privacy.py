"""``coder privacy``: scan for identifying words, review them, apply the key, check for leaks.

The key's path comes from coder.toml ``[privacy] key`` or ``CODER_PRIVACY_KEY`` (outside the
project); its passphrase from ``CODER_PRIVACY_PASSPHRASE`` or a prompt. Standard library only at
module level (``coder --help`` stays fast).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.cli.common import add_command, add_group, open_project, out

if TYPE_CHECKING:
    from coder.privacy.privacy_session import PrivacySession
    from coder.project.project import Project


def _passphrase(project: Project, *, encrypt: bool) -> str | None:
    """The passphrase: from the environment, else asked for when the key needs one."""
    import getpass
    import os

    from coder.errors import CoderError
    from coder.privacy.key_file import ENV_PASSPHRASE, KeyFile, key_location

    given = os.environ.get(ENV_PASSPHRASE)
    if given:
        return given
    path = key_location(project.root, project.settings.privacy_key)
    needed = KeyFile(path).encrypted() if path.exists() else encrypt
    if not needed:
        return None
    if not sys.stdin.isatty():
        raise CoderError(
            f"{path}: the privacy key needs a passphrase; set {ENV_PASSPHRASE} or run this in a "
            "terminal. Nothing was changed."
        )
    phrase = getpass.getpass(f"Passphrase for {path}: ")
    if not path.exists() and getpass.getpass("Again: ") != phrase:
        raise CoderError("the two passphrases differ. Nothing was changed.")
    return phrase


def _session(args: argparse.Namespace, project: Project, *, create: bool = False) -> PrivacySession:
    from coder.privacy.privacy_session import PrivacySession

    encrypt = bool(getattr(args, "encrypt", False))
    return PrivacySession.open(project, _passphrase(project, encrypt=encrypt), create=create)


def cmd_scan(args: argparse.Namespace) -> None:
    """Detect identifying words; new candidates go into the key, pending review."""
    with open_project(args) as project:
        session = _session(args, project, create=True)
        report, added = session.scan()
        if args.json:
            out(json.dumps(report.to_dict() | {"new": added}, ensure_ascii=False, indent=2))
            return
        out(f"Key: {session.key_file.path}")
        known = report.to_dict()
        out(
            f"Decided entries found: {known['known_entries_found']} "
            f"({known['known_occurrences']} places)"
        )
        out(f"Candidates to review: {len(report.candidates)} ({added} new)")
        for candidate in report.candidates[: args.limit]:
            places = len(candidate.places)
            transcripts = len({place[0] for place in candidate.places})
            out(
                f"  {candidate.category.value:<11} {places:>4}× in {transcripts:>2}  "
                f"{candidate.source:<16} {candidate.text}"
            )
        if len(report.candidates) > args.limit:
            out(f"  … and {len(report.candidates) - args.limit} more")
        out("Next: coder privacy review (in a terminal), then coder privacy apply")


def cmd_add(args: argparse.Namespace) -> None:
    """Add words to the key (the lead's own list): accepted, with a placeholder."""
    from coder.privacy.categories import Category

    category = Category.parse(args.category)
    with open_project(args) as project:
        session = _session(args, project, create=True)
        for text in args.text:
            entry = session.key.accept(
                text, category, replacement=args.replacement or "", source="list"
            )
            out(f"{entry.text} -> {entry.replacement} ({entry.category.label})")
        session.save()


def cmd_list(args: argparse.Namespace) -> None:
    """Every key entry with its status and replacement."""
    with open_project(args) as project:
        session = _session(args, project)
        entries = [e.to_dict() for e in session.key.entries]
        if args.json:
            out(
                json.dumps(
                    {"key": str(session.key_file.path), "entries": entries},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for entry in entries:
            out(
                f"{entry['status']:<9} {entry['category']:<11} {entry['replacement'] or '-':<14} "
                f"{entry['text']}"
            )


def cmd_review(args: argparse.Namespace) -> None:
    """Walk the candidates in the app: accept, reject, extend, add, with the keyboard."""
    from coder.errors import CoderError

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CoderError("the review needs a terminal; `coder privacy list` prints the key")
    project = open_project(args)
    session = _session(args, project, create=True)
    from coder.tui.app import make_privacy_app

    make_privacy_app(session).run()


def cmd_apply(args: argparse.Namespace) -> int:
    """Pseudonymise the database with the accepted entries."""
    from coder.privacy.leak_check import LeakCheck

    with open_project(args) as project:
        session = _session(args, project)
        report = session.apply()
        folder = project.root / project.settings.transcripts
        sources = LeakCheck(session.key).check_files([folder]) if folder.exists() else []
        if args.json:
            data = report.to_dict() | {
                "identifying_sources": sorted({str(s.path) for s in sources})
            }
            out(json.dumps(data, indent=2))
            return 0
        counts = report.counts
        out(
            f"Pseudonymised with {report.entries} key entries: {counts.replacements} replacements "
            f"in {counts.transcripts} transcript(s); {counts.excerpts} excerpt bounds and "
            f"{counts.spans} coded spans moved; {counts.memos} memo(s), {counts.attributes} case "
            f"value(s), {counts.events} log entries rewritten."
        )
        for path in report.discarded:
            out(f"Discarded {path} (made from the identifying text; models retrain on their own)")
        if report.pending:
            out(f"Note: {report.pending} candidate(s) still pending review were left as they are.")
        _report_sources(sources)
    return 0


def _report_sources(sources: list[Any]) -> None:
    files = sorted({str(leak.path) for leak in sources})
    if files:
        out(f"{len(files)} source file(s) in the transcripts folder still identify people:")
        for file in files:
            out(f"  {file}")
        out(
            "Move them out of the project, to where the key is kept, e.g. "
            "`mv transcripts/*.txt /secure/originals/`; coder needs only its database."
        )


def cmd_check(args: argparse.Namespace) -> int:
    """Look for any key entry in files (default: the whole project); exit 1 if one is found."""
    from coder.privacy.leak_check import LeakCheck

    with open_project(args) as project:
        session = _session(args, project)
        sources = project.root / project.settings.transcripts
        paths = list(args.files) or [project.root]
        leaks = LeakCheck(session.key).check_files(paths, sources)
    if args.json:
        out(json.dumps({"leaks": [leak.to_dict() for leak in leaks]}, ensure_ascii=False, indent=2))
        return 1 if leaks else 0
    for leak in leaks:
        found = ", ".join(f"{label} ×{count}" for label, count in sorted(leak.found.items()))
        kind = "source file, still identifying" if leak.source else "LEAK"
        out(f"{kind}: {leak.where}: {found}")
    if any(leak.source for leak in leaks):
        _report_sources([leak for leak in leaks if leak.source])
    if any(not leak.source for leak in leaks):
        out("Key entries found outside the sources: run `coder privacy apply`, then export again.")
    if not leaks:
        out(f"No key entry found in {', '.join(str(p) for p in paths)}.")
    return 1 if leaks else 0


def cmd_reveal(args: argparse.Namespace) -> None:
    """Re-identify text (an argument, or standard input): placeholders back to the words."""
    with open_project(args) as project:
        session = _session(args, project)
        text = args.text if args.text is not None else sys.stdin.read()
        out(session.reidentify(text))


def register(commands: Any) -> None:
    """Add ``coder privacy`` and its subcommands."""
    group = add_group(commands, "privacy", "pseudonymisation with a key kept outside the project")
    sub = add_command(
        group, "scan", cmd_scan, "find identifying words; new candidates go into the key"
    )
    sub.add_argument("--encrypt", action="store_true", help="protect a new key with a passphrase")
    sub.add_argument("--limit", type=int, default=40, help="candidates to print (default 40)")
    sub.add_argument("--json", action="store_true", help="print the candidates as JSON")
    sub = add_command(group, "add", cmd_add, "add names or places to the key (accepted)")
    sub.add_argument("text", nargs="+", help="the words, e.g. 'Sara Hansen'")
    sub.add_argument("--category", default="NAVN", help="NAVN, STED, SKOLE, ... (default NAVN)")
    sub.add_argument("--as", dest="replacement", metavar="TEXT", help="your own replacement")
    sub.add_argument("--encrypt", action="store_true", help="protect a new key with a passphrase")
    sub = add_command(group, "list", cmd_list, "print the key's entries (names included)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    add_command(group, "review", cmd_review, "review the candidates in the app, by keyboard")
    sub = add_command(group, "apply", cmd_apply, "pseudonymise the database with the key")
    sub.add_argument("--json", action="store_true", help="print what changed as JSON")
    sub = add_command(group, "check", cmd_check, "look for key entries in files; exit 1 if found")
    sub.add_argument("files", nargs="*", type=Path, help="files or folders (default: the project)")
    sub.add_argument("--json", action="store_true", help="print the findings as JSON")
    sub = add_command(group, "reveal", cmd_reveal, "re-identify text with the key")
    sub.add_argument("text", nargs="?", help="the text (default: standard input)")
