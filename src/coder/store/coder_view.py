"""Queries for one coder's view (the TUI): positions, counts, codes on an excerpt, progress.

Everything here is filtered by coder: blind coding means no other coder's work is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, case, delete, func, insert, select

from coder.store.database import now
from coder.store.schema import (
    case_ratings,
    codings,
    excerpts,
    positions,
    reviews,
    transcripts,
)

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

Span = tuple[int, int] | None


def save_position(project: ProjectContext, coder: str, transcript_id: str, seq: int) -> None:
    """Remember where the coder is in a transcript (committed at once)."""
    who = project.store.coder_id(coder)
    with project.store.write() as conn:
        conn.execute(
            delete(positions).where(
                and_(positions.c.coder_id == who, positions.c.transcript_id == transcript_id)
            )
        )
        conn.execute(
            insert(positions).values(
                coder_id=who, transcript_id=transcript_id, excerpt_seq=seq, updated_at=now()
            )
        )


def load_position(project: ProjectContext, coder: str, transcript_id: str) -> int | None:
    """The excerpt number where the coder left a transcript, if any."""
    who = project.store.existing_coder(coder)
    if who is None:
        return None
    with project.store.read() as conn:
        value = conn.execute(
            select(positions.c.excerpt_seq).where(
                positions.c.coder_id == who, positions.c.transcript_id == transcript_id
            )
        ).scalar_one_or_none()
    return None if value is None else int(value)


def last_transcript(project: ProjectContext, coder: str) -> str | None:
    """The transcript the coder worked in most recently."""
    who = project.store.existing_coder(coder)
    if who is None:
        return None
    with project.store.read() as conn:
        value = conn.execute(
            select(positions.c.transcript_id)
            .where(positions.c.coder_id == who)
            .order_by(positions.c.updated_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    return None if value is None else str(value)


def transcript_case(project: ProjectContext, transcript_id: str) -> str | None:
    """The case id of a transcript."""
    with project.store.read() as conn:
        value = conn.execute(
            select(transcripts.c.case_id).where(transcripts.c.id == transcript_id)
        ).scalar_one_or_none()
    return None if value is None else str(value)


def coder_code_counts(project: ProjectContext, coder: str) -> dict[str, int]:
    """This coder's number of codings per code, across the project."""
    who = project.store.existing_coder(coder)
    if who is None:
        return {}
    with project.store.read() as conn:
        rows = conn.execute(
            select(codings.c.code_id, func.count())
            .where(codings.c.coder_id == who)
            .group_by(codings.c.code_id)
        )
        return {str(code): int(count) for code, count in rows}


def coder_codings_for_excerpt(
    project: ProjectContext, coder: str, excerpt_id: int
) -> list[tuple[str, Span]]:
    """This coder's (code, span) pairs on one excerpt, in the order applied."""
    who = project.store.existing_coder(coder)
    if who is None:
        return []
    with project.store.read() as conn:
        rows = conn.execute(
            select(codings.c.code_id, codings.c.span_start, codings.c.span_end)
            .where(codings.c.coder_id == who, codings.c.excerpt_id == excerpt_id)
            .order_by(codings.c.id)
        )
        return [
            (str(code), None if start is None else (int(start), int(end)))
            for code, start, end in rows
        ]


def coder_progress(project: ProjectContext, coder: str) -> dict[str, tuple[int, int]]:
    """Transcript id -> (reviewed codable excerpts, codable excerpts) for this coder."""
    who = project.store.existing_coder(coder)
    reviewed = select(reviews.c.excerpt_id).where(reviews.c.coder_id == who).scalar_subquery()
    query = (
        select(
            excerpts.c.transcript_id,
            func.sum(case((excerpts.c.id.in_(reviewed), 1), else_=0)),
            func.count(),
        )
        .where(excerpts.c.codable.is_(True))
        .group_by(excerpts.c.transcript_id)
    )
    with project.store.read() as conn:
        return {str(t): (int(r or 0), int(n)) for t, r, n in conn.execute(query)}


def coder_ratings(project: ProjectContext, coder: str) -> dict[str, dict[str, str]]:
    """Case id -> attribute -> this coder's rating."""
    who = project.store.existing_coder(coder)
    if who is None:
        return {}
    result: dict[str, dict[str, str]] = {}
    with project.store.read() as conn:
        rows = conn.execute(
            select(case_ratings.c.case_id, case_ratings.c.attribute, case_ratings.c.value).where(
                case_ratings.c.coder_id == who
            )
        )
        for case_id, attribute, value in rows:
            result.setdefault(str(case_id), {})[str(attribute)] = str(value)
    return result


