"""Per-project, per-machine settings of the TUI: the coder's name (``.coder/local.json``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE = "local.json"


def _path(root: Path) -> Path:
    return root / ".coder" / FILE


def remembered_coder(root: Path) -> str | None:
    """The coder name saved for this project on this machine, if any."""
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("coder") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def remember_coder(root: Path, name: str) -> None:
    """Save the coder name (atomically, owner-only)."""
    path = _path(root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"coder": name}, handle, ensure_ascii=False)
    os.replace(temporary, path)
