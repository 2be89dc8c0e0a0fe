"""Per-project, per-machine state of the TUI (`.coder/`): the coder's name, memo drafts."""

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


DRAFTS = "memo-drafts.json"


def _drafts_path(root: Path) -> Path:
    return root / ".coder" / DRAFTS


def _read_drafts(root: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_drafts_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def memo_draft(root: Path, coder: str, target: str) -> str | None:
    """A memo this coder was typing and never saved or discarded (``target`` names the memo)."""
    text = _read_drafts(root).get(coder, {}).get(target)
    return text if isinstance(text, str) else None


def save_memo_draft(root: Path, coder: str, target: str, text: str | None) -> None:
    """Keep (or with None drop) a half-typed memo, so closing the terminal does not lose it."""
    drafts = _read_drafts(root)
    mine = drafts.setdefault(coder, {})
    if text is None:
        if mine.pop(target, None) is None:
            return
    else:
        mine[target] = text
    path = _drafts_path(root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({k: v for k, v in drafts.items() if v}, handle, ensure_ascii=False)
    os.replace(temporary, path)
