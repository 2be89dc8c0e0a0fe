"""Reads for ``coder team``: the project a hand-out carries, and one coder's work as plain rows.

Excerpts are named by ``[transcript id, start, end]`` and memos and events by their uid
(``coder.domain.coder_work``), so the rows mean the same thing in every copy of a project. The
functions taking a connection are shared with ``team_writes`` (a merge reads the lead's rows in
its own write transaction).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from coder.domain.coder_work import CoderWork, Row
from coder.store.schema import (
    case_attributes,
    case_ratings,
    cases,
    coders,
    codings,
    events,
    excerpts,
    memos,
    new_uid,
    positions,
    reviews,
    transcripts,
)
from coder.store.team_payloads import payload_out

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

SKELETON = {
    "transcripts": transcripts,
    "excerpts": excerpts,
    "cases": cases,
    "case_attributes": case_attributes,
}
"""The tables a hand-out copies whole (no coder's work is in them)."""


def excerpt_refs(conn: Connection) -> dict[int, list[Any]]:
    """Excerpt id -> ``[transcript id, start, end]`` for every excerpt."""
    query = select(excerpts.c.id, excerpts.c.transcript_id, excerpts.c.start, excerpts.c.end)
    return {int(i): [str(t), int(s), int(e)] for i, t, s, e in conn.execute(query)}


def text_digests(conn: Connection) -> dict[str, str]:
    """Transcript id -> SHA-256 of its normalised text."""
    query = select(transcripts.c.id, transcripts.c.text)
    return {
        str(tid): hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        for tid, text in conn.execute(query)
    }


def fill_missing_uids(project: ProjectContext) -> None:
    """Give a uid to any memo or event written without one (by a bulk path); usually none."""
    with project.store.write() as conn:
        for table in (memos, events):
            missing = conn.execute(select(table.c.id).where(table.c.uid.is_(None))).scalars()
            for row_id in list(missing):
                conn.execute(update(table).where(table.c.id == row_id).values(uid=new_uid()))


def read_skeleton(project: ProjectContext) -> dict[str, list[Row]]:
    """The hand-out's tables: transcripts with their text, excerpts, cases and case facts."""
    with project.store.read() as conn:
        return {
            name: [dict(row._mapping) for row in conn.execute(select(table))]
            for name, table in SKELETON.items()
        }


def human_coders(project: ProjectContext) -> list[str]:
    """Names of the project's human coders."""
    with project.store.read() as conn:
        query = select(coders.c.name).where(coders.c.kind == "human").order_by(coders.c.name)
        return [str(name) for name in conn.execute(query).scalars()]


def coder_row_id(conn: Connection, name: str) -> int | None:
    """The local id of coder ``name``, or None."""
    found = conn.execute(select(coders.c.id).where(coders.c.name == name)).scalar_one_or_none()
    return None if found is None else int(found)


CODING_EXTRAS = tuple(name for name in ("codebook_version",) if name in codings.c)
"""Further columns of a coding that travel as they are (the codebook version it was made under,
where the schema records one)."""


def read_work(conn: Connection, name: str, refs: dict[int, list[Any]]) -> CoderWork:
    """Coder ``name``'s work (empty when the coder is unknown) with excerpts as refs."""
    work = CoderWork(name)
    who = coder_row_id(conn, name)
    if who is None:
        return work
    query = (
        select(
            codings.c.excerpt_id,
            codings.c.code_id,
            codings.c.origin,
            codings.c.span_start,
            codings.c.span_end,
            codings.c.created_at,
            *(codings.c[name] for name in CODING_EXTRAS),
        )
        .where(codings.c.coder_id == who)
        .order_by(codings.c.id)
    )
    work.codings = [
        {
            "excerpt": refs[e],
            "code": c,
            "origin": o,
            "span": None if s is None else [s, t],
            "created_at": at,
            **dict(zip(CODING_EXTRAS, extra, strict=True)),
        }
        for e, c, o, s, t, at, *extra in conn.execute(query)
    ]
    marks = select(reviews.c.excerpt_id, reviews.c.reviewed_at).where(reviews.c.coder_id == who)
    work.reviews = [
        {"excerpt": refs[int(mark.excerpt_id)], "reviewed_at": mark.reviewed_at}
        for mark in conn.execute(marks.order_by(reviews.c.excerpt_id))
    ]
    query = select(memos).where(memos.c.coder_id == who).order_by(memos.c.id)
    work.memos = [
        {
            "uid": m.uid,
            "excerpt": None if m.excerpt_id is None else refs[m.excerpt_id],
            "code": m.code_id,
            "case": m.case_id,
            "text": m.text,
            "created_at": m.created_at,
            "updated_at": m.updated_at,
        }
        for m in conn.execute(query)
    ]
    query = select(case_ratings).where(case_ratings.c.coder_id == who)
    work.ratings = [
        {"case": r.case_id, "attribute": r.attribute, "value": r.value, "rated_at": r.rated_at}
        for r in conn.execute(query.order_by(case_ratings.c.case_id, case_ratings.c.attribute))
    ]
    query = select(positions).where(positions.c.coder_id == who)
    work.positions = [
        {"transcript": p.transcript_id, "seq": p.excerpt_seq, "updated_at": p.updated_at}
        for p in conn.execute(query.order_by(positions.c.transcript_id))
    ]
    work.events = _events(conn, who, refs)
    return work


def _events(conn: Connection, who: int, refs: dict[int, list[Any]]) -> list[Row]:
    query = select(events).where(events.c.coder_id == who).order_by(events.c.id)
    rows = conn.execute(query).all()
    uids = {int(row.id): row.uid for row in rows}
    return [
        {
            "uid": row.uid,
            "at": row.at,
            "kind": row.kind,
            "undoable": bool(row.undoable),
            "target": None if row.target_event is None else uids.get(int(row.target_event)),
            "payload": payload_out(json.loads(row.payload), refs),
        }
        for row in rows
    ]


def coder_work(project: ProjectContext, name: str) -> tuple[CoderWork, dict[str, str]]:
    """Coder ``name``'s work and the digests of the transcripts it may point into."""
    with project.store.read() as conn:
        return read_work(conn, name, excerpt_refs(conn)), text_digests(conn)


def team_records(conn: Connection, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Payloads of the project's ``team.*`` events of ``kinds``, oldest first."""
    query = select(events.c.payload).where(events.c.kind.in_(kinds)).order_by(events.c.id)
    return [dict(json.loads(payload)) for payload in conn.execute(query).scalars()]


def last_team_record(project: ProjectContext, coder: str) -> dict[str, Any] | None:
    """The latest hand-out or merge recorded for ``coder``, or None."""
    with project.store.read() as conn:
        found = [r for r in team_records(conn, TEAM_KINDS) if r.get("coder") == coder]
    return found[-1] if found else None


TEAM_KINDS = ("team.handout", "team.merged")
"""Events (no coder) recording a hand-out of a coder's copy and a merge of their return."""
