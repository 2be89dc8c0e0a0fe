"""Import transcripts into the store: idempotent, refusing changed files unless replacing.

A batch is read and segmented completely before anything is written, then stored in one
transaction: a file that cannot be read, two files claiming one id, or a changed file without
``replace`` leave the database exactly as it was.
"""

from __future__ import annotations

import difflib
import glob
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from coder.domain.language import guess_language
from coder.domain.transcript import ExcerptDraft
from coder.errors import CoderError, ImportFailedError
from coder.store.database import now
from coder.store.operations import log_event
from coder.store.schema import cases, coders, codings, excerpts, memos, transcripts
from coder.store.transcript_ids import clash_message, suffixed_id

if TYPE_CHECKING:
    from coder.ingest import SourceText
    from coder.store.context import ProjectContext


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
    notes: tuple[str, ...] = ()
    """Segmentation notes (the voices of a subtitle file)."""
    kept_codings: int = 0
    """For a replace: codings carried over to unchanged excerpts."""
    dropped: tuple[str, ...] = ()
    """For a replace: ``transcript:seq (code, coder)`` of codings, and ``transcript:seq (memo by
    coder)`` of memos, that were on excerpts whose text changed and are gone."""


@dataclass(frozen=True, slots=True)
class PreparedTranscript:
    """A file read and segmented, ready to store."""

    path: Path
    """The file."""
    transcript_id: str
    """The id it will have."""
    case_id: str | None
    """Its case (participant) as given; None: the transcript id when new, kept on replace."""
    language: str
    """Transcript language."""
    source: SourceText
    """Normalised text and provenance."""
    drafts: tuple[ExcerptDraft, ...]
    """Its excerpts."""
    warnings: tuple[str, ...]
    """Segmentation warnings."""
    notes: tuple[str, ...] = ()
    """Segmentation notes."""


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


