"""Event payloads between copies: local excerpt and memo ids out, excerpt refs and uids in.

An event's payload names excerpts by their database id (``excerpt``, the older ``excerpt_id``,
or a list under ``excerpts``) and memos by their local id (``memo``) beside their ``memo_uid``.
Ids differ between a lead's project and a coder's copy, so a pack carries excerpt refs
(``[transcript id, start, end]``) and no local memo id; merging maps them back to the target's
ids. An excerpt that no longer exists travels as ``"lost"`` and arrives as id -1 (undo then says
its excerpt no longer exists, as it does in the copy). ``append_events`` writes a coder's new
events into a project with the payloads mapped in.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from coder.store.bulk import bulk_insert
from coder.store.schema import events, memos

LOST = "lost"
"""A payload's excerpt that no longer existed where the event was read."""
MISSING_ID = -1
"""The excerpt id a lost excerpt gets on arrival (no excerpt has it)."""
EXCERPT_KEYS = ("excerpt", "excerpt_id")

Ref = tuple[str, int, int]
Row = dict[str, Any]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def payload_out(payload: dict[str, Any], refs: dict[int, list[Any]]) -> dict[str, Any]:
    """The payload as a pack carries it: excerpt refs, no local memo id."""
    out = dict(payload)
    for key in EXCERPT_KEYS:
        if _is_id(out.get(key)):
            out[key] = refs.get(out[key], LOST)
    if isinstance(out.get("excerpts"), list):
        out["excerpts"] = [refs.get(e, LOST) if _is_id(e) else e for e in out["excerpts"]]
    if out.get("memo_uid"):
        out.pop("memo", None)
    return out


def _excerpt_in(value: Any, ids: dict[Ref, int]) -> Any:
    if value == LOST:
        return MISSING_ID
    if isinstance(value, list) and len(value) == 3:
        return ids.get((value[0], value[1], value[2]), MISSING_ID)
    return value


def payload_in(
    payload: dict[str, Any], ids: dict[Ref, int], memo_ids: dict[str, int]
) -> dict[str, Any]:
    """The payload as the target stores it: its excerpt ids and local memo ids."""
    out = dict(payload)
    for key in EXCERPT_KEYS:
        if key in out:
            out[key] = _excerpt_in(out[key], ids)
    if isinstance(out.get("excerpts"), list):
        out["excerpts"] = [_excerpt_in(e, ids) for e in out["excerpts"]]
    uid = out.get("memo_uid")
    if isinstance(uid, str):
        out["memo"] = memo_ids.get(uid)
    return out


def append_events(conn: Connection, who: int, new: list[Row], excerpt_ids: dict[Ref, int]) -> None:
    """Append a coder's ``new`` events (pack form), mapped to this database's ids."""
    if not new:
        return
    query = select(memos.c.uid, memos.c.id).where(memos.c.coder_id == who)
    memo_ids = {str(uid): int(i) for uid, i in conn.execute(query)}
    names = ("coder_id", "at", "kind", "undoable", "payload", "uid")
    bulk_insert(
        conn,
        events,
        names,
        (
            (
                who,
                e["at"],
                e["kind"],
                bool(e["undoable"]),
                json.dumps(payload_in(e["payload"], excerpt_ids, memo_ids), ensure_ascii=False),
                e["uid"],
            )
            for e in new
        ),
    )
    targets = [e for e in new if e.get("target")]
    if targets:
        query = select(events.c.uid, events.c.id).where(events.c.coder_id == who)
        ids = {str(uid): int(i) for uid, i in conn.execute(query)}
        conn.execute(
            update(events)
            .where(events.c.uid == bindparam("u"))
            .values(target_event=bindparam("t")),
            [{"u": e["uid"], "t": ids.get(e["target"])} for e in targets],
        )
