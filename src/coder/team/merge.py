"""``merge_returns``: the lead merges coders' returns, all in one transaction or not at all.

Per return: its rows are checked (shape; transcripts by id and SHA-256 of the text; excerpts by
offsets; codes, attributes and cases against the lead's project), then the coder's rows in the
lead's project are made equal to the return (added, changed, removed, unchanged are counted) and
the events the project lacks are appended, so undo works on in the lead's project. A return is
refused when the lead's project has work by the same coder name that the return does not
contain (diverging work in two places, or an older return): the coder's events in the project
must be the start of the return's events, and the coder's rows must be as the last hand-out or
merge left them. Any problem in any return stops the whole merge, with the list, and nothing is
written. Merging the same return again changes nothing; returns of different coders commute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.domain.coder_work import CoderWork
from coder.domain.coders import check_name, coder_kind
from coder.errors import CoderError
from coder.team.pack import RETURN, Pack, now
from coder.team.work_check import WorkCheck

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.store.team_writes import TeamWriter
    from coder.store.work_change import WorkChange

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``."""


class MergeRefused(CoderError):
    """A merge found problems; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"the merge stopped: {count} problem{'s' if count != 1 else ''}; nothing was written"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


@dataclass(slots=True)
class CoderMerge:
    """What merging one return did."""

    coder: str
    """The coder."""
    path: Path
    """The return file."""
    change: WorkChange
    """Per table: added, changed, removed, unchanged."""
    notes: list[str] = field(default_factory=list)
    """Differences worth knowing that did not stop the merge (codebook)."""

    def totals(self) -> dict[str, int]:
        """Counts summed over the coder's state tables (events counted apart)."""
        sums = {"added": 0, "changed": 0, "removed": 0, "unchanged": 0}
        for name, table in self.change.tables.items():
            if name != "events":
                for key, value in table.to_dict().items():
                    sums[key] += value
        return sums

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "coder": self.coder,
            "file": str(self.path),
            "totals": self.totals(),
            "tables": {name: t.to_dict() for name, t in self.change.tables.items()},
            "notes": self.notes,
        }


def divergence(records: list[dict[str, Any]], current: CoderWork, work: CoderWork) -> str | None:
    """Why ``work`` cannot replace the project's rows of its coder, or None when it can."""
    name = work.coder
    ours = [event["uid"] for event in current.events]
    theirs = [event["uid"] for event in work.events]
    last = records[-1] if records else None
    if theirs[: len(ours)] != ours:
        if ours[: len(theirs)] == theirs:
            return (
                f"coder {name!r}: this return is older than the work already merged (the project "
                f"has {len(ours) - len(theirs)} of their later events); merge their newest return"
            )
        missing = len(set(ours) - set(theirs))
        origin = (
            f" (from hand-out {last.get('handout', '?')}, {last['kind']} {last.get('at', '?')})"
            if last
            else ""
        )
        return (
            f"coder {name!r} has diverging work in two places: the project has {missing} of "
            f"their events{origin} that this return does not have. Not mixed: merge the return "
            "of the copy they really worked in, or hand out again under another name"
        )
    if last is not None and not current.is_empty() and current.digest() != last.get("digest"):
        return (
            f"coder {name!r}: their work in this project changed after it was "
            f"{'handed out' if last['kind'] == 'handout' else 'merged'} ({last.get('at', '?')}), "
            "not through a return: diverging work in two places. Not mixed"
        )
    if last is None and not current.is_empty() and not ours:
        return (
            f"coder {name!r} already has work in this project that was never handed out; "
            "diverging work in two places. Not mixed"
        )
    return None


def codebook_notes(pack: Pack, project: Project) -> list[str]:
    """How the copy's codebook differs from the lead's (``coder.codebook.diff``), one a line."""
    from coder.codebook import diff, parse_codebook

    name = project.settings.codebook
    text = pack.files.get(name)
    if text is None:
        return []
    try:
        theirs = parse_codebook(text, f"{pack.work.coder}'s {name}")
    except CoderError as exc:
        return [f"their codebook could not be read ({str(exc).splitlines()[0]})"]
    changes = diff(project.codebook, theirs)
    if changes.empty:
        return []
    return [
        f"their codebook differs from the project's: {line.strip()}" for line in changes.lines()[1:]
    ]


def _check(writer: TeamWriter, project: Project, pack: Pack, where: str) -> list[str]:
    check = WorkCheck(where)
    try:
        name = check_name(pack.work.coder)
    except CoderError as exc:
        return [f"{where}: {exc}"]
    if coder_kind(name) != "human" or name != pack.work.coder:
        return [f"{where}: {pack.work.coder!r} is not a person's name; only coders' work merges"]
    if not check.shape(pack.work):
        return check.problems
    taken = writer.foreign_uids(name, pack.work)
    if taken:
        shown = ", ".join(taken[:5]) + (f" and {len(taken) - 5} more" if len(taken) > 5 else "")
        check.problems.append(
            f"{where}: {len(taken)} memos or events carry ids of another coder's rows here "
            f"({shown}); not taken over"
        )
    check.transcripts(pack.work, pack.digests, writer.digests)
    check.excerpts(pack.work, writer.excerpt_ids.__contains__)
    check.codebook(pack.work, project.codebook, str(project.settings.codebook))
    check.cases(pack.work, writer.case_ids())
    return check.problems


def apply_work(
    writer: TeamWriter, project: Project, pack: Pack, where: str, *, record: bool
) -> tuple[WorkChange | None, list[str]]:
    """Check one pack and, when it fits, write it; (change or None, problems)."""
    problems = _check(writer, project, pack, where)
    if problems:
        return None, problems
    current = writer.current(pack.work.coder)
    records = writer.records(pack.work.coder)
    reason = divergence(records, current, pack.work)
    if reason is not None:
        return None, [f"{where}: {reason}"]
    new_events = pack.work.events[len(current.events) :]
    change = writer.replace(pack.work, current, new_events)
    if record and change.touched:
        writer.record(
            "team.merged",
            {
                "kind": "merge",
                "coder": pack.work.coder,
                "at": now(),
                "handout": pack.manifest.get("handout"),
                "pack": pack.manifest.get("pack"),
                "digest": pack.work.digest(),
                "events": len(pack.work.events),
            },
        )
    return change, []


def merge_returns(
    project: Project,
    paths: Sequence[Path],
    passphrase: str | None = None,
    progress: Progress | None = None,
) -> list[CoderMerge]:
    """Merge the return files into ``project``; ``MergeRefused`` (nothing written) on problems."""
    from coder.store.team_writes import team_merge

    total = 2 * len(paths) + 1
    packs = []
    for number, path in enumerate(paths, start=1):
        packs.append(Pack.read(Path(path), passphrase, kind=RETURN))
        if progress:
            progress(number, total, f"read {Path(path).name}")
    merged: list[CoderMerge] = []
    problems: list[str] = []
    with team_merge(project) as writer:
        for number, (path, pack) in enumerate(zip(paths, packs, strict=True), start=1):
            change, found = apply_work(writer, project, pack, str(path), record=True)
            problems.extend(found)
            if change is not None:
                merged.append(
                    CoderMerge(pack.work.coder, Path(path), change, codebook_notes(pack, project))
                )
            if progress:
                progress(len(paths) + number, total, f"merged {Path(path).name}")
        if problems:
            raise MergeRefused(problems)
    if progress:
        progress(total, total, "committed")
    return merged
