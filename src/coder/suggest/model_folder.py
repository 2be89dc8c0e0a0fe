"""``ModelFolder``: where a project's suggestion models live, ``.coder/models/``.

Each training writes a new folder ``suggest-<UTC time>/`` (``model.json`` + ``weights.npz``)
under a temporary name, renames it into place, and only then points ``suggest.current`` at it
(an atomic replace), so a reader never sees half a model. The newest ``keep`` models stay; older
ones are removed. Folders are owner-only: a vocabulary is made of interview words.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coder.suggest.model import SuggestModel

POINTER = "suggest.current"
PREFIX = "suggest-"


def coder_folder_name(coder: str) -> str:
    """A safe, unique folder name for a coder's models (keeps æ, ø, å; adds a hash)."""
    readable = re.sub(r"[^\w-]+", "_", coder.strip())[:40] or "coder"
    digest = hashlib.sha1(coder.encode("utf-8")).hexdigest()[:8]
    return f"coder-{readable}-{digest}"


class ModelFolder:
    """The ``.coder/models`` folder of one project, or one coder's folder inside it.

    A coder's own models (``coder=NAME``) learn only from that coder's codings, so suggestions
    shown while coding blind never carry another coder's judgements.
    """

    def __init__(self, project_root: Path, *, keep: int = 3, coder: str | None = None) -> None:
        base = project_root / ".coder" / "models"
        self.path = base if coder is None else base / coder_folder_name(coder)
        """The folder."""
        self.keep = keep
        """How many trained models to keep."""

    def current(self) -> Path | None:
        """Folder of the current model, if one was trained."""
        try:
            name = (self.path / POINTER).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        folder = self.path / name
        return folder if name.startswith(PREFIX) and folder.is_dir() else None

    def load(self) -> SuggestModel | None:
        """The current model, or None when none was trained."""
        folder = self.current()
        return SuggestModel.load(folder) if folder is not None else None

    def meta(self) -> dict[str, Any] | None:
        """The current model's metadata (``model.json`` without the vocabulary), if any."""
        folder = self.current()
        if folder is None:
            return None
        try:
            document: dict[str, Any] = json.loads((folder / "model.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        document.pop("featurizer", None)
        return document

    def save(self, model: SuggestModel) -> Path:
        """Store ``model`` as the new current model; returns its folder."""
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.path, 0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = self.path / f"{PREFIX}{stamp}"
        staging = self.path / f".{PREFIX}{stamp}.tmp"
        try:
            model.save(staging)
            os.replace(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        pointer = self.path / f".{POINTER}.tmp"
        fd = os.open(pointer, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(final.name + "\n")
        os.replace(pointer, self.path / POINTER)
        self._prune(final)
        return final

    def _prune(self, current: Path) -> None:
        models = sorted(p for p in self.path.glob(f"{PREFIX}*") if p.is_dir())
        for old in models[: max(len(models) - self.keep, 0)]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
