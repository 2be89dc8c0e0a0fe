"""``coder codings import``: long-format codings from CSV, all or nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from coder.domain.transcript import Origin
from coder.errors import CoderError, Problem, ValidationError
from coder.store.bulk import add_memos, insert_new_rows, new_memo_rows
from coder.store.coders import check_name, ensure_coder
from coder.store.csv_input import paused_gc, problem, read_csv_rows
from coder.store.database import now
from coder.store.import_journal import ImportJournal, recover
from coder.store.operations import known_coder, log_event
from coder.store.schema import codings, excerpts, reviews

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

ORIGINS = {origin.value for origin in Origin}


@dataclass(frozen=True, slots=True)
class CodingsImport:
    """What a codings import stored."""

    rows: int
    """Rows read."""
    added: int
    """Codings added (rows already present are not added twice)."""
    reviewed: int
    """Excerpt reviews recorded."""
    coders: tuple[str, ...]
    """Coders the rows belonged to."""


@dataclass(frozen=True, slots=True)
class _Planned:
    """One valid row, resolved to database ids."""

    coder: str
    """Coder name, checked."""
    excerpt_id: int
    """Excerpt database id."""
    code: str
    """Code id, codable."""
    origin: str
    """Origin value."""
    span: tuple[int, int] | None
    """Narrower span inside the excerpt, if any."""
    memo: str
    """Memo text, or empty."""


def _int(row: dict[str, str], name: str) -> int | None:
    value = row.get(name, "").strip()
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _header_problems(path: Path, header: list[str], coder: str | None) -> list[Problem]:
    problems = [
        problem(path, 1, column, f"missing column '{column}'")
        for column in ("transcript", "code")
        if column not in header
    ]
    if "excerpt" not in header and not {"start", "end"} <= set(header):
        message = "needs an 'excerpt' column or 'start' and 'end' columns"
        problems.append(problem(path, 1, "excerpt", message))
    if coder is None and "coder" not in header:
        problems.append(problem(path, 1, "coder", "no 'coder' column: pass --coder NAME"))
    return problems


BATCH_ROWS = 100
"""Rows written per transaction: each holds the write lock for milliseconds only."""


def import_codings(
    project: ProjectContext, path: Path, *, coder: str | None = None, batch_rows: int = BATCH_ROWS
) -> CodingsImport:
    """Validate every row, then store all of them; all rows or none.

    The rows are written in short transactions of ``batch_rows`` rows each, so coders coding
    at the same time never wait long for the write lock. Every written row carries this
    import's timestamp and a journal names it (``import_journal``): if a batch fails, or the
    process is interrupted, what the earlier batches wrote is deleted again (at once, or by
    the next import after a kill). Validation reads a snapshot; an excerpt deleted meanwhile
    (a re-import by another process) fails its batch's foreign key and rolls everything back.
    """
    with paused_gc():
        header, rows = read_csv_rows(path)
    problems = _header_problems(path, header, coder)
    if not rows and not problems:
        problems.append(problem(path, 1, "", "no rows below the header: nothing to import"))
    if problems:
        raise ValidationError(problems, what=str(path))
    recover(project.store.engine, project.store.path)
    with paused_gc(), project.store.read() as conn, conn.begin():
        planned = _plan(project, conn, path, rows, coder)
    return _store(project, path, planned, len(rows), max(batch_rows, 1))


def _plan(
    project: ProjectContext,
    conn: Connection,
    path: Path,
    rows: list[tuple[int, dict[str, str]]],
    coder: str | None,
) -> list[_Planned]:
    """Every row resolved to an excerpt, or a ValidationError listing every bad row."""
    table = conn.execute(
        select(
            excerpts.c.id,
            excerpts.c.transcript_id,
            excerpts.c.seq,
            excerpts.c.start,
            excerpts.c.end,
        ).order_by(excerpts.c.transcript_id, excerpts.c.seq)
    ).all()
    by_seq = {(r.transcript_id, r.seq): r for r in table}
    by_transcript: dict[str, list[Any]] = {}
    for r in table:
        by_transcript.setdefault(r.transcript_id, []).append(r)
    problems: list[Problem] = []
    planned: list[_Planned] = []
    for line, row in rows:
        tid, code = row.get("transcript", ""), row.get("code", "")
        name = row.get("coder") or coder or ""
        try:
            name = check_name(name)
        except CoderError as exc:
            problems.append(problem(path, line, "coder", str(exc)))
        origin = row.get("origin") or Origin.IMPORTED.value
        if origin not in ORIGINS:
            message = f"unknown origin '{origin}' ({', '.join(sorted(ORIGINS))})"
            problems.append(problem(path, line, "origin", message))
        if not code:
            pass  # an empty code: the coder reviewed the excerpt and applied no code
        elif not project.codebook.has_code(code):
            problems.append(problem(path, line, "code", f"unknown code '{code}'"))
        elif not project.codebook.code(code).codable:
            message = f"'{code}' is a group heading and cannot be applied"
            problems.append(problem(path, line, "code", message))
        if tid not in by_transcript:
            problems.append(problem(path, line, "transcript", f"unknown transcript '{tid}'"))
            continue
        seq, start, end = _int(row, "excerpt"), _int(row, "start"), _int(row, "end")
        span: tuple[int, int] | None = None
        if seq is not None:
            found = by_seq.get((tid, seq))
            if found is None:
                message = f"unknown excerpt {seq} in '{tid}' (it has 1-{len(by_transcript[tid])})"
                problems.append(problem(path, line, "excerpt", message))
                continue
        elif start is not None and end is not None and start < end:
            found = next((r for r in by_transcript[tid] if r.start <= start and end <= r.end), None)
            if found is None:
                message = f"{start}-{end} does not lie inside one excerpt of '{tid}'"
                problems.append(problem(path, line, "start", message))
                continue
            if (start, end) != (found.start, found.end):
                span = (start, end)
        else:
            message = "needs an excerpt number or a valid start/end"
            problems.append(problem(path, line, "excerpt", message))
            continue
        planned.append(
            _Planned(
                name,
                int(found.id),
                code,
                origin,
                span,
                row.get("memo") or row.get("excerpt_memo", ""),
            )
        )
    if problems:
        raise ValidationError(problems, what=str(path))
    return planned


def _store(
    project: ProjectContext, path: Path, planned: list[_Planned], row_count: int, size: int
) -> CodingsImport:
    """Write the planned rows in batches under a journal; roll back on any failure."""
    names = sorted({item.coder for item in planned})
    at = now()
    journal = ImportJournal(project.store.path, at)
    try:
        with project.store.write() as conn:
            new = [name for name in names if known_coder(conn, name) is None]
            ids = {name: ensure_coder(conn, name) for name in names}
            journal.record(sorted(ids.values()), [ids[name] for name in new])
        coding_rows = [
            {
                "excerpt_id": item.excerpt_id,
                "code_id": item.code,
                "coder_id": ids[item.coder],
                "origin": item.origin,
                "span_start": None if item.span is None else item.span[0],
                "span_end": None if item.span is None else item.span[1],
                "created_at": at,
                "codebook_version": project.codebook.version,
            }
            for item in planned
            if item.code  # an empty code records only the reviewed mark
        ]
        review_rows = [
            {"coder_id": c, "excerpt_id": e, "reviewed_at": at}
            for c, e in sorted({(ids[item.coder], item.excerpt_id) for item in planned})
        ]
        added = _batches(project, codings, coding_rows, size)
        reviewed = _batches(project, reviews, review_rows, size)
        memo_rows = new_memo_rows(((ids[i.coder], i.excerpt_id, i.memo) for i in planned), at)
        for start in range(0, len(memo_rows), size):
            with project.store.write() as conn:
                add_memos(conn, memo_rows[start : start + size])
            _yield_lock()
        with project.store.write() as conn:
            payload = {"file": str(path), "rows": row_count, "added": added, "reviewed": reviewed}
            log_event(conn, None, "codings.imported", payload)
    except IntegrityError:
        journal.rollback(project.store.engine)
        raise CoderError(
            f"{path}: the project changed during the import (an excerpt it codes was removed, "
            "by a re-import?); nothing was imported: run it again"
        ) from None
    except BaseException:
        journal.rollback(project.store.engine)
        raise
    journal.close()
    return CodingsImport(row_count, added, reviewed, tuple(names))


def _batches(project: ProjectContext, table: Table, rows: list[dict[str, Any]], size: int) -> int:
    """Insert new ``rows`` in transactions of ``size`` rows; returns the rows really inserted."""
    added = 0
    for start in range(0, len(rows), size):
        began = time.perf_counter()
        with project.store.write() as conn:
            added += insert_new_rows(conn, table, rows[start : start + size])
        held = time.perf_counter() - began
        _checkpoint(project)
        _yield_lock(held)
    return added


def _checkpoint(project: ProjectContext) -> None:
    """Copy the batch from the WAL into the database now, without waiting for anyone.

    Otherwise the commit that crosses SQLite's auto-checkpoint size does it, and that is as
    often a coder's keystroke as the importer's batch.
    """
    if project.store.is_postgres:
        return  # the server checkpoints on its own
    with project.store.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _yield_lock(held: float = 0.0) -> None:
    """Let a waiting coder take the write lock before the next batch.

    SQLite's busy handler retries after growing sleeps (1, 2, 5, 10 ms ...); without a pause
    between batches the importer would take the lock back at once, every time. The pause is
    as long as the batch held the lock (at least 5 ms): coders get half of the time.
    """
    time.sleep(max(0.005, held))
