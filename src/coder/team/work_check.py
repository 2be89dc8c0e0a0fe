"""``WorkCheck``: a pack's rows checked for shape, and against the project they go into.

A return comes from another machine: every row is checked before anything is written, and every
problem is listed (what, and where in the pack), so a merge either fits the lead's project
completely or writes nothing. Checks against the project: each transcript the work points into
exists with the same text (id and SHA-256), each excerpt exists at the same offsets, each code is
in the lead's codebook, each case and case attribute exists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from coder.domain.codebook import Codebook
from coder.domain.coder_work import CoderWork

MAX_LISTED = 20
"""Problems of one kind listed one by one; the rest are counted."""


def _ref(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:])
    )


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _opt_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _span(value: Any) -> bool:
    return value is None or (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
    )


SHAPES: dict[str, dict[str, Callable[[Any], bool]]] = {
    "codings": {
        "excerpt": _ref,
        "code": _text,
        "origin": _text,
        "span": _span,
        "created_at": _text,
        "codebook_version": _opt_text,
    },
    "reviews": {"excerpt": _ref, "reviewed_at": _text},
    "memos": {
        "uid": _text,
        "excerpt": lambda v: v is None or _ref(v),
        "code": _opt_text,
        "case": _opt_text,
        "text": _text,
        "created_at": _text,
        "updated_at": _text,
    },
    "ratings": {"case": _text, "attribute": _text, "value": _text, "rated_at": _text},
    "positions": {"transcript": _text, "seq": lambda v: isinstance(v, int), "updated_at": _text},
    "events": {
        "uid": _text,
        "at": _text,
        "kind": _text,
        "undoable": lambda v: isinstance(v, bool),
        "target": _opt_text,
        "payload": lambda v: isinstance(v, dict),
    },
}
"""Field -> test, per table of a coder's work."""


def _is_ref(v: Any) -> bool:
    return (
        type(v) is list
        and len(v) == 3
        and type(v[0]) is str
        and type(v[1]) is int
        and type(v[2]) is int
    )


def _fast(table: str, row: Any) -> bool:
    """The common case checked quickly (no per-field calls); False sends a row to ``SHAPES``."""
    get = row.get
    if table == "codings":
        span = get("span")
        return (
            _is_ref(get("excerpt"))
            and type(get("code")) is str
            and type(get("origin")) is str
            and type(get("created_at")) is str
            and (get("codebook_version") is None or type(get("codebook_version")) is str)
            and (
                span is None
                or (
                    type(span) is list
                    and len(span) == 2
                    and type(span[0]) is int
                    and type(span[1]) is int
                )
            )
        )
    if table == "reviews":
        return _is_ref(get("excerpt")) and type(get("reviewed_at")) is str
    if table == "events":
        target = get("target")
        return (
            type(get("uid")) is str
            and type(get("at")) is str
            and type(get("kind")) is str
            and type(get("undoable")) is bool
            and (target is None or type(target) is str)
            and type(get("payload")) is dict
        )
    return False


class WorkCheck:
    """Collects the problems of one pack; ``problems`` is empty when it fits."""

    __slots__ = ("problems", "where")

    def __init__(self, where: str) -> None:
        self.where = where
        """The pack, for the messages."""
        self.problems: list[str] = []
        """What is wrong, one line each."""

    def _add(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def shape(self, work: CoderWork) -> bool:
        """Every row has its fields with the right types, keys are unique; True when so."""
        for table, fields in SHAPES.items():
            bad = 0
            for number, row in enumerate(work.table(table)):
                if _fast(table, row):
                    continue
                wrong = [name for name, test in fields.items() if not test(row.get(name))]
                if wrong:
                    bad += 1
                    if bad <= MAX_LISTED:
                        self._add(f"work/{table}.json row {number + 1}: bad {', '.join(wrong)}")
            if bad > MAX_LISTED:
                self._add(f"work/{table}.json: {bad - MAX_LISTED} more bad rows")
        if self.problems:
            return False
        for table in (t for t in SHAPES if t != "events"):
            if len(work.keyed(table)) != len(work.table(table)):
                self._add(f"work/{table}.json: the same row appears twice")
        uids = [event["uid"] for event in work.events]
        if len(set(uids)) != len(uids):
            self._add("work/events.json: the same event appears twice")
        return not self.problems

    def _listed(self, what: str, found: Counter[str]) -> None:
        for number, (item, count) in enumerate(sorted(found.items())):
            if number == MAX_LISTED:
                self._add(f"... and {len(found) - MAX_LISTED} more {what}")
                break
            self._add(f"{item} ({count} row{'s' if count != 1 else ''})")

    def transcripts(self, work: CoderWork, theirs: dict[str, str], ours: dict[str, str]) -> None:
        """Transcripts the work points into must exist here with the same text."""
        for tid in sorted(work.referenced_transcripts() | (theirs.keys() & ours.keys())):
            if tid not in ours:
                self._add(f"transcript {tid!r} is not in this project")
            elif tid in theirs and theirs[tid] != ours[tid]:
                self._add(
                    f"transcript {tid!r}: its text differs from this project's (SHA-256 "
                    f"{theirs[tid][:12]}... in the pack, {ours[tid][:12]}... here)"
                )

    def excerpts(self, work: CoderWork, known: Callable[[tuple[str, int, int]], bool]) -> None:
        """Every excerpt a state row names must exist here at the same offsets."""
        missing: Counter[str] = Counter()
        for table in ("codings", "reviews", "memos"):
            for row in work.table(table):
                ref = row.get("excerpt")
                if ref is not None and not known((ref[0], ref[1], ref[2])):
                    missing[
                        f"excerpt {ref[0]} [{ref[1]}, {ref[2]}) in {table}: no excerpt "
                        "here at these offsets"
                    ] += 1
        self._listed("missing excerpts", missing)

    def codebook(self, work: CoderWork, codebook: Codebook, where: str) -> None:
        """Codes, attributes and levels the work uses must be in ``codebook``."""
        missing: Counter[str] = Counter()
        for row in work.codings:
            if not codebook.has_code(row["code"]):
                missing[f"code {row['code']!r} (codings) is not in {where}"] += 1
        for row in work.memos:
            if row["code"] is not None and not codebook.has_code(row["code"]):
                missing[f"code {row['code']!r} (memos) is not in {where}"] += 1
        attributes = {a.id for a in codebook.attributes}
        for row in work.ratings:
            if row["attribute"] not in attributes:
                missing[f"case attribute {row['attribute']!r} (ratings) is not in {where}"] += 1
        self._listed("codebook differences", missing)

    def cases(self, work: CoderWork, known: set[str]) -> None:
        """Cases rated or written about must exist here."""
        missing: Counter[str] = Counter()
        for table in ("ratings", "memos"):
            for row in work.table(table):
                if row.get("case") is not None and row["case"] not in known:
                    missing[f"case {row['case']!r} ({table}) is not in this project"] += 1
        self._listed("missing cases", missing)
