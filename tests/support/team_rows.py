"""An independent reader of one coder's rows, for comparing two databases row for row.

It does not use ``coder.store.team_reads``: plain SQL through the project's engine, excerpts
named by (transcript, start, end), memos and events by uid, event targets by the target's uid and
excerpt ids inside payloads replaced by their offsets, so a lead's project and a coder's copy
(whose local ids differ) compare equal exactly when they hold the same work.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from coder.project.project import Project

EXCERPTS = 'SELECT id, transcript_id, start, "end" FROM excerpts'


def _refs(conn: Any) -> dict[int, tuple[str, int, int]]:
    return {int(i): (str(t), int(s), int(e)) for i, t, s, e in conn.execute(text(EXCERPTS))}


def _payload(raw: str, refs: dict[int, tuple[str, int, int]]) -> str:
    data = json.loads(raw)
    for key in ("excerpt", "excerpt_id"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            data[key] = list(refs[value]) if value in refs else "lost"
    if isinstance(data.get("excerpts"), list):
        data["excerpts"] = [list(refs[e]) if e in refs else "lost" for e in data["excerpts"]]
    if "memo_uid" in data:
        data.pop("memo", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def coder_rows(project: Project, coder: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``coder``: codings, reviews, memos, ratings, positions, events (in order)."""
    with project.store.engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM coders WHERE name = :n"), {"n": coder}).first()
        if found is None:
            return {
                k: [] for k in ("codings", "reviews", "memos", "ratings", "positions", "events")
            }
        who = {"c": int(found[0])}
        refs = _refs(conn)
        codings = sorted(
            (refs[e], code, origin, s, t, at, version)
            for e, code, origin, s, t, at, version in conn.execute(
                text(
                    "SELECT excerpt_id, code_id, origin, span_start, span_end, created_at, "
                    "codebook_version FROM codings WHERE coder_id = :c"
                ),
                who,
            )
        )
        reviews = sorted(
            (refs[e], at)
            for e, at in conn.execute(
                text("SELECT excerpt_id, reviewed_at FROM reviews WHERE coder_id = :c"), who
            )
        )
        memos = [
            (uid, None if e is None else refs[e], code, case, body, created, updated)
            for uid, e, code, case, body, created, updated in conn.execute(
                text(
                    "SELECT uid, excerpt_id, code_id, case_id, text, created_at, updated_at "
                    "FROM memos WHERE coder_id = :c ORDER BY id"
                ),
                who,
            )
        ]
        ratings = sorted(
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT case_id, attribute, value, rated_at FROM case_ratings "
                    "WHERE coder_id = :c"
                ),
                who,
            )
        )
        positions = sorted(
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT transcript_id, excerpt_seq, updated_at FROM positions "
                    "WHERE coder_id = :c"
                ),
                who,
            )
        )
        rows = conn.execute(
            text(
                "SELECT id, uid, at, kind, undoable, target_event, payload FROM events "
                "WHERE coder_id = :c ORDER BY id"
            ),
            who,
        ).all()
        uids = {int(row[0]): row[1] for row in rows}
        events = [
            (
                uid,
                at,
                kind,
                bool(undoable),
                None if target is None else uids[int(target)],
                _payload(payload, refs),
            )
            for _, uid, at, kind, undoable, target, payload in rows
        ]
    return {
        "codings": codings,
        "reviews": reviews,
        "memos": memos,
        "ratings": ratings,
        "positions": positions,
        "events": events,
    }


def all_coders(project: Project) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """``coder_rows`` for every coder that has a row anywhere."""
    with project.store.engine.connect() as conn:
        names = [
            str(n) for n in conn.execute(text("SELECT name FROM coders ORDER BY name")).scalars()
        ]
    return {name: coder_rows(project, name) for name in names}
