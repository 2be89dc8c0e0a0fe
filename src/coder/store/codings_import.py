"""``coder codings import``: long-format codings from CSV, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from coder.domain.transcript import Origin
from coder.errors import CoderError, Problem, ValidationError
from coder.store.coders import check_name, ensure_coder
from coder.store.csv_input import problem, read_csv_rows
from coder.store.database import now, writer
from coder.store.operations import insert_coding, log_event
from coder.store.schema import excerpts, memos, reviews

if TYPE_CHECKING:
    from coder.project.project import Project

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


def _int(row: dict[str, str], name: str) -> int | None:
    value = row.get(name, "")
    return int(value) if value.strip().lstrip("-").isdigit() else None


def import_codings(project: Project, path: Path, *, coder: str | None = None) -> CodingsImport:
    """Validate every row, then store all of them in one transaction."""
    header, rows = read_csv_rows(path)
    problems: list[Problem] = []
    for column in ("transcript", "code"):
        if column not in header:
            problems.append(problem(path, 1, column, f"missing column '{column}'"))
    if "excerpt" not in header and not {"start", "end"} <= set(header):
        problems.append(
            problem(path, 1, "excerpt", "needs an 'excerpt' column or 'start' and 'end' columns")
        )
    if coder is None and "coder" not in header:
        problems.append(problem(path, 1, "coder", "no 'coder' column: pass --coder NAME"))
    if problems:
        raise ValidationError(problems, what=str(path))
    with project.engine.connect() as conn:
        table = conn.execute(
            select(
                excerpts.c.id,
                excerpts.c.transcript_id,
                excerpts.c.seq,
                excerpts.c.start,
                excerpts.c.end,
            )
        ).all()
    by_seq = {(r.transcript_id, r.seq): r for r in table}
    by_transcript: dict[str, list[object]] = {}
    for r in table:
        by_transcript.setdefault(r.transcript_id, []).append(r)
    planned: list[tuple[str, int, str, str, tuple[int, int] | None, str]] = []
    for line, row in rows:
        tid, code = row.get("transcript", ""), row.get("code", "")
        name = row.get("coder") or coder or ""
        try:
            name = check_name(name)
        except CoderError as exc:
            problems.append(problem(path, line, "coder", str(exc)))
        origin = row.get("origin") or Origin.IMPORTED.value
        if origin not in ORIGINS:
            problems.append(
                problem(
                    path,
                    line,
                    "origin",
                    f"unknown origin '{origin}' ({', '.join(sorted(ORIGINS))})",
                )
            )
        if not project.codebook.has_code(code):
            problems.append(problem(path, line, "code", f"unknown code '{code}'"))
        elif not project.codebook.code(code).codable:
            problems.append(
                problem(path, line, "code", f"'{code}' is a group heading and cannot be applied")
            )
        if tid not in by_transcript:
            problems.append(problem(path, line, "transcript", f"unknown transcript '{tid}'"))
            continue
        seq, start, end = _int(row, "excerpt"), _int(row, "start"), _int(row, "end")
        span: tuple[int, int] | None = None
        if seq is not None:
            found = by_seq.get((tid, seq))
            if found is None:
                count = len(by_transcript[tid])
                problems.append(
                    problem(
                        path,
                        line,
                        "excerpt",
                        f"unknown excerpt {seq} in '{tid}' (it has 1-{count})",
                    )
                )
                continue
        elif start is not None and end is not None and start < end:
            found = next((r for r in by_transcript[tid] if r.start <= start and end <= r.end), None)  # type: ignore[attr-defined]
            if found is None:
                problems.append(
                    problem(
                        path,
                        line,
                        "start",
                        f"{start}-{end} does not lie inside one excerpt of '{tid}'",
                    )
                )
                continue
            if (start, end) != (found.start, found.end):
                span = (start, end)
        else:
            problems.append(
                problem(path, line, "excerpt", "needs an excerpt number or a valid start/end")
            )
            continue
        planned.append((name, int(found.id), code, origin, span, row.get("memo", "")))
    if problems:
        raise ValidationError(problems, what=str(path))
    return _store(project, path, planned, len(rows))


def _store(
    project: Project,
    path: Path,
    planned: list[tuple[str, int, str, str, tuple[int, int] | None, str]],
    row_count: int,
) -> CodingsImport:
    names = sorted({name for name, *_ in planned})
    added = 0
    seen: set[tuple[int, int]] = set()
    with writer(project.engine).begin() as conn:
        ids = {name: ensure_coder(conn, name) for name in names}
        at = now()
        already = {
            (int(c), int(e))
            for c, e in conn.execute(select(reviews.c.coder_id, reviews.c.excerpt_id))
        }
        for name, excerpt_id, code, origin, span, memo in planned:
            who = ids[name]
            added += insert_coding(conn, who, excerpt_id, code, origin, span, at)
            if (who, excerpt_id) not in already and (who, excerpt_id) not in seen:
                seen.add((who, excerpt_id))
            if memo:
                conn.execute(
                    insert(memos).values(
                        coder_id=who, excerpt_id=excerpt_id, text=memo, created_at=at, updated_at=at
                    )
                )
        if seen:
            conn.execute(
                insert(reviews),
                [{"coder_id": c, "excerpt_id": e, "reviewed_at": at} for c, e in sorted(seen)],
            )
        log_event(
            conn, None, "codings.imported", {"file": str(path), "rows": row_count, "added": added}
        )
    return CodingsImport(row_count, added, len(seen), tuple(names))
