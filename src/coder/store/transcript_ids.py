"""Transcript ids that clash: why a file is refused, and which free id to suggest instead."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from coder.store.schema import transcripts


def suffixed_id(path: Path) -> str:
    """``sample-vtt`` for ``sample.vtt``: an id that tells two same-named files apart."""
    return f"{path.stem}-{path.suffix.removeprefix('.').lower()}" if path.suffix else path.stem


def clash_message(conn: Connection, path: Path, tid: str, old_name: str) -> str:
    """Why a changed file is refused: a new version of the same file, or another file."""
    if old_name == path.name:
        return (
            f"{path}: transcript {tid!r} exists with different content; "
            "use --replace to re-import it (codings on unchanged excerpts are kept)"
        )
    return (
        f"{path}: transcript id {tid!r} is taken by {old_name}, imported earlier, and this is "
        f"a different file. Import it under its own id with --id {free_id(conn, path)}; "
        f"--replace would replace the transcript of {old_name} with this file's text."
    )


def free_id(conn: Connection, path: Path) -> str:
    """An unused transcript id for ``path``: its stem and suffix (``sample-vtt``), numbered."""
    base = suffixed_id(path)
    taken = set(
        conn.execute(
            select(transcripts.c.id).where(transcripts.c.id.startswith(base, autoescape=True))
        )
        .scalars()
        .all()
    )
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
