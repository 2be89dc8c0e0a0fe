"""Import transcripts into the store: idempotent, refusing changed files unless replacing."""

from __future__ import annotations

import difflib
import glob
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from coder.domain.language import guess_language
from coder.domain.transcript import ExcerptDraft
from coder.errors import CoderError, ImportFailedError
from coder.store.database import now, writer
from coder.store.operations import log_event
from coder.store.schema import cases, codings, excerpts, memos, reviews, transcripts

if TYPE_CHECKING:
    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one file did."""

    path: Path
    """The file."""
    transcript_id: str
    """Its transcript id."""
    action: str
    """``imported``, ``unchanged`` or ``replaced``."""
    excerpts: int
    """Number of excerpts now stored."""
    warnings: tuple[str, ...] = ()
    """Segmentation warnings."""
    kept_codings: int = 0
    """For a replace: codings carried over to unchanged excerpts."""
    dropped: tuple[str, ...] = ()
    """For a replace: ``transcript:seq (code, coder)`` of codings whose excerpt text changed."""


def expand_paths(items: Iterable[str], suffixes: frozenset[str]) -> list[Path]:
    """Files from file names, folders (searched recursively) and glob patterns, sorted, unique."""
    found: list[Path] = []
    for item in items:
        path = Path(item).expanduser()
        if any(char in item for char in "*?["):
            matches = sorted(Path(match) for match in glob.glob(item, recursive=True))
            if not matches:
                raise ImportFailedError(f"{item}: no files match this pattern")
            found.extend(match for match in matches if match.is_file())
        elif path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
            )
            if not inside:
                raise ImportFailedError(
                    f"{path}: no transcripts ({', '.join(sorted(suffixes))}) in this folder"
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise ImportFailedError(f"{path}: no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def _text_sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _ensure_case(conn: Connection, case_id: str) -> None:
    exists = conn.execute(select(cases.c.id).where(cases.c.id == case_id)).one_or_none()
    if exists is None:
        conn.execute(insert(cases).values(id=case_id, created_at=now()))


def _insert_excerpts(
    conn: Connection, transcript_id: str, text: str, drafts: Iterable[ExcerptDraft]
) -> list[int]:
    rows = [
        {
            "transcript_id": transcript_id,
            "seq": seq,
            "start": draft.start,
            "end": draft.end,
            "speaker": draft.speaker,
            "role": draft.role.value,
            "codable": draft.codable,
            "start_time": draft.start_time,
            "end_time": draft.end_time,
            "text_sha": _text_sha(text[draft.start : draft.end]),
        }
        for seq, draft in enumerate(drafts, start=1)
    ]
    if rows:
        conn.execute(insert(excerpts), rows)
    ids = conn.execute(
        select(excerpts.c.id)
        .where(excerpts.c.transcript_id == transcript_id, excerpts.c.seq > 0)
        .order_by(excerpts.c.seq)
    ).scalars()
    return [int(value) for value in ids]


def check_id(value: str, what: str) -> str:
    """A transcript or case id: non-empty, no surrounding space, no slash or control chars."""
    cleaned = value.strip()
    if not cleaned or any(char in cleaned for char in "/\\") or not cleaned.isprintable():
        raise CoderError(f"invalid {what} id {value!r}")
    return cleaned


def import_transcript(
    project: Project,
    path: Path,
    *,
    transcript_id: str | None = None,
    case_id: str | None = None,
    replace: bool = False,
    language: str | None = None,
) -> ImportResult:
    """Read, segment and store one file (one transaction)."""
    from coder.ingest import read_source, segment

    source = read_source(path)
    tid = check_id(transcript_id or path.stem, "transcript")
    cid = check_id(case_id, "case") if case_id else tid
    lang = language or guess_language(source.text, project.settings.language)
    cut = segment(source, project.settings.speakers, project.settings.segmentation)
    if not cut.excerpts:
        raise ImportFailedError(f"{path}: no text to code after normalisation")
    with writer(project.engine).begin() as conn:
        same = (
            conn.execute(select(transcripts.c.id).where(transcripts.c.sha256 == source.sha256))
            .scalars()
            .first()
        )
        existing = conn.execute(
            select(transcripts.c.sha256).where(transcripts.c.id == tid)
        ).scalar_one_or_none()
        if same is not None and (existing is None or same == tid):
            count = conn.execute(
                select(func.count()).where(excerpts.c.transcript_id == same)
            ).scalar_one()
            return ImportResult(path, str(same), "unchanged", int(count))
        row = {
            "case_id": cid,
            "source_name": path.name,
            "sha256": source.sha256,
            "format": source.format,
            "encoding": source.encoding,
            "language": lang,
            "text": source.text,
            "imported_at": now(),
        }
        if existing is None:
            _ensure_case(conn, cid)
            conn.execute(insert(transcripts).values(id=tid, **row))
            _insert_excerpts(conn, tid, source.text, cut.excerpts)
            log_event(
                conn,
                None,
                "transcript.imported",
                {"transcript": tid, "file": str(path), "sha256": source.sha256},
            )
            return ImportResult(path, tid, "imported", len(cut.excerpts), cut.warnings)
        if not replace:
            raise ImportFailedError(
                f"{path}: transcript {tid!r} exists with different content; "
                "use --replace to re-import it (codings on unchanged excerpts are kept)"
            )
        _ensure_case(conn, cid)
        kept, dropped = _replace(conn, tid, source.text, cut.excerpts)
        conn.execute(update(transcripts).where(transcripts.c.id == tid).values(**row))
        log_event(
            conn,
            None,
            "transcript.replaced",
            {
                "transcript": tid,
                "file": str(path),
                "sha256": source.sha256,
                "kept": kept,
                "dropped": dropped,
            },
        )
        return ImportResult(
            path, tid, "replaced", len(cut.excerpts), cut.warnings, kept, tuple(dropped)
        )


def _replace(
    conn: Connection, tid: str, text: str, drafts: tuple[ExcerptDraft, ...]
) -> tuple[int, list[str]]:
    """Swap a transcript's excerpts; move codings, reviews and memos of unchanged excerpts."""
    old = conn.execute(
        select(excerpts.c.id, excerpts.c.seq, excerpts.c.text_sha)
        .where(excerpts.c.transcript_id == tid)
        .order_by(excerpts.c.seq)
    ).all()
    conn.execute(
        update(excerpts).where(excerpts.c.transcript_id == tid).values(seq=-excerpts.c.seq)
    )
    new_ids = _insert_excerpts(conn, tid, text, drafts)
    new_shas = [_text_sha(text[d.start : d.end]) for d in drafts]
    matcher = difflib.SequenceMatcher(a=[r.text_sha for r in old], b=new_shas, autojunk=False)
    moved: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            moved[old[block.a + offset].id] = new_ids[block.b + offset]
    kept = 0
    for old_id, new_id in moved.items():
        kept += conn.execute(
            update(codings).where(codings.c.excerpt_id == old_id).values(excerpt_id=new_id)
        ).rowcount
        conn.execute(
            update(reviews).where(reviews.c.excerpt_id == old_id).values(excerpt_id=new_id)
        )
        conn.execute(update(memos).where(memos.c.excerpt_id == old_id).values(excerpt_id=new_id))
    from coder.store.schema import coders

    seq_of = {r.id: r.seq for r in old}
    dropped = [
        f"{tid}:{seq_of[excerpt_id]} ({code_id}, {name})"
        for excerpt_id, code_id, name in conn.execute(
            select(codings.c.excerpt_id, codings.c.code_id, coders.c.name)
            .join(coders, coders.c.id == codings.c.coder_id)
            .where(codings.c.excerpt_id.in_([r.id for r in old if r.id not in moved]))
            .order_by(codings.c.excerpt_id, codings.c.code_id)
        )
    ]
    conn.execute(delete(excerpts).where(excerpts.c.transcript_id == tid, excerpts.c.seq < 0))
    return kept, dropped
