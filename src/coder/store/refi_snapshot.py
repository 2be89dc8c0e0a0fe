"""What a REFI-QDA export reads from the project database, in one read transaction.

``refi_snapshot(project)`` opens one read transaction and yields a ``RefiSnapshot`` whose
methods return plain rows (dataclasses, strings, tuples), so an export sees one consistent state
of the project even while a coder keeps working, and ``coder.refi`` never sees SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.engine import Connection

from coder.domain.coders import MODEL
from coder.store.schema import (
    case_attributes,
    case_ratings,
    cases,
    coders,
    codings,
    events,
    excerpts,
    memos,
    transcripts,
)

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    """A transcript as the export lists it."""

    id: str
    """Transcript id."""
    case_id: str | None
    """Its case."""
    language: str
    """Its language."""


@dataclass(frozen=True, slots=True)
class CodedRange:
    """One coder's coding of one range of a transcript."""

    start: int
    """First code point (the span's, else the excerpt's)."""
    end: int
    """One past the last code point."""
    code_id: str
    """The code."""
    coder: str
    """The coder's name."""
    created_at: str
    """ISO time the coding was made."""


@dataclass(frozen=True, slots=True)
class MemoRow:
    """A memo and what it is about."""

    id: int
    """Database id (its GUID is derived from it)."""
    coder: str
    """Who wrote it."""
    text: str
    """The memo."""
    created_at: str
    """ISO time written."""
    updated_at: str
    """ISO time last edited."""
    transcript_id: str | None = None
    """For an excerpt memo: the excerpt's transcript."""
    start: int | None = None
    """For an excerpt memo: the excerpt's start."""
    end: int | None = None
    """For an excerpt memo: the excerpt's end."""
    code_id: str | None = None
    """For a code memo: the code."""
    case_id: str | None = None
    """For a case memo: the case."""


@contextmanager
def refi_snapshot(
    project: ProjectContext, *, include_model: bool = False
) -> Iterator[RefiSnapshot]:
    """The project as one read transaction; ``model``'s codings, ratings and memos if asked."""
    with project.store.read() as conn, conn.begin():
        yield RefiSnapshot(conn, include_model=include_model)


class RefiSnapshot:
    """Queries inside one read transaction (made by ``refi_snapshot``), returning plain rows."""

    def __init__(self, conn: Connection, *, include_model: bool = False) -> None:
        self._conn = conn
        self._include_model = include_model

    def _coder_filter(self) -> ColumnElement[bool]:
        return true() if self._include_model else coders.c.name != MODEL

    def coders(self) -> list[str]:
        """Coder names, sorted (without ``model`` unless included)."""
        query = select(coders.c.name).where(self._coder_filter()).order_by(coders.c.name)
        return [str(name) for name in self._conn.execute(query).scalars()]

    def transcripts(self) -> list[TranscriptRow]:
        """All transcripts in id order."""
        query = select(transcripts.c.id, transcripts.c.case_id, transcripts.c.language)
        return [
            TranscriptRow(str(r.id), r.case_id, str(r.language))
            for r in self._conn.execute(query.order_by(transcripts.c.id))
        ]

    def text(self, transcript_id: str) -> str:
        """A transcript's normalised text."""
        query = select(transcripts.c.text).where(transcripts.c.id == transcript_id)
        return str(self._conn.execute(query).scalar_one())

    def codings(self, transcript_id: str) -> list[CodedRange]:
        """A transcript's codings by range, coder and code."""
        start = func.coalesce(codings.c.span_start, excerpts.c.start)
        end = func.coalesce(codings.c.span_end, excerpts.c.end)
        query = (
            select(start, end, codings.c.code_id, coders.c.name, codings.c.created_at)
            .join(excerpts, excerpts.c.id == codings.c.excerpt_id)
            .join(coders, coders.c.id == codings.c.coder_id)
            .where(excerpts.c.transcript_id == transcript_id, self._coder_filter())
            .order_by(start, end, coders.c.name, codings.c.code_id)
        )
        return [
            CodedRange(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]))
            for r in self._conn.execute(query)
        ]

    def memos(self) -> list[MemoRow]:
        """Every memo in id order, with its excerpt's range for excerpt memos."""
        query = (
            select(
                memos.c.id,
                coders.c.name,
                memos.c.text,
                memos.c.created_at,
                memos.c.updated_at,
                excerpts.c.transcript_id,
                excerpts.c.start,
                excerpts.c.end,
                memos.c.code_id,
                memos.c.case_id,
            )
            .join(coders, coders.c.id == memos.c.coder_id)
            .outerjoin(excerpts, excerpts.c.id == memos.c.excerpt_id)
            .where(self._coder_filter())
            .order_by(memos.c.id)
        )
        return [
            MemoRow(
                id=int(r[0]),
                coder=str(r[1]),
                text=str(r[2]),
                created_at=str(r[3]),
                updated_at=str(r[4]),
                transcript_id=r[5],
                start=r[6],
                end=r[7],
                code_id=r[8],
                case_id=r[9],
            )
            for r in self._conn.execute(query)
        ]

    def cases(self) -> list[str]:
        """Case ids, sorted."""
        return [
            str(c) for c in self._conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars()
        ]

    def attributes(self) -> dict[str, dict[str, str]]:
        """Case id -> attribute -> value (set values only)."""
        result: dict[str, dict[str, str]] = {}
        query = select(case_attributes).where(case_attributes.c.value.isnot(None))
        for case_id, attribute, value in self._conn.execute(query):
            result.setdefault(str(case_id), {})[str(attribute)] = str(value)
        return result

    def ratings(self) -> list[tuple[str, str, str, str]]:
        """(case, attribute, coder, value) of every rating, sorted."""
        query = (
            select(
                case_ratings.c.case_id,
                case_ratings.c.attribute,
                coders.c.name,
                case_ratings.c.value,
            )
            .join(coders, coders.c.id == case_ratings.c.coder_id)
            .where(self._coder_filter())
            .order_by(case_ratings.c.case_id, case_ratings.c.attribute, coders.c.name)
        )
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in self._conn.execute(query)]

    def event_span(self) -> tuple[str | None, str | None]:
        """Times of the first and the last event: the project's creation and last change."""
        first, last = self._conn.execute(select(func.min(events.c.at), func.max(events.c.at))).one()
        return first, last
