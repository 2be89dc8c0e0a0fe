"""Read-only queries over a project: by coder, transcript, code and case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from coder.domain.transcript import Excerpt, Role
from coder.errors import NotFoundError
from coder.store.schema import (
    case_attributes,
    case_ratings,
    cases,
    coders,
    codings,
    excerpts,
    memos,
    reviews,
    transcripts,
)

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class TranscriptInfo:
    """A transcript as listed on the home screen and by ``coder status``."""

    id: str
    """Transcript id."""
    case_id: str | None
    """Its case (participant)."""
    excerpts: int
    """Number of excerpts."""
    codable: int
    """Number of codable excerpts."""


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One coding with where it sits."""

    id: int
    """Database id."""
    transcript_id: str
    """Transcript id."""
    case_id: str | None
    """Case id."""
    excerpt_id: int
    """Excerpt database id."""
    seq: int
    """Excerpt number within its transcript."""
    code_id: str
    """Code id."""
    coder: str
    """Coder name."""
    origin: str
    """manual, suggestion, imported or consensus."""
    span: tuple[int, int] | None
    """Narrower span inside the excerpt, if any."""
    created_at: str
    """ISO time of creation."""


def list_transcripts(project: ProjectContext) -> list[TranscriptInfo]:
    """All transcripts in id order with excerpt counts."""
    query = (
        select(
            transcripts.c.id,
            transcripts.c.case_id,
            func.count(excerpts.c.id),
            # a sum over a Boolean column would come back as a Boolean: count with a CASE
            func.count(case((excerpts.c.codable.is_(True), 1))),
        )
        .select_from(transcripts.outerjoin(excerpts))
        .group_by(transcripts.c.id)
        .order_by(transcripts.c.id)
    )
    with project.store.read() as conn:
        return [TranscriptInfo(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(query)]


def transcript_text(project: ProjectContext, transcript_id: str) -> str:
    """The normalised text of a transcript."""
    with project.store.read() as conn:
        text = conn.execute(
            select(transcripts.c.text).where(transcripts.c.id == transcript_id)
        ).scalar_one_or_none()
    if text is None:
        raise NotFoundError(f"unknown transcript {transcript_id!r}")
    return str(text)


def excerpt_text(project: ProjectContext, excerpt_id: int) -> str:
    """The text of one excerpt, by database id; ``NotFoundError`` for an unknown id."""
    with project.store.read() as conn:
        row = conn.execute(
            select(excerpts.c.start, excerpts.c.end, transcripts.c.text)
            .join(transcripts, transcripts.c.id == excerpts.c.transcript_id)
            .where(excerpts.c.id == excerpt_id)
        ).first()
    if row is None:
        raise NotFoundError(f"unknown excerpt id {excerpt_id}")
    return str(row[2])[row[0] : row[1]]


def load_excerpts(project: ProjectContext, transcript_id: str) -> list[Excerpt]:
    """The excerpts of one transcript, in order, with their text."""
    text = transcript_text(project, transcript_id)
    with project.store.read() as conn:
        rows = conn.execute(
            select(excerpts)
            .where(excerpts.c.transcript_id == transcript_id)
            .order_by(excerpts.c.seq)
        ).all()
    return [
        Excerpt(
            id=row.id,
            transcript_id=transcript_id,
            seq=row.seq,
            start=row.start,
            end=row.end,
            speaker=row.speaker,
            role=Role(row.role),
            codable=bool(row.codable),
            text=text[row.start : row.end],
            start_time=row.start_time,
            end_time=row.end_time,
        )
        for row in rows
    ]


def coder_codings_by_excerpt(
    project: ProjectContext, coder: str, transcript_id: str
) -> dict[int, list[tuple[str, tuple[int, int] | None]]]:
    """This coder's codings in one transcript: excerpt id -> [(code id, span)]."""
    who = project.store.existing_coder(coder)
    if who is None:
        return {}
    # An IN over the transcript's excerpts lets SQLite probe (coder, excerpt) in the identity
    # index per excerpt; a join would walk every coding the coder ever made.
    in_transcript = select(excerpts.c.id).where(excerpts.c.transcript_id == transcript_id)
    query = (
        select(codings.c.excerpt_id, codings.c.code_id, codings.c.span_start, codings.c.span_end)
        .where(codings.c.coder_id == who, codings.c.excerpt_id.in_(in_transcript))
        .order_by(codings.c.id)
    )
    result: dict[int, list[tuple[str, tuple[int, int] | None]]] = {}
    with project.store.read() as conn:
        for excerpt_id, code_id, start, end in conn.execute(query):
            span = None if start is None else (int(start), int(end))
            result.setdefault(int(excerpt_id), []).append((str(code_id), span))
    return result


def reviewed_excerpts(
    project: ProjectContext, coder: str, transcript_id: str | None = None
) -> set[int]:
    """Ids of excerpts this coder has reviewed (in one transcript, or all)."""
    who = project.store.existing_coder(coder)
    if who is None:
        return set()
    query = select(reviews.c.excerpt_id).where(reviews.c.coder_id == who)
    if transcript_id is not None:
        query = query.join(excerpts, excerpts.c.id == reviews.c.excerpt_id).where(
            excerpts.c.transcript_id == transcript_id
        )
    with project.store.read() as conn:
        return {int(value) for value in conn.execute(query).scalars()}


def find_codings(
    project: ProjectContext,
    *,
    coder: str | None = None,
    transcript: str | None = None,
    code: str | None = None,
    case: str | None = None,
) -> list[CodingRow]:
    """Codings filtered by any of coder, transcript, code and case."""
    query = (
        select(
            codings.c.id,
            excerpts.c.transcript_id,
            transcripts.c.case_id,
            codings.c.excerpt_id,
            excerpts.c.seq,
            codings.c.code_id,
            coders.c.name,
            codings.c.origin,
            codings.c.span_start,
            codings.c.span_end,
            codings.c.created_at,
        )
        .join(excerpts, excerpts.c.id == codings.c.excerpt_id)
        .join(transcripts, transcripts.c.id == excerpts.c.transcript_id)
        .join(coders, coders.c.id == codings.c.coder_id)
        .order_by(excerpts.c.transcript_id, excerpts.c.seq, codings.c.id)
    )
    if coder is not None:
        query = query.where(coders.c.name == coder)
    if transcript is not None:
        query = query.where(excerpts.c.transcript_id == transcript)
    if code is not None:
        query = query.where(codings.c.code_id == code)
    if case is not None:
        query = query.where(transcripts.c.case_id == case)
    with project.store.read() as conn:
        return [
            CodingRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                None if r[8] is None else (int(r[8]), int(r[9])),
                r[10],
            )
            for r in conn.execute(query)
        ]


