"""Per-coder undo and redo, driven by the append-only events table.

Undo appends an ``undo`` event pointing at the event it reverses; redo appends ``redo``. The
stacks are rebuilt from the coder's events, so they survive restarts and never depend on memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Connection

from coder.domain.events import CASE, CODE, EXCERPT, SUGGESTION_REJECTED, about
from coder.store.database import now
from coder.store.operations import (
    delete_coding,
    insert_coding,
    known_coder,
    log_event,
    set_review,
    write_rating,
)
from coder.store.schema import events, excerpts, memos

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """What one undo or redo did."""

    event_id: int
    """The original event that was reversed or re-applied."""
    kind: str
    """Its kind, e.g. ``coding.apply``."""
    payload: dict[str, Any]
    """Its payload."""
    lost: bool = False
    """True when the change could not be restored because its excerpt no longer exists (the
    transcript was re-imported with changed text); the step still counts."""

    @property
    def excerpt_id(self) -> int | None:
        """The excerpt the change was on, if any (old memo events spell the key differently)."""
        excerpt = about(self.payload, EXCERPT)
        return excerpt if isinstance(excerpt, int) else None

    def describe(self, undone: bool) -> str:
        """A one-line description for the status bar."""
        verb = "undid" if undone else "redid"
        what = {
            "coding.apply": "apply {code}",
            "coding.remove": "remove {code}",
            "rating.set": "rating of {attribute}",
            "memo.add": "new memo",
            "memo.edit": "memo edit",
            "memo.delete": "memo delete",
            "review.mark": "reviewed mark",
            "review.rest": "reviewed marks on the rest of the transcript",
            "codebook.add": "new code {code}",
            "codebook.edit": "edit of code {code}",
            "codebook.move": "move of code {code}",
            "codebook.merge": "merge of {code} into {into}",
            "codebook.split": "split of {code}",
            "codebook.retire": "retiring {code}",
            SUGGESTION_REJECTED: "rejection of {code}",
        }.get(self.kind, self.kind)
        try:
            text = f"{verb} {what.format(**self.payload)}"
        except (KeyError, IndexError):
            text = f"{verb} {self.kind}"
        return f"{text} (its excerpt no longer exists)" if self.lost else text


def _stacks(conn: Connection, who: int) -> tuple[list[int], list[int]]:
    rows = conn.execute(
        select(events.c.id, events.c.kind, events.c.target_event)
        .where(events.c.coder_id == who)
        .where(or_(events.c.undoable.is_(True), events.c.kind.in_(("undo", "redo"))))
        .order_by(events.c.id)
    )
    done: list[int] = []
    redo: list[int] = []
    for event_id, kind, target in rows:
        if kind == "undo":
            if done and done[-1] == target:
                done.pop()
                redo.append(target)
        elif kind == "redo":
            if redo and redo[-1] == target:
                redo.pop()
                done.append(target)
        else:
            done.append(event_id)
            redo.clear()
    return done, redo


def undone_events(conn: Connection, coder_ids: list[int]) -> set[int]:
    """Ids of these coders' events that are undone now (their latest undo is not redone).

    An event whose effect is the event itself (a rejected suggestion) counts only while this
    does not hold it: readers of such events skip the ids returned here.
    """
    rows = conn.execute(
        select(events.c.kind, events.c.target_event)
        .where(events.c.coder_id.in_(coder_ids), events.c.kind.in_(("undo", "redo")))
        .order_by(events.c.id)
    )
    latest: dict[int, str] = {}
    for kind, target in rows:
        if target is not None:
            latest[int(target)] = str(kind)
    return {target for target, kind in latest.items() if kind == "undo"}


def _load(conn: Connection, event_id: int) -> tuple[str, dict[str, Any]]:
    row = conn.execute(select(events.c.kind, events.c.payload).where(events.c.id == event_id)).one()
    return str(row.kind), dict(json.loads(row.payload))


def _span(payload: dict[str, Any]) -> tuple[int, int] | None:
    span = payload.get("span")
    return None if span is None else (int(span[0]), int(span[1]))


def _excerpt_exists(conn: Connection, excerpt_id: int | None) -> bool:
    if excerpt_id is None:
        return True
    query = select(excerpts.c.id).where(excerpts.c.id == excerpt_id)
    return conn.execute(query).one_or_none() is not None


def _memo(who: int, p: dict[str, Any]) -> Any:
    """The coder's memo an event is about: by its global uid (schema 3 on), else its local id."""
    uid = p.get("memo_uid")
    mine = memos.c.coder_id == who
    return and_(mine, memos.c.uid == uid) if uid else and_(mine, memos.c.id == p.get("memo"))


