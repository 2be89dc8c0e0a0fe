"""``write_return``: in a coder's copy, write one file with exactly that coder's work.

It holds the coder's codings (origin and span), reviewed marks, memos, ratings, positions and
every event of theirs (undo and redo, suggestion rejections), the digests of the copy's
transcripts and its codebook; no transcript text and no other coder's rows (suggestions the
model showed in the copy are the model's, not the coder's, and stay behind).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coder import __version__
from coder.team.copy_marker import CopyMarker
from coder.team.handout import project_files
from coder.team.pack import FORMAT, RETURN, VERSION, Pack, now

if TYPE_CHECKING:
    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class ReturnResult:
    """What ``write_return`` wrote."""

    path: Path
    """The pack."""
    coder: str
    """Whose work."""
    counts: dict[str, int]
    """Rows per table."""


def write_return(project: Project, path: Path, passphrase: str | None = None) -> ReturnResult:
    """Write the copy's coder's work to ``path``."""
    from coder.store.team_reads import coder_work, fill_missing_uids

    marker = CopyMarker.read(project.root)
    fill_missing_uids(project)
    work, digests = coder_work(project, marker.coder)
    counts = {
        name: len(work.table(name))
        for name in ("codings", "reviews", "memos", "ratings", "positions", "events")
    }
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "pack": uuid.uuid4().hex,
        "handout": marker.handout,
        "coder": marker.coder,
        "project": marker.project,
        "created_at": now(),
        "coder_version": __version__,
        "counts": counts,
    }
    files = {name: text for name, text in project_files(project).items() if name != "coder.toml"}
    Pack(RETURN, manifest, work, files, {}, digests).write(Path(path), passphrase)
    return ReturnResult(Path(path), marker.coder, counts)