def case_attribute_values(project: ProjectContext) -> dict[str, dict[str, str | None]]:
    """Case id -> attribute -> value, from cases.csv."""
    result: dict[str, dict[str, str | None]] = {}
    with project.store.read() as conn:
        for case_id in conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars():
            result[str(case_id)] = {}
        for case_id, attribute, value in conn.execute(select(case_attributes)):
            result.setdefault(str(case_id), {})[str(attribute)] = value
    return result


def ratings(
    project: ProjectContext, *, coder: str | None = None, case: str | None = None
) -> list[dict[str, Any]]:
    """Case ratings as dicts with case, attribute, coder, value."""
    query = (
        select(
            case_ratings.c.case_id, case_ratings.c.attribute, coders.c.name, case_ratings.c.value
        )
        .join(coders, coders.c.id == case_ratings.c.coder_id)
        .order_by(case_ratings.c.case_id, case_ratings.c.attribute, coders.c.name)
    )
    if coder is not None:
        query = query.where(coders.c.name == coder)
    if case is not None:
        query = query.where(case_ratings.c.case_id == case)
    with project.store.read() as conn:
        return [
            {"case": r[0], "attribute": r[1], "coder": r[2], "value": r[3]}
            for r in conn.execute(query)
        ]


def find_memos(
    project: ProjectContext, *, coder: str | None = None, excerpt_id: int | None = None
) -> list[dict[str, Any]]:
    """Memos as dicts, optionally by coder and excerpt."""
    query = select(memos, coders.c.name.label("coder")).join(coders).order_by(memos.c.id)
    if coder is not None:
        query = query.where(coders.c.name == coder)
    if excerpt_id is not None:
        query = query.where(memos.c.excerpt_id == excerpt_id)
    with project.store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def _count_by_coder(conn: Connection, column: Any) -> dict[int, int]:
    query = select(column, func.count()).group_by(column)
    return {int(coder_id): int(count) for coder_id, count in conn.execute(query)}


def status(project: ProjectContext) -> dict[str, Any]:
    """Counts for ``coder status``; the JSON layout is documented in the README.

    ``{"project", "transcripts", "excerpts", "codable_excerpts", "cases", "coders": {name:
    {"codings", "reviewed", "ratings"}}}``; every registered coder is listed, in name order.
    """

    def count(table: Any, *where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

    with project.store.read() as conn:
        result: dict[str, Any] = {
            "project": project.settings.name,
            "transcripts": count(transcripts),
            "excerpts": count(excerpts),
            "codable_excerpts": count(excerpts, excerpts.c.codable.is_(True)),
            "cases": count(cases),
            "coders": {},
        }
        coding_counts = _count_by_coder(conn, codings.c.coder_id)
        review_counts = _count_by_coder(conn, reviews.c.coder_id)
        rating_counts = _count_by_coder(conn, case_ratings.c.coder_id)
        for coder_id, name in conn.execute(
            select(coders.c.id, coders.c.name).order_by(coders.c.name)
        ):
            result["coders"][str(name)] = {
                "codings": coding_counts.get(coder_id, 0),
                "reviewed": review_counts.get(coder_id, 0),
                "ratings": rating_counts.get(coder_id, 0),
            }
    return result
