"""The new project of an import, built in a hidden folder and moved into place when complete.

An import never touches an existing folder: the target must not exist. Everything is written
into ``.<name>.<random>.partial`` beside it (owner-only permissions), and renamed to the target
only when the whole import succeeded; on any error the partial folder is removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from coder.domain.settings import DEFAULT_INTERVIEWER, DEFAULT_PARTICIPANT
from coder.errors import CoderError
from coder.refi.load.names import slug

LOCK_NAME = ".import.lock"
"""File in a partial folder, locked (flock) by the import building it."""


def _toml(value: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_toml(value) for value in values) + "]"


def settings_from(data: Mapping[str, Any]) -> tuple[list[str], list[str], int, bool]:
    """Speakers and segmentation from a project's data line, or coder's defaults."""
    speakers = data.get("speakers") if isinstance(data.get("speakers"), dict) else {}
    cut = data.get("segmentation") if isinstance(data.get("segmentation"), dict) else {}

    def patterns(key: str, default: Sequence[str]) -> list[str]:
        value = speakers.get(key) if isinstance(speakers, dict) else None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        return list(default)

    max_chars = cut.get("max_chars") if isinstance(cut, dict) else None
    interviewer = cut.get("code_interviewer") if isinstance(cut, dict) else None
    return (
        patterns("interviewer", DEFAULT_INTERVIEWER),
        patterns("participant", DEFAULT_PARTICIPANT),
        max_chars if isinstance(max_chars, int) and 100 <= max_chars <= 1_000_000 else 1500,
        interviewer if isinstance(interviewer, bool) else False,
    )


def _private_file(path: Path, text: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)


class StagedProject:
    """A project folder under construction; ``commit`` moves it to the target."""

    def __init__(self, target: Path) -> None:
        self.target = target
        if target.exists() or target.is_symlink():
            raise CoderError(f"{target}: exists already; nothing was changed (pick a new folder)")
        parent = target.parent
        if not parent.is_dir():
            raise CoderError(f"{target}: the folder {parent} does not exist")
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent)
        )
        # held while the import runs: a later run removes the folder only when it is free
        self._lock: int | None = os.open(self.folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        for name in ("codebooks", "transcripts"):
            (self.folder / name).mkdir(mode=0o700)

    def write_settings(
        self, name: str, language: str, codebook: str, data: Mapping[str, Any]
    ) -> None:
        """coder.toml with the exported speakers and segmentation (or the defaults)."""
        interviewer, participant, max_chars, code_interviewer = settings_from(data)
        text = (
            "# Made by `coder import-refi`. Paths are relative to this folder.\n"
            "[project]\n"
            f"name = {_toml(name)}\n"
            f'language = "{language}"\n'
            f"codebook = {_toml(codebook)}\n"
            'transcripts = "transcripts"\n\n'
            "[speakers]\n"
            f"interviewer = {_toml_list(interviewer)}\n"
            f"participant = {_toml_list(participant)}\n\n"
            "[segmentation]\n"
            f"max_chars = {max_chars}\n"
            f"code_interviewer = {'true' if code_interviewer else 'false'}\n\n"
            "[keymap]\n"
        )
        _private_file(self.folder / "coder.toml", text)
        _private_file(
            self.folder / ".gitignore",
            "# the project database holds interview text: keep it out of git\n.coder/\n",
        )

    def write_codebook(self, name: str, text: str) -> str:
        """The codebook YAML as ``codebooks/<name>.yaml``; returns that relative path."""
        relative = f"codebooks/{slug(name, 'codebook')}.yaml"
        _private_file(self.folder / relative, text)
        return relative

    def write_transcript(self, transcript_id: str, text: str) -> Path:
        """A source's text as ``transcripts/<id>.txt`` (UTF-8, line ends as they came)."""
        path = self.folder / "transcripts" / f"{transcript_id}.txt"
        _private_file(path, text)
        return path

    def write_file(self, relative: str, text: str) -> Path:
        """Any other file of the project (``cases.csv``)."""
        path = self.folder / relative
        _private_file(path, text)
        return path

    def commit(self) -> Path:
        """Move the finished project to the target."""
        if self.target.exists() or self.target.is_symlink():
            raise CoderError(f"{self.target}: appeared while importing; nothing was changed")
        (self.folder / LOCK_NAME).unlink()
        os.rename(self.folder, self.target)
        self._release()
        return self.target

    def abort(self) -> None:
        """Remove everything written."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def remove_abandoned(parent: Path) -> list[str]:
    """Remove ``.*.partial`` import folders in ``parent`` that no running import holds.

    A killed import (SIGKILL, a power cut) cannot clean up after itself; its folder's lock
    is free once the process is gone. A partial folder without a lock file (killed in the
    instant between creating it and locking it) is removed when it is over a minute old.
    Returns the names removed.
    """
    removed: list[str] = []
    for folder in sorted(parent.glob(".*.partial")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        lock = folder / LOCK_NAME
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            if time.time() - folder.stat().st_mtime > 60:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
        except BlockingIOError:
            pass  # an import is running there
        finally:
            os.close(fd)
    return removed
