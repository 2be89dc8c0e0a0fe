"""Writes for ``coder team``: a copy's tables at join, and a coder's work merged into a project.

``TeamWriter`` works inside one write transaction (``team_merge``): it reads the target's rows
for a coder, and makes them equal to the incoming ``CoderWork`` by deleting, updating and
inserting the differences, then appends the events the target lacks. Everything a merge writes
commits together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from coder.domain.coder_work import KEYS, CoderWork, Row
from coder.store.bulk import bulk_insert
from coder.store.coders import ensure_coder
from coder.store.operations import log_event
from coder.store.schema import (
    case_ratings,
    cases,
    coders,
    codings,
    events,
    memos,
    positions,
    reviews,
)
from coder.store.team_payloads import Ref, append_events
from coder.store.team_reads import (
    CODING_EXTRAS,
    TEAM_KINDS,
    excerpt_refs,
    read_work,
    team_records,
    text_digests,
)
from coder.store.work_change import TableChange, WorkChange

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


def _diff(name: str, old: list[Row], new: list[Row]) -> tuple[list[Row], list[Row], list[Row], int]:
    """(added, changed, removed, unchanged) between two versions of one state table."""
    key = KEYS[name]
    before = {key(row): row for row in old}
    after = {key(row): row for row in new}
    added = [row for key, row in after.items() if key not in before]
    changed = [row for key, row in after.items() if key in before and before[key] != row]
    removed = [row for key, row in before.items() if key not in after]
    return added, changed, removed, len(after) - len(added) - len(changed)


class TeamWriter:
    """A merge's view of the target project inside its one write transaction."""

    __slots__ = ("_digests", "_ids", "_refs", "conn")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        """The write transaction."""
        self._refs: dict[int, list[Any]] | None = None
        self._ids: dict[Ref, int] | None = None
        self._digests: dict[str, str] | None = None

    @property
    def refs(self) -> dict[int, list[Any]]:
        """Excerpt id -> ref in the target."""
        if self._refs is None:
            self._refs = excerpt_refs(self.conn)
        return self._refs

    @property
    def excerpt_ids(self) -> dict[Ref, int]:
        """Ref -> excerpt id in the target."""
        if self._ids is None:
            self._ids = {(r[0], r[1], r[2]): i for i, r in self.refs.items()}
        return self._ids

    @property
    def digests(self) -> dict[str, str]:
        """Transcript id -> SHA-256 of its text, in the target."""
        if self._digests is None:
            self._digests = text_digests(self.conn)
        return self._digests

    def case_ids(self) -> set[str]:
        """The target's cases."""
        return {str(c) for c in self.conn.execute(select(cases.c.id)).scalars()}

    def current(self, coder: str) -> CoderWork:
        """The target's rows for ``coder`` now."""
        return read_work(self.conn, coder, self.refs)

    def foreign_uids(self, coder: str, work: CoderWork) -> list[str]:
        """Memo and event uids of ``work`` that belong to another coder here (never taken over)."""
        found: list[str] = []
        for table, rows in ((memos, work.memos), (events, work.events)):
            wanted = [row["uid"] for row in rows]
            for start in range(0, len(wanted), 500):
                query = (
                    select(table.c.uid)
                    .join(coders, coders.c.id == table.c.coder_id, isouter=True)
                    .where(table.c.uid.in_(wanted[start : start + 500]))
                    .where(or_(coders.c.name.is_(None), coders.c.name != coder))
                )
                found.extend(str(uid) for uid in self.conn.execute(query).scalars())
        return found

    def records(self, coder: str) -> list[dict[str, Any]]:
        """Hand-outs and merges recorded for ``coder``, oldest first."""
        return [r for r in team_records(self.conn, TEAM_KINDS) if r.get("coder") == coder]

    def record(self, kind: str, payload: dict[str, Any]) -> None:
        """Log a ``team.*`` event (no coder: it is the project's, not the coder's)."""
        log_event(self.conn, None, kind, payload)

    def replace(self, work: CoderWork, current: CoderWork, new_events: list[Row]) -> WorkChange:
        """Make the target's rows for ``work.coder`` equal ``work``; append ``new_events``."""
        who = ensure_coder(self.conn, work.coder)
        change = WorkChange()
        for name, writer in (
            ("codings", self._codings),
            ("reviews", self._reviews),
            ("memos", self._memos),
            ("ratings", self._ratings),
            ("positions", self._positions),
        ):
            added, changed, removed, same = _diff(name, current.table(name), work.table(name))
            writer(who, added, changed, removed)
            change.tables[name] = TableChange(len(added), len(changed), len(removed), same)
        self._events(who, new_events)
        kept = len(work.events) - len(new_events)
        change.tables["events"] = TableChange(len(new_events), 0, 0, kept)
        return change

    def _id(self, ref: list[Any]) -> int:
        return self.excerpt_ids[(ref[0], ref[1], ref[2])]

    def _codings(self, who: int, added: list[Row], changed: list[Row], removed: list[Row]) -> None:
        key = and_(
            codings.c.coder_id == who,
            codings.c.excerpt_id == bindparam("e"),
            codings.c.code_id == bindparam("c"),
            func.coalesce(codings.c.span_start, -1) == bindparam("s"),
            func.coalesce(codings.c.span_end, -1) == bindparam("t"),
        )

        def params(row: Row) -> dict[str, Any]:
            span = row["span"] or (-1, -1)
            return {"e": self._id(row["excerpt"]), "c": row["code"], "s": span[0], "t": span[1]}

        if removed:
            self.conn.execute(delete(codings).where(key), [params(r) for r in removed])
        if changed:
            extras: dict[str, Any] = {name: bindparam(f"x_{name}") for name in CODING_EXTRAS}
            statement = (
                update(codings)
                .where(key)
                .values(origin=bindparam("o"), created_at=bindparam("at"), **extras)
            )
            self.conn.execute(
                statement,
                [
                    params(r)
                    | {"o": r["origin"], "at": r["created_at"]}
                    | {f"x_{name}": r.get(name) for name in CODING_EXTRAS}
                    for r in changed
                ],
            )
        names = (
            "excerpt_id",
            "code_id",
            "coder_id",
            "origin",
            "span_start",
            "span_end",
            "created_at",
            *CODING_EXTRAS,
        )
        bulk_insert(
            self.conn,
            codings,
            names,
            (
                (
                    self._id(r["excerpt"]),
                    r["code"],
                    who,
                    r["origin"],
                    None if r["span"] is None else r["span"][0],
                    None if r["span"] is None else r["span"][1],
                    r["created_at"],
                    *(r.get(name) for name in CODING_EXTRAS),
                )
                for r in added
            ),
        )

    def _reviews(self, who: int, added: list[Row], changed: list[Row], removed: list[Row]) -> None:
        key = and_(reviews.c.coder_id == who, reviews.c.excerpt_id == bindparam("e"))
        if removed:
            self.conn.execute(
                delete(reviews).where(key), [{"e": self._id(r["excerpt"])} for r in removed]
            )
        if changed:
            self.conn.execute(
                update(reviews).where(key).values(reviewed_at=bindparam("at")),
                [{"e": self._id(r["excerpt"]), "at": r["reviewed_at"]} for r in changed],
            )
        bulk_insert(
            self.conn,
            reviews,
            ("coder_id", "excerpt_id", "reviewed_at"),
            ((who, self._id(r["excerpt"]), r["reviewed_at"]) for r in added),
        )

    def _memo_values(self, row: Row) -> dict[str, Any]:
        return {
            "excerpt_id": None if row["excerpt"] is None else self._id(row["excerpt"]),
            "code_id": row["code"],
            "case_id": row["case"],
            "text": row["text"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    def _memos(self, who: int, added: list[Row], changed: list[Row], removed: list[Row]) -> None:
        for row in removed:
            self.conn.execute(delete(memos).where(memos.c.uid == row["uid"]))
        for row in changed:
            self.conn.execute(
                update(memos).where(memos.c.uid == row["uid"]).values(**self._memo_values(row))
            )
        for row in added:
            self.conn.execute(
                insert(memos).values(coder_id=who, uid=row["uid"], **self._memo_values(row))
            )

    def _ratings(self, who: int, added: list[Row], changed: list[Row], removed: list[Row]) -> None:
        for row in [*removed, *changed]:
            self.conn.execute(
                delete(case_ratings).where(
                    case_ratings.c.coder_id == who,
                    case_ratings.c.case_id == row["case"],
                    case_ratings.c.attribute == row["attribute"],
                )
            )
        for row in [*changed, *added]:
            self.conn.execute(
                insert(case_ratings).values(
                    coder_id=who,
                    case_id=row["case"],
                    attribute=row["attribute"],
                    value=row["value"],
                    rated_at=row["rated_at"],
                )
            )

    def _positions(
        self, who: int, added: list[Row], changed: list[Row], removed: list[Row]
    ) -> None:
        for row in [*removed, *changed]:
            self.conn.execute(
                delete(positions).where(
                    positions.c.coder_id == who, positions.c.transcript_id == row["transcript"]
                )
            )
        for row in [*changed, *added]:
            self.conn.execute(
                insert(positions).values(
                    coder_id=who,
                    transcript_id=row["transcript"],
                    excerpt_seq=row["seq"],
                    updated_at=row["updated_at"],
                )
            )

    def _events(self, who: int, new: list[Row]) -> None:
        append_events(self.conn, who, new, self.excerpt_ids)


@contextmanager
def team_merge(project: ProjectContext) -> Iterator[TeamWriter]:
    """One write transaction for a whole merge: commits when the block ends cleanly."""
    with project.store.write() as conn:
        yield TeamWriter(conn)