def coder_memo_on_excerpt(
    project: ProjectContext, coder: str, excerpt_id: int
) -> tuple[int, str] | None:
    """This coder's (latest) memo on an excerpt: (memo id, text)."""
    from coder.store.schema import memos

    who = project.store.existing_coder(coder)
    if who is None:
        return None
    with project.store.read() as conn:
        row = conn.execute(
            select(memos.c.id, memos.c.text)
            .where(memos.c.coder_id == who, memos.c.excerpt_id == excerpt_id)
            .order_by(memos.c.id.desc())
            .limit(1)
        ).one_or_none()
    return None if row is None else (int(row.id), str(row.text))


def coder_memo_excerpts(project: ProjectContext, coder: str, transcript_id: str) -> set[int]:
    """Excerpt ids in a transcript that carry a memo by this coder."""
    from coder.store.schema import memos

    who = project.store.existing_coder(coder)
    if who is None:
        return set()
    with project.store.read() as conn:
        rows = conn.execute(
            select(memos.c.excerpt_id)
            .join(excerpts, excerpts.c.id == memos.c.excerpt_id)
            .where(memos.c.coder_id == who, excerpts.c.transcript_id == transcript_id)
        )
        return {int(value) for value in rows.scalars()}


def coder_rejections(
    project: ProjectContext, coder: str, transcript_id: str
) -> set[tuple[int, str]]:
    """(excerpt id, code) suggestions this coder rejected in a transcript, in any session
    (rejections the coder undid are not among them)."""
    import json

    from coder.domain.events import SUGGESTION_REJECTED
    from coder.store.history import undone_events
    from coder.store.schema import events

    who = project.store.existing_coder(coder)
    if who is None:
        return set()
    with project.store.read() as conn:
        ids = set(
            conn.execute(
                select(excerpts.c.id).where(excerpts.c.transcript_id == transcript_id)
            ).scalars()
        )
        undone = undone_events(conn, [who])
        rows = conn.execute(
            select(events.c.id, events.c.payload).where(
                events.c.coder_id == who, events.c.kind == SUGGESTION_REJECTED
            )
        )
        found: set[tuple[int, str]] = set()
        for event_id, payload in rows:
            if event_id in undone:
                continue
            data = json.loads(payload)
            if data.get("excerpt") in ids and isinstance(data.get("code"), str):
                found.add((int(data["excerpt"]), str(data["code"])))
    return found


def coder_memo_texts(project: ProjectContext, coder: str, transcript_id: str) -> dict[int, str]:
    """Excerpt id -> this coder's (latest) memo text, for the excerpts of a transcript."""
    from coder.store.schema import memos

    who = project.store.existing_coder(coder)
    if who is None:
        return {}
    with project.store.read() as conn:
        rows = conn.execute(
            select(memos.c.excerpt_id, memos.c.text)
            .join(excerpts, excerpts.c.id == memos.c.excerpt_id)
            .where(memos.c.coder_id == who, excerpts.c.transcript_id == transcript_id)
            .order_by(memos.c.id)
        )
        return {int(excerpt_id): str(text) for excerpt_id, text in rows}


def coder_memo_for(
    project: ProjectContext, coder: str, *, code_id: str | None = None, case_id: str | None = None
) -> tuple[int, str] | None:
    """This coder's (latest) memo on a code, a case, or (neither given) the project."""
    from coder.store.schema import memos

    who = project.store.existing_coder(coder)
    if who is None:
        return None
    query = select(memos.c.id, memos.c.text).where(
        memos.c.coder_id == who,
        memos.c.excerpt_id.is_(None),
        memos.c.code_id.is_(None) if code_id is None else memos.c.code_id == code_id,
        memos.c.case_id.is_(None) if case_id is None else memos.c.case_id == case_id,
    )
    with project.store.read() as conn:
        row = conn.execute(query.order_by(memos.c.id.desc()).limit(1)).one_or_none()
    return None if row is None else (int(row.id), str(row.text))


def coder_memo_list(project: ProjectContext, coder: str) -> list[dict[str, object]]:
    """Every memo of this coder: kind (excerpt, code, case, project), where, text; in order.

    Excerpt memos carry their transcript and excerpt number, to jump to them.
    """
    from coder.store.schema import memos

    who = project.store.existing_coder(coder)
    if who is None:
        return []
    query = (
        select(
            memos.c.id,
            memos.c.excerpt_id,
            memos.c.code_id,
            memos.c.case_id,
            memos.c.text,
            memos.c.updated_at,
            excerpts.c.transcript_id,
            excerpts.c.seq,
        )
        .outerjoin(excerpts, excerpts.c.id == memos.c.excerpt_id)
        .where(memos.c.coder_id == who)
        .order_by(excerpts.c.transcript_id, excerpts.c.seq, memos.c.id)
    )
    found: list[dict[str, object]] = []
    with project.store.read() as conn:
        for row in conn.execute(query):
            kind = (
                "excerpt"
                if row.excerpt_id is not None
                else "code"
                if row.code_id is not None
                else "case"
                if row.case_id is not None
                else "project"
            )
            found.append({"kind": kind, **dict(row._mapping)})
    return found
