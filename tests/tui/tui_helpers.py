"""Shared helpers for Pilot tests: read the database the way a fresh process would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from coder.project.project import Project


def rows(folder: Path, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Run a query on a fresh connection (proves the data was committed)."""
    with Project.open(folder) as project, project.store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def codings_of(folder: Path, coder: str) -> list[tuple[object, ...]]:
    """(transcript, seq, code, span_start, span_end, origin) of a coder, in order."""
    return rows(
        folder,
        "SELECT e.transcript_id, e.seq, c.code_id, c.span_start, c.span_end, c.origin "
        "FROM codings c JOIN excerpts e ON e.id = c.excerpt_id JOIN coders k ON k.id = c.coder_id "
        "WHERE k.name = :coder ORDER BY c.id",
        coder=coder,
    )


def reviewed_seqs(folder: Path, coder: str, transcript: str) -> list[int]:
    """Excerpt numbers the coder has reviewed in a transcript."""
    found = rows(
        folder,
        "SELECT e.seq FROM reviews r JOIN excerpts e ON e.id = r.excerpt_id "
        "JOIN coders k ON k.id = r.coder_id WHERE k.name = :coder AND e.transcript_id = :t "
        "ORDER BY e.seq",
        coder=coder,
        t=transcript,
    )
    return [int(row[0]) for row in found]  # type: ignore[call-overload]
