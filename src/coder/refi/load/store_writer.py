"""Storing an imported REFI-QDA project through the store's own import paths.

Transcripts go through ``import_transcript`` (read, normalise, cut into excerpts), codings
through ``import_codings`` and case attributes through ``import_cases`` (both validate every
row first and store all rows in one transaction), so an imported project is exactly what the
same files imported by hand would give. Ratings and memos, which have no bulk path, are
written in one transaction with one ``refi.imported`` event (not as undoable user actions) by
``coder.store.refi_load``. No SQL here: the store hands back plain data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.refi.load.excerpt_index import ExcerptIndex, ExcerptRange
from coder.refi.load.staging import StagedProject
from coder.store.refi_load import NewMemo

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
        from coder.store.queries import transcript_text

        stored = transcript_text(self._project, result.transcript_id)
        return result.transcript_id, stored, list(result.warnings)

    def excerpt_index(self, transcript_id: str) -> ExcerptIndex:
        """The excerpts of a stored transcript."""
        from coder.store.refi_load import excerpt_ranges

        return ExcerptIndex(
            [ExcerptRange(*row) for row in excerpt_ranges(self._project, transcript_id)]
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
        memo_rows: Sequence[NewMemo],
        payload: dict[str, object],
    ) -> None:
        """Store (case, attribute, coder, value) ratings and the memos in one transaction."""
        from coder.store.refi_load import store_ratings_and_memos

        store_ratings_and_memos(self._project, ratings, memo_rows, payload)
