"""``LeakCheck``: look for any accepted key entry in files (exports, the database, the project).

Every file is read as bytes and searched as UTF-8 text, so CSV, SPSS ``.sav``, Stata ``.dta``,
R scripts, SQLite databases and their WAL all count; ZIP-based files (REFI-QDA ``.qdpx``,
``.docx``, ``.odt``) are searched member by member. Files in the transcripts folder are the
sources as delivered: they are reported as still identifying, with how to move them out. A leak
is reported by placeholder and category, so the report itself names no one.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.privacy.entry_matcher import EntryMatcher
from coder.privacy.privacy_key import PrivacyKey, Status

SKIPPED_FOLDERS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache"})
MAX_ZIP_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Leak:
    """Key entries found in one file (or one member of a ZIP file)."""

    path: Path
    """The file."""
    member: str
    """The ZIP member, or empty."""
    found: dict[str, int]
    """Placeholder -> occurrences."""
    source: bool
    """Whether the file is a transcript source (identifying by nature)."""

    @property
    def where(self) -> str:
        """``path`` or ``path!member``."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"file": self.where, "source": self.source, "found": dict(self.found)}


class LeakCheck:
    """Searches files for the accepted entries of one key."""

    def __init__(self, key: PrivacyKey) -> None:
        self.matcher = EntryMatcher(key.with_status(Status.ACCEPTED))

    def _count(self, data: bytes) -> dict[str, int]:
        text = data.decode("utf-8", errors="replace")
        found: dict[str, int] = {}
        for occurrence in self.matcher.finditer(text):
            label = occurrence.entry.replacement
            found[label] = found.get(label, 0) + 1
        return found

    def _scan(
        self, path: Path, member: str, data: bytes, source: bool, depth: int
    ) -> Iterator[Leak]:
        if depth < MAX_ZIP_DEPTH and data[:4] == b"PK\x03\x04":
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                archive = None
            if archive is not None:
                with archive:
                    for info in archive.infolist():
                        if info.is_dir():
                            continue
                        inner = f"{member}!{info.filename}" if member else info.filename
                        yield from self._scan(path, inner, archive.read(info), source, depth + 1)
                return
        found = self._count(data)
        if found:
            yield Leak(path, member, found, source)

    def check_files(self, paths: Iterable[Path], sources: Path | None = None) -> list[Leak]:
        """Leaks in ``paths`` (files, or folders searched recursively)."""
        if not self.matcher:
            raise CoderError(
                "the privacy key has no accepted entries: there is nothing to look for"
            )
        leaks: list[Leak] = []
        for path in paths:
            if not path.exists():
                raise CoderError(f"{path}: no such file or folder")
            for file in _files(path):
                try:
                    data = file.read_bytes()
                except OSError as exc:
                    raise CoderError(f"{file}: cannot read ({exc.strerror or exc})") from None
                is_source = sources is not None and _inside(file, sources)
                leaks.extend(self._scan(file, "", data, is_source, 0))
        return leaks


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for root, folders, files in os.walk(path):
        folders[:] = sorted(f for f in folders if f not in SKIPPED_FOLDERS)
        for name in sorted(files):
            yield Path(root) / name
