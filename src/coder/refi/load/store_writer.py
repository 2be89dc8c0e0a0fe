"""Storing an imported REFI-QDA project through the store's own import paths.

Transcripts go through ``import_transcript`` (read, normalise, cut into excerpts), codings
through ``import_codings`` and case attributes through ``import_cases`` (both validate every
row first and store all rows in one transaction), so an imported project is exactly what the
same files imported by hand would give. Ratings and memos, which have no bulk path, are
written in one transaction with one ``refi.imported`` event (not as undoable user actions).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from coder.errors import CoderError
from coder.refi.load.excerpt_index import ExcerptIndex, ExcerptRange
from coder.refi.load.staging import StagedProject
from coder.store.schema import excerpts, memos, transcripts

if TYPE_CHECKING:
    from coder.project.project import Project

CODINGS_FILE = ".coder/refi-codings.csv"
"""Temporary CSV of the codings, removed after the import."""


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One coding to store: the excerpt's number, or a span of it."""

    transcript: str
    """Transcript id."""
    seq: int
    """Excerpt number."""
    span: tuple[int, int] | None
    """The coded span, or None for the whole excerpt."""
    code: str
    """Code id."""
    coder: str
    """Coder name."""
    origin: str
    """imported or consensus."""


@dataclass(frozen=True, slots=True)
class MemoRow:
    """One memo to store (exactly one target, or none for a project memo)."""

    coder: str
    """Who wrote it."""
    text: str
    """The memo."""
    created_at: str
    """When."""
    excerpt_id: int | None = None
    """Excerpt memo."""
    code_id: str | None = None
    """Code memo."""
    case_id: str | None = None
    """Case memo."""


class RefiStoreWriter:
    """Writes sources, codings, cases, ratings and memos into the staged project."""

    def __init__(self, project: Project, staged: StagedProject) -> None:
        self._project = project
        self._staged = staged

    def add_transcript(
        self, transcript_id: str, text: str, case_id: str | None, language: str | None
    ) -> tuple[str, str, list[str]]:
        """Import one source; returns (transcript id stored, its normalised text, warnings)."""
        from coder.store.importer import import_transcript

        path = self._staged.write_transcript(transcript_id, text)
        result = import_transcript(
            self._project, path, transcript_id=transcript_id, case_id=case_id, language=language
        )
        if result.transcript_id != transcript_id:
            path.unlink()  # the same text is in the project already, under another id
        with self._project.engine.connect() as conn:
            stored = conn.execute(
                select(transcripts.c.text).where(transcripts.c.id == result.transcript_id)
            ).scalar_one()
        return result.transcript_id, str(stored), list(result.warnings)

    def excerpt_index(self, transcript_id: str) -> ExcerptIndex:
        """The excerpts of a stored transcript."""
        query = (
            select(excerpts.c.id, excerpts.c.seq, excerpts.c.start, excerpts.c.end)
            .where(excerpts.c.transcript_id == transcript_id)
            .order_by(excerpts.c.seq)
        )
        with self._project.engine.connect() as conn:
            rows = conn.execute(query).all()
        return ExcerptIndex(
            [ExcerptRange(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]
        )

    def add_codings(self, rows: Sequence[CodingRow]) -> int:
        """Store the codings (all or none); returns how many were added."""
        from coder.store.codings_import import import_codings

        if not rows:
            return 0
        out = io.StringIO()
        table = csv.writer(out, lineterminator="\n")
        table.writerow(["transcript", "excerpt", "start", "end", "code", "coder", "origin"])
        for row in rows:
            start, end = row.span if row.span is not None else ("", "")
            excerpt = "" if row.span is not None else row.seq
            table.writerow([row.transcript, excerpt, start, end, row.code, row.coder, row.origin])
        path = self._staged.write_file(CODINGS_FILE, out.getvalue())
        try:
            return import_codings(self._project, path).added
        finally:
            path.unlink(missing_ok=True)

    def add_cases(self, case_ids: Sequence[str], values: dict[str, dict[str, str]]) -> None:
        """Write ``cases.csv`` (one row per case) and import it."""
        from coder.store.cases_import import import_cases

        if not case_ids:
            return
        columns = [spec.id for spec in self._project.codebook.attributes]
        out = io.StringIO()
        table = csv.writer(out, lineterminator="\n")
        table.writerow(["case", *columns])
        for case_id in case_ids:
            table.writerow([case_id, *(values.get(case_id, {}).get(c, "") for c in columns)])
        import_cases(self._project, self._staged.write_file("cases.csv", out.getvalue()))

    def add_ratings_and_memos(
        self,
        ratings: Sequence[tuple[str, str, str, str]],
        memo_rows: Sequence[MemoRow],
        payload: dict[str, object],
    ) -> None:
        """Store (case, attribute, coder, value) ratings and the memos in one transaction."""
        from coder.store.coders import ensure_coder
        from coder.store.database import writer
        from coder.store.operations import check_rating, log_event, write_rating

        checked: list[tuple[str, str, str, str]] = []
        for case_id, attribute, coder, value in ratings:
            try:
                clean = check_rating(self._project, attribute, value)
            except CoderError as exc:
                raise CoderError(f"{coder}'s rating of case {case_id!r}: {exc}") from None
            if clean is not None:
                checked.append((case_id, attribute, coder, clean))
        with writer(self._project.engine).begin() as conn:
            ids: dict[str, int] = {}
            for case_id, attribute, coder, value in checked:
                if coder not in ids:
                    ids[coder] = ensure_coder(conn, coder)
                write_rating(conn, ids[coder], case_id, attribute, value)
            for memo in memo_rows:
                if memo.coder not in ids:
                    ids[memo.coder] = ensure_coder(conn, memo.coder)
                conn.execute(
                    insert(memos).values(
                        coder_id=ids[memo.coder],
                        excerpt_id=memo.excerpt_id,
                        code_id=memo.code_id,
                        case_id=memo.case_id,
                        text=memo.text,
                        created_at=memo.created_at,
                        updated_at=memo.created_at,
                    )
                )
            log_event(conn, None, "refi.imported", payload)
