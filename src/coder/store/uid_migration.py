"""Schema 2 -> 3: a global ``uid`` on every memo and event, and memo events naming it.

Local ids (autoincrement integers) differ between a lead's project and a coder's copy; the uid
is what ``coder team`` matches rows by. Memo events written before carry only the memo's local
id; they get the memo's uid (or, for a memo deleted since, one uid per deleted memo) so undo
and a merge find the same memo everywhere.
"""

from __future__ import annotations

import json

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.engine import Connection

from coder.store.schema import events, memos, new_uid

MEMO_KINDS = ("memo.add", "memo.edit", "memo.delete")
"""Event kinds that concern one memo (payload key ``memo``: its local id)."""


def _add_column(conn: Connection, table: str) -> None:
    columns = {column["name"] for column in inspect(conn).get_columns(table)}
    if "uid" not in columns:
        statement = {
            "memos": "ALTER TABLE memos ADD COLUMN uid TEXT",
            "events": "ALTER TABLE events ADD COLUMN uid TEXT",
        }[table]
        conn.exec_driver_sql(statement)


def add_uids(conn: Connection) -> None:
    """Add the columns (when missing), fill them, index them, and rewrite memo events."""
    _add_column(conn, "memos")
    _add_column(conn, "events")
    memo_uids: dict[int, str] = {}
    for memo_id, uid in conn.execute(select(memos.c.id, memos.c.uid)).all():
        memo_uids[int(memo_id)] = uid or new_uid()
    if memo_uids:
        conn.execute(
            update(memos).where(memos.c.id == bindparam("mid")).values(uid=bindparam("u")),
            [{"mid": memo_id, "u": uid} for memo_id, uid in memo_uids.items()],
        )
    rows = conn.execute(select(events.c.id, events.c.kind, events.c.payload, events.c.uid)).all()
    changes = []
    for event_id, kind, payload, uid in rows:
        values = {"eid": int(event_id), "u": uid or new_uid(), "p": payload}
        if kind in MEMO_KINDS:
            data = json.loads(payload)
            if isinstance(data, dict) and isinstance(data.get("memo"), int):
                if "memo_uid" not in data:
                    data["memo_uid"] = memo_uids.setdefault(data["memo"], new_uid())
                values["p"] = json.dumps(data, ensure_ascii=False)
        changes.append(values)
    if changes:
        conn.execute(
            update(events)
            .where(events.c.id == bindparam("eid"))
            .values(uid=bindparam("u"), payload=bindparam("p")),
            changes,
        )
    for table, name in ((memos, "ux_memos_uid"), (events, "ux_events_uid")):
        index = next(index for index in table.indexes if index.name == name)
        index.create(conn, checkfirst=True)
