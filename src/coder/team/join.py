"""``join``: open a hand-out as a new project folder, ready for its coder to work in.

Everything is checked first (the pack authenticates, its file names stay inside the folder, the
codebook and coder.toml load); the project is built in a hidden folder beside the target and
renamed into place when complete, so a failed join leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coder.errors import CoderError
from coder.team.copy_marker import CopyMarker
from coder.team.pack import HANDOUT, Pack, now


@dataclass(frozen=True, slots=True)
class JoinResult:
    """What ``join`` made."""

    folder: Path
    """The new project."""
    coder: str
    """Whose copy it is."""
    transcripts: int
    """Transcripts in it."""
    own_codings: int
    """The coder's earlier codings it holds."""


def _safe(name: str, where: Path) -> PurePosixPath:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise CoderError(f"{where}: the pack names a file outside the project ({name!r})")
    return relative


def _check_target(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CoderError(f"{folder}: exists and is not an empty folder; join into a new folder")
    if not folder.parent.is_dir():
        raise CoderError(f"{folder.parent}: no such folder")


def join(path: Path, folder: Path, passphrase: str | None = None) -> JoinResult:
    """Make ``folder`` the coder's project from the hand-out at ``path``."""
    from coder.project.project import Project
    from coder.store.team_copy import write_skeleton
    from coder.store.team_writes import team_merge
    from coder.team.merge import MergeRefused, apply_work

    folder = Path(folder)
    _check_target(folder)
    pack = Pack.read(Path(path), passphrase, kind=HANDOUT)
    files = {_safe(name, Path(path)): text for name, text in pack.files.items()}
    if PurePosixPath("coder.toml") not in files:
        raise CoderError(f"{path}: the hand-out has no coder.toml")
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.joining-", dir=folder.parent))
    try:
        os.chmod(building, 0o700)
        for relative, text in files.items():
            target = building.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (building / "transcripts").mkdir(exist_ok=True)
        with Project.open(building) as project:
            write_skeleton(project, pack.tables)
            with team_merge(project) as writer:
                _, problems = apply_work(writer, project, pack, str(path), record=False)
                if problems:
                    raise MergeRefused(problems)
        marker = CopyMarker(
            pack.coder,
            str(pack.manifest.get("handout")),
            str(pack.manifest.get("project", "")),
            now(),
        )
        marker.write(building)
        local = building / ".coder" / "local.json"  # the app starts as this coder (tui.local_state)
        fd = os.open(local, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"coder": pack.coder}, handle, ensure_ascii=False)
        if folder.exists():
            folder.rmdir()
        os.replace(building, folder)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(building)
        raise
    return JoinResult(
        folder, pack.coder, len(pack.tables.get("transcripts", [])), len(pack.work.codings)
    )
