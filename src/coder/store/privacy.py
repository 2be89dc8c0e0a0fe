"""Pseudonymisation in the database: rewrite every text and move every offset, in one transaction.

``pseudonymise`` replaces transcript text through an ``OffsetMap`` per transcript and re-maps
what points into it (excerpt bounds, coded spans, the spans in the undo log); memos, case
attribute values and event payloads (memo history, file names) go through the same replacement.
``scrub`` then rewrites the file (VACUUM, WAL truncated), so no page of the old text stays on disk.
The project's privacy id (which key belongs to it) is kept as an event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from coder.store.operations import log_event
from coder.store.schema import case_attributes, codings, events, excerpts, memos, transcripts

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from coder.domain.offset_map import OffsetMap
    from coder.store.context import ProjectContext

LINK_EVENT = "privacy.key_linked"
APPLY_EVENT = "privacy.applied"


@dataclass(frozen=True, slots=True)
class PseudonymiseCounts:
    """What a pseudonymisation changed."""

    transcripts: int
    """Transcripts whose text changed."""
    replacements: int
    """Words replaced in transcript text."""
    excerpts: int
    """Excerpts whose bounds moved."""
    spans: int
    """Coded spans re-mapped."""
    memos: int
    """Memos rewritten."""
    attributes: int
    """Case attribute values rewritten."""
    events: int
    """Event payloads rewritten."""

    def to_dict(self) -> dict[str, int]:
        """Plain data."""
        return {name: getattr(self, name) for name in self.__slots__}


def transcript_texts(project: ProjectContext) -> dict[str, str]:
    """Transcript id -> text, in id order."""
    with project.store.read() as conn:
        rows = conn.execute(select(transcripts.c.id, transcripts.c.text).order_by(transcripts.c.id))
        return {str(row.id): str(row.text) for row in rows}


def privacy_project_id(project: ProjectContext) -> str | None:
    """The id of the privacy key this project is linked to, or None."""
    with project.store.read() as conn:
        payload = conn.execute(
            select(events.c.payload)
            .where(events.c.kind == LINK_EVENT)
            .order_by(events.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()
    return None if payload is None else str(json.loads(payload)["project_id"])


def link_privacy_key(project: ProjectContext, project_id: str) -> None:
    """Record that the key with ``project_id`` belongs to this project."""
    with project.store.write() as conn:
        log_event(conn, None, LINK_EVENT, {"project_id": project_id})


def _rewrite_json(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_rewrite_json(item, replace) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite_json(item, replace) for key, item in value.items()}
    return value


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _transcripts(
    conn: Connection, rewrite: Callable[[str], OffsetMap], replace: Callable[[str], str]
) -> tuple[dict[int, OffsetMap], list[int]]:
    """Rewrite transcript text and bounds; returns excerpt id -> its transcript's map, counts."""
    maps: dict[int, OffsetMap] = {}
    changed = replaced = moved = spans = 0
    rows = conn.execute(select(transcripts.c.id, transcripts.c.text, transcripts.c.source_name))
    for row in rows.all():
        mapping = rewrite(row.text)
        if not mapping.changed:
            continue
        changed += 1
        replaced += len(mapping.replacements)
        conn.execute(
            update(transcripts)
            .where(transcripts.c.id == row.id)
            .values(text=mapping.new, source_name=replace(row.source_name))
        )
        parts = conn.execute(
            select(excerpts.c.id, excerpts.c.start, excerpts.c.end, excerpts.c.speaker).where(
                excerpts.c.transcript_id == row.id
            )
        ).all()
        for part in parts:
            maps[int(part.id)] = mapping
            start, end = mapping.span(part.start, part.end)
            if (start, end) != (part.start, part.end):
                moved += 1
            conn.execute(
                update(excerpts)
                .where(excerpts.c.id == part.id)
                .values(
                    start=start,
                    end=end,
                    text_sha=_sha(mapping.new[start:end]),
                    speaker=None if part.speaker is None else replace(part.speaker),
                )
            )
        coded = conn.execute(
            select(codings.c.id, codings.c.span_start, codings.c.span_end).where(
                codings.c.excerpt_id.in_([part.id for part in parts]),
                codings.c.span_start.is_not(None),
            )
        ).all()
        for coding in coded:
            start, end = mapping.span(coding.span_start, coding.span_end)
            spans += 1
            conn.execute(
                update(codings)
                .where(codings.c.id == coding.id)
                .values(span_start=start, span_end=end)
            )
    return maps, [changed, replaced, moved, spans]


def _texts(conn: Connection, replace: Callable[[str], str]) -> tuple[int, int]:
    memo_count = attribute_count = 0
    for memo in conn.execute(select(memos.c.id, memos.c.text)).all():
        new = replace(memo.text)
        if new != memo.text:
            memo_count += 1
            conn.execute(update(memos).where(memos.c.id == memo.id).values(text=new))
    query = select(case_attributes.c.case_id, case_attributes.c.attribute, case_attributes.c.value)
    for item in conn.execute(query.where(case_attributes.c.value.is_not(None))).all():
        new = replace(item.value)
        if new != item.value:
            attribute_count += 1
            conn.execute(
                update(case_attributes)
                .where(
                    case_attributes.c.case_id == item.case_id,
                    case_attributes.c.attribute == item.attribute,
                )
                .values(value=new)
            )
    return memo_count, attribute_count


def _events(conn: Connection, maps: dict[int, OffsetMap], replace: Callable[[str], str]) -> int:
    count = 0
    for event in conn.execute(select(events.c.id, events.c.kind, events.c.payload)).all():
        payload = json.loads(event.payload)
        new = _rewrite_json(payload, replace)
        span = payload.get("span") if isinstance(payload, dict) else None
        mapping = (
            maps.get(payload.get("excerpt", -1)) if span and isinstance(payload, dict) else None
        )
        if mapping is not None and span is not None:
            new["span"] = list(mapping.span(int(span[0]), int(span[1])))
        if new != payload:
            count += 1
            text = json.dumps(new, ensure_ascii=False)
            conn.execute(update(events).where(events.c.id == event.id).values(payload=text))
    return count


def pseudonymise(
    project: ProjectContext,
    rewrite: Callable[[str], OffsetMap],
    replace: Callable[[str], str],
    about: dict[str, Any],
) -> PseudonymiseCounts:
    """Rewrite the whole project in one transaction; ``about`` goes into the event (no names)."""
    with project.store.write() as conn:
        if not project.store.is_postgres:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        maps, (changed, replaced, moved, spans) = _transcripts(conn, rewrite, replace)
        memo_count, attribute_count = _texts(conn, replace)
        event_count = _events(conn, maps, replace)
        counts = PseudonymiseCounts(
            changed, replaced, moved, spans, memo_count, attribute_count, event_count
        )
        log_event(conn, None, APPLY_EVENT, about | counts.to_dict())
    scrub(project)
    return counts


def scrub(project: ProjectContext) -> None:
    """Rewrite the database file so no freed page keeps old text: VACUUM, WAL truncated.

    On PostgreSQL, ``VACUUM FULL`` rewrites the tables into new files (the server's WAL and
    backups are the server administrator's).
    """
    if project.store.is_postgres:
        with project.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM FULL")
        return
    raw = project.store.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
