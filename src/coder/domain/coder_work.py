"""``CoderWork``: everything one coder did in a project, as plain rows that travel between copies.

Rows name excerpts by ``[transcript id, start, end]`` (offsets into the normalised text), not by
a database id, and memos and events by their global ``uid``; so a row means the same thing in a
lead's project and in a coder's copy, and two copies can be compared row for row. This is the
content of a ``coder team`` hand-out (the coder's own earlier work) and of a return.

Row shapes (JSON values):

- coding: ``excerpt`` ref, ``code``, ``origin``, ``span`` (``[start, end]`` or null),
  ``created_at``
- review: ``excerpt`` ref, ``reviewed_at``
- memo: ``uid``, ``excerpt`` ref or null, ``code``, ``case``, ``text``, ``created_at``,
  ``updated_at``
- rating: ``case``, ``attribute``, ``value``, ``rated_at``
- position: ``transcript``, ``seq``, ``updated_at``
- event: ``uid``, ``at``, ``kind``, ``undoable``, ``target`` (uid or null), ``payload`` (with
  excerpt refs in place of excerpt ids, and no local memo id)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]

STATE_TABLES = ("codings", "reviews", "memos", "ratings", "positions")
"""The tables of a coder's current state (events are their history)."""

FIELDS = {
    "codings": ("excerpt", "code", "origin", "span", "created_at", "codebook_version"),
    "reviews": ("excerpt", "reviewed_at"),
    "memos": ("uid", "excerpt", "code", "case", "text", "created_at", "updated_at"),
    "ratings": ("case", "attribute", "value", "rated_at"),
    "positions": ("transcript", "seq", "updated_at"),
}
"""The fields of each state table's rows, in a fixed order."""


def _plain(value: Any) -> Any:
    """Lists for tuples, so a row read from JSON and one built in Python print the same."""
    return list(value) if isinstance(value, tuple) else value


def _span(value: Any) -> Any:
    return None if value is None else (value[0], value[1])


KEYS: dict[str, Any] = {
    "codings": lambda row: (tuple(row["excerpt"]), row["code"], _span(row["span"])),
    "reviews": lambda row: (tuple(row["excerpt"]),),
    "memos": lambda row: (row["uid"],),
    "ratings": lambda row: (row["case"], row["attribute"]),
    "positions": lambda row: (row["transcript"],),
}
"""Per state table: a row's identity within one coder's work (what a merge matches by)."""


def row_key(table: str, row: Row) -> tuple[Any, ...]:
    """The identity of a state row within one coder's work."""
    if table not in KEYS:
        raise ValueError(f"not a state table: {table}")
    key: tuple[Any, ...] = KEYS[table](row)
    return key


@dataclass(slots=True)
class CoderWork:
    """One coder's work: current state and the event log, in plain rows."""

    coder: str
    """The coder's name."""
    codings: list[Row] = field(default_factory=list)
    """Codings (the code on an excerpt or a span of it)."""
    reviews: list[Row] = field(default_factory=list)
    """Reviewed marks."""
    memos: list[Row] = field(default_factory=list)
    """Memos, in the order they were written."""
    ratings: list[Row] = field(default_factory=list)
    """Case ratings."""
    positions: list[Row] = field(default_factory=list)
    """Where the coder left off in each transcript."""
    events: list[Row] = field(default_factory=list)
    """The coder's events, oldest first (undo, redo and suggestion feedback included)."""

    def table(self, name: str) -> list[Row]:
        """The rows of one table by name (``codings`` ... ``events``)."""
        rows: list[Row] = getattr(self, name)
        return rows

    def keyed(self, name: str) -> dict[tuple[Any, ...], Row]:
        """A state table as key -> row."""
        key = KEYS[name]
        return {key(row): row for row in self.table(name)}

    def digest(self) -> str:
        """SHA-256 of the current state (order-free): equal states have equal digests."""
        hasher = hashlib.sha256()
        for name in STATE_TABLES:
            fields = FIELDS[name]
            lines = sorted(
                repr([_plain(row.get(field)) for field in fields]) for row in self.table(name)
            )
            hasher.update(f"{name}:{len(lines)}\n".encode())
            hasher.update("\n".join(lines).encode("utf-8"))
        return hasher.hexdigest()

    def is_empty(self) -> bool:
        """Whether the coder has done nothing at all."""
        return not any(self.table(name) for name in (*STATE_TABLES, "events"))

    def referenced_transcripts(self) -> set[str]:
        """Transcript ids the state rows point into."""
        found = {row["transcript"] for row in self.positions}
        for name in ("codings", "reviews", "memos"):
            found.update(row["excerpt"][0] for row in self.table(name) if row.get("excerpt"))
        return found