def _restored_memo(conn: Connection, who: int, p: dict[str, Any]) -> dict[str, Any]:
    """The row that brings a memo back: its uid, and its old local id unless that is taken
    (in a lead's project that merged a coder's copy, the local id came from the copy)."""
    row = {
        "coder_id": who,
        "excerpt_id": about(p, EXCERPT),
        "code_id": about(p, CODE),
        "case_id": about(p, CASE),
        "text": p["text"],
        "created_at": p["created_at"],
        "updated_at": now(),
    }
    if p.get("memo_uid"):
        row["uid"] = p["memo_uid"]
    local = p.get("memo")
    if isinstance(local, int):
        taken = conn.execute(select(memos.c.id).where(memos.c.id == local)).first()
        if taken is None:
            row["id"] = local
    return row


def _apply(conn: Connection, who: int, kind: str, p: dict[str, Any], forward: bool) -> bool:
    """Re-apply (forward) or reverse an event's effect; False when its excerpt is gone."""
    if kind in ("coding.apply", "coding.remove"):
        adding = (kind == "coding.apply") == forward
        if adding:
            if not _excerpt_exists(conn, p[EXCERPT]):
                return False
            version = p.get("codebook_version")
            span, at = _span(p), p["created_at"]
            insert_coding(conn, who, p[EXCERPT], p[CODE], p["origin"], span, at, version)
        else:
            delete_coding(conn, who, p["excerpt"], p["code"], _span(p))
        if kind == "coding.apply" and p.get("marked_reviewed"):
            set_review(conn, who, p["excerpt"], reviewed=forward)
    elif kind == "review.mark":
        if not _excerpt_exists(conn, p["excerpt"]):
            return False
        set_review(conn, who, p["excerpt"], reviewed=p["reviewed"] == forward)
    elif kind == "review.rest":
        for excerpt_id in p["excerpts"]:
            if _excerpt_exists(conn, excerpt_id):
                set_review(conn, who, excerpt_id, reviewed=forward)
    elif kind == SUGGESTION_REJECTED:
        pass  # the event is the rejection: readers skip it while it is undone (undone_events)
    elif kind == "rating.set":
        write_rating(conn, who, p[CASE], p["attribute"], p["after"] if forward else p["before"])
    elif kind == "memo.edit":
        text = p["after"] if forward else p["before"]
        conn.execute(update(memos).where(_memo(who, p)).values(text=text, updated_at=now()))
    elif kind in ("memo.add", "memo.delete"):
        if (kind == "memo.add") == forward:
            if not _excerpt_exists(conn, about(p, EXCERPT)):
                return False
            conn.execute(insert(memos).values(**_restored_memo(conn, who, p)))
        else:
            conn.execute(delete(memos).where(_memo(who, p)))
    else:  # pragma: no cover - only undoable kinds reach here
        raise ValueError(f"cannot replay event kind {kind}")
    return True


def latest_kind(project: ProjectContext, coder: str) -> str | None:
    """The kind of the change ``undo`` would take back next (None: nothing to undo)."""
    with project.store.read() as conn:
        who = known_coder(conn, coder)
        if who is None:
            return None
        done, _ = _stacks(conn, who)
        return _load(conn, done[-1])[0] if done else None


def undo(project: ProjectContext, coder: str) -> HistoryStep | None:
    """Reverse this coder's latest change; None when there is nothing to undo."""
    return _step(project, coder, undo=True)


def redo(project: ProjectContext, coder: str) -> HistoryStep | None:
    """Re-apply this coder's latest undone change; None when there is nothing to redo."""
    return _step(project, coder, undo=False)


def _step(project: ProjectContext, coder: str, *, undo: bool) -> HistoryStep | None:
    with project.store.write() as conn:
        who = known_coder(conn, coder)
        if who is None:
            return None
        done, redo_stack = _stacks(conn, who)
        stack = done if undo else redo_stack
        if not stack:
            return None
        target = stack[-1]
        kind, payload = _load(conn, target)
        if kind.startswith("codebook."):  # the codings of every coder and the YAML file
            from coder.store.codebook_changes import replay_change

            replay_change(conn, project, payload, forward=not undo)
            restored = True
        else:
            restored = _apply(conn, who, kind, payload, forward=not undo)
        log_event(conn, who, "undo" if undo else "redo", {"kind": kind}, target=target)
        return HistoryStep(target, kind, payload, lost=not restored)