def _excerpt_row(transcript_id: str, text: str, seq: int, draft: ExcerptDraft) -> dict[str, Any]:
    return {
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


def check_id(value: str, what: str) -> str:
    """A transcript or case id: non-empty, no surrounding space, no slash or control chars."""
    cleaned = value.strip()
    if not cleaned or any(char in cleaned for char in "/\\") or not cleaned.isprintable():
        raise CoderError(f"invalid {what} id {value!r}")
    return cleaned


def prepare_transcript(
    project: ProjectContext,
    path: Path,
    *,
    transcript_id: str | None = None,
    case_id: str | None = None,
    language: str | None = None,
) -> PreparedTranscript:
    """Read and segment one file (no database access); errors name the file."""
    from coder.ingest import read_source, segment

    source = read_source(path, project.settings.limits)
    try:
        tid = check_id(transcript_id or path.stem, "transcript")
        cid = check_id(case_id, "case") if case_id else None
    except CoderError as exc:
        raise ImportFailedError(f"{path}: {exc}") from None
    lang = language or guess_language(source.text, project.settings.language)
    cut = segment(source, project.settings.speakers, project.settings.segmentation)
    if not cut.excerpts:
        raise ImportFailedError(f"{path}: no text to code after normalisation")
    warnings = cut.warnings
    if source.encoding == "cp1252":  # reported, never guessed silently
        note = "read as Windows-1252 (it is not UTF-8); if æ ø å look wrong, re-save it as UTF-8"
        warnings = (note, *warnings)
    return PreparedTranscript(path, tid, cid, lang, source, cut.excerpts, warnings, cut.notes)


def import_transcripts(
    project: ProjectContext,
    paths: Sequence[Path],
    *,
    transcript_id: str | None = None,
    case_id: str | None = None,
    replace: bool = False,
    language: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[ImportResult]:
    """Read every file, then store them all in one transaction (all or nothing).

    ``progress`` is called after each file is read. Every unreadable file, every id claimed by
    two files and every changed file (without ``replace``) is listed in one ImportFailedError.
    """
    if transcript_id is not None and len(paths) != 1:
        raise CoderError(f"a transcript id names one file, but {len(paths)} files were given")
    prepared: list[PreparedTranscript] = []
    problems: list[str] = []
    for path in paths:
        try:
            prepared.append(
                prepare_transcript(
                    project, path, transcript_id=transcript_id, case_id=case_id, language=language
                )
            )
        except ImportFailedError as exc:
            problems.append(str(exc))
        if progress is not None:
            progress(path)
    first: dict[str, Path] = {}
    for item in prepared:
        if item.transcript_id in first:
            problems.append(
                f"{item.path}: transcript id {item.transcript_id!r} is also the id of "
                f"{first[item.transcript_id]}; import one of them on its own with --id, "
                f"e.g. --id {suffixed_id(item.path)}"
            )
        first.setdefault(item.transcript_id, item.path)
    _raise(problems)
    results: list[ImportResult] = []
    with project.store.write() as conn:
        for item in prepared:
            try:
                results.append(_store(conn, item, replace))
            except ImportFailedError as exc:
                problems.append(str(exc))
        _raise(problems)  # rolls the whole batch back
    return results


def _raise(problems: list[str]) -> None:
    if len(problems) == 1:
        raise ImportFailedError(f"{problems[0]}\nNothing was imported.")
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise ImportFailedError(
            f"{len(problems)} files cannot be imported:\n{lines}\nNothing was imported."
        )


def import_transcript(
    project: ProjectContext,
    path: Path,
    *,
    transcript_id: str | None = None,
    case_id: str | None = None,
    replace: bool = False,
    language: str | None = None,
) -> ImportResult:
    """Read, segment and store one file (one transaction)."""
    return import_transcripts(
        project,
        [path],
        transcript_id=transcript_id,
        case_id=case_id,
        replace=replace,
        language=language,
    )[0]


def _store(conn: Connection, item: PreparedTranscript, replace: bool) -> ImportResult:
    """Store one prepared file inside the batch's transaction."""
    path, tid, source = item.path, item.transcript_id, item.source
    same = (
        conn.execute(select(transcripts.c.id).where(transcripts.c.sha256 == source.sha256))
        .scalars()
        .first()
    )
    existing_row = conn.execute(
        select(transcripts.c.sha256, transcripts.c.source_name).where(transcripts.c.id == tid)
    ).one_or_none()
    existing = None if existing_row is None else existing_row.sha256
    if same is not None and (existing is None or same == tid):
        stored = conn.execute(
            select(
                excerpts.c.start,
                excerpts.c.end,
                excerpts.c.speaker,
                excerpts.c.role,
                excerpts.c.codable,
            )
            .where(excerpts.c.transcript_id == same)
            .order_by(excerpts.c.seq)
        ).all()
        wanted = [(d.start, d.end, d.speaker, d.role.value, d.codable) for d in item.drafts]
        same_cut = [tuple(r) for r in stored] == wanted
        if not (replace and same == tid and not same_cut):
            # same file: nothing to do, unless --replace asks to re-cut it under new settings
            return ImportResult(
                path, str(same), "unchanged", len(stored), item.warnings, item.notes
            )
    row = {
        "source_name": path.name,
        "sha256": source.sha256,
        "format": source.format,
        "encoding": source.encoding,
        "language": item.language,
        "text": source.text,
        "imported_at": now(),
    }
    about = {"transcript": tid, "file": str(path), "sha256": source.sha256}
    if existing is None:
        case_id = item.case_id or tid
        _ensure_case(conn, case_id)
        conn.execute(insert(transcripts).values(id=tid, case_id=case_id, **row))
        rows = [
            _excerpt_row(tid, source.text, seq, draft)
            for seq, draft in enumerate(item.drafts, start=1)
        ]
        conn.execute(insert(excerpts), rows)
        log_event(conn, None, "transcript.imported", about)
        return ImportResult(path, tid, "imported", len(item.drafts), item.warnings, item.notes)
    if not replace:
        assert existing_row is not None
        raise ImportFailedError(clash_message(conn, path, tid, existing_row.source_name))
    if item.case_id is not None:
        _ensure_case(conn, item.case_id)
        row["case_id"] = item.case_id
    conn.execute(update(transcripts).where(transcripts.c.id == tid).values(**row))
    kept, dropped, lost_memos = _replace(conn, tid, source.text, item.drafts)
    payload = about | {"kept": kept, "dropped": dropped, "dropped_memos": lost_memos}
    log_event(conn, None, "transcript.replaced", payload)
    return ImportResult(
        path, tid, "replaced", len(item.drafts), item.warnings, item.notes, kept, tuple(dropped)
    )


def _replace(
    conn: Connection, tid: str, text: str, drafts: tuple[ExcerptDraft, ...]
) -> tuple[int, list[str], list[dict[str, Any]]]:
    """Swap a transcript's excerpts, keeping the rows (and ids) of those whose text is unchanged.

    Unchanged excerpts keep their codings, reviews and memos (spans move with the text); the
    rest are deleted with theirs. Returns the number of codings kept, the dropped codings and
    memos as ``transcript:seq (...)``, and the dropped memos in full for the event log.
    """
    old = conn.execute(
        select(excerpts.c.id, excerpts.c.seq, excerpts.c.start, excerpts.c.text_sha)
        .where(excerpts.c.transcript_id == tid)
        .order_by(excerpts.c.seq)
    ).all()
    new_rows = [_excerpt_row(tid, text, seq, d) for seq, d in enumerate(drafts, start=1)]
    matcher = difflib.SequenceMatcher(
        a=[r.text_sha for r in old], b=[r["text_sha"] for r in new_rows], autojunk=False
    )
    kept_rows: dict[int, Any] = {}  # new index -> old row
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            kept_rows[block.b + offset] = old[block.a + offset]
    kept_ids = {row.id for row in kept_rows.values()}
    gone = {row.id: row.seq for row in old if row.id not in kept_ids}
    dropped, lost_memos = _describe_dropped(conn, tid, gone)
    conn.execute(delete(excerpts).where(excerpts.c.id.in_(list(gone))))
    conn.execute(  # park the kept rows' numbers so renumbering cannot collide
        update(excerpts).where(excerpts.c.transcript_id == tid).values(seq=-excerpts.c.seq)
    )
    kept = 0
    inserts: list[dict[str, Any]] = []
    for index, values in enumerate(new_rows):
        previous = kept_rows.get(index)
        if previous is None:
            inserts.append(values)
            continue
        conn.execute(update(excerpts).where(excerpts.c.id == previous.id).values(**values))
        shift = values["start"] - previous.start
        if shift:
            conn.execute(
                update(codings)
                .where(codings.c.excerpt_id == previous.id, codings.c.span_start.is_not(None))
                .values(
                    span_start=codings.c.span_start + shift, span_end=codings.c.span_end + shift
                )
            )
        kept += int(
            conn.execute(
                select(func.count()).where(codings.c.excerpt_id == previous.id)
            ).scalar_one()
        )
    if inserts:
        conn.execute(insert(excerpts), inserts)
    return kept, dropped, lost_memos


def _describe_dropped(
    conn: Connection, tid: str, gone: dict[int, int]
) -> tuple[list[str], list[dict[str, Any]]]:
    """``tid:seq (code, coder)`` for codings and ``tid:seq (memo by coder)`` for memos on
    excerpts about to be deleted, and those memos in full."""
    ids = list(gone)
    dropped = [
        f"{tid}:{gone[excerpt_id]} ({code_id}, {name})"
        for excerpt_id, code_id, name in conn.execute(
            select(codings.c.excerpt_id, codings.c.code_id, coders.c.name)
            .join(coders, coders.c.id == codings.c.coder_id)
            .where(codings.c.excerpt_id.in_(ids))
            .order_by(codings.c.excerpt_id, codings.c.code_id, coders.c.name)
        )
    ]
    memo_rows = conn.execute(
        select(memos.c.excerpt_id, memos.c.text, memos.c.created_at, coders.c.name)
        .join(coders, coders.c.id == memos.c.coder_id)
        .where(memos.c.excerpt_id.in_(ids))
        .order_by(memos.c.excerpt_id, memos.c.id)
    ).all()
    dropped += [f"{tid}:{gone[m.excerpt_id]} (memo by {m.name})" for m in memo_rows]
    lost = [
        {
            "excerpt": f"{tid}:{gone[m.excerpt_id]}",
            "coder": m.name,
            "text": m.text,
            "created_at": m.created_at,
        }
        for m in memo_rows
    ]
    return dropped, lost
