"""``Pack``: what a ``.coderpack`` holds, and its members (JSON) in and out.

A hand-out holds the project a coder needs (coder.toml, the codebook file, transcripts with
their excerpts, cases and case facts) and that coder's own earlier work, if any. A return holds
one coder's work, the digests of the copy's transcripts (to match the lead's by id and SHA-256 of
the text) and the copy's codebook (to report differences). Neither holds any other coder's work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.domain.coder_work import STATE_TABLES, CoderWork, Row
from coder.errors import CoderError
from coder.team.pack_file import PackFile

FORMAT = "coderpack"
VERSION = 1
HANDOUT, RETURN = "handout", "return"
WORK_TABLES = (*STATE_TABLES, "events")
SKELETON_TABLES = ("transcripts", "excerpts", "cases", "case_attributes")


def now() -> str:
    """The current time as ISO 8601 UTC with microseconds (as the database stamps rows)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(slots=True)
class Pack:
    """One pack in memory."""

    kind: str
    """``handout`` or ``return``."""
    manifest: dict[str, Any]
    """Format, version, ids (pack, hand-out), coder, project name, times, counts."""
    work: CoderWork
    """The coder's work (empty in a hand-out to a new coder)."""
    files: dict[str, str] = field(default_factory=dict)
    """Project files by relative path (coder.toml, the codebook), as text."""
    tables: dict[str, list[Row]] = field(default_factory=dict)
    """A hand-out's project tables (transcripts ... case_attributes)."""
    digests: dict[str, str] = field(default_factory=dict)
    """A return's transcript id -> SHA-256 of the copy's text."""

    @property
    def coder(self) -> str:
        """The coder the pack is for (hand-out) or from (return)."""
        return self.work.coder

    def write(self, path: Path, passphrase: str | None) -> None:
        """Write the pack to ``path`` (0600, atomic; sealed with ``passphrase``)."""
        members = {"manifest.json": _dump(self.manifest | {"kind": self.kind})}
        for name, text in self.files.items():
            members[f"files/{name}"] = text.encode("utf-8")
        for name, rows in self.tables.items():
            members[f"tables/{name}.json"] = _dump(rows)
        for name in WORK_TABLES:
            members[f"work/{name}.json"] = _dump(self.work.table(name))
        if self.kind == RETURN:
            members["digests.json"] = _dump(self.digests)
        PackFile(path, members).write(passphrase)

    @classmethod
    def read(cls, path: Path, passphrase: str | None, *, kind: str) -> Pack:
        """Read a pack of ``kind``; ``CoderError`` when it is another kind or malformed."""
        members = PackFile.read(path, passphrase).members
        where = str(path)

        def load(name: str, default: Any = None) -> Any:
            if name not in members:
                if default is not None:
                    return default
                raise CoderError(f"{where}: the pack lacks {name}. Nothing was written.")
            try:
                return json.loads(members[name].decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CoderError(
                    f"{where}: {name} is damaged ({exc}). Nothing was written."
                ) from None

        manifest = load("manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise CoderError(f"{where}: not a coder pack. Nothing was written.")
        if int(manifest.get("version", 0)) > VERSION:
            raise CoderError(
                f"{where}: written by a newer coder (pack version {manifest.get('version')}); "
                "upgrade coder to read it. Nothing was written."
            )
        found = manifest.get("kind")
        if found != kind:
            hint = {HANDOUT: "`coder team join`", RETURN: "`coder team merge`"}.get(str(found))
            raise CoderError(
                f"{where}: a {found} pack, not a {kind}"
                + (f" (open it with {hint})" if hint else "")
                + ". Nothing was written."
            )
        coder = manifest.get("coder")
        if not isinstance(coder, str) or not coder:
            raise CoderError(f"{where}: the pack names no coder. Nothing was written.")
        work = CoderWork(coder)
        for name in WORK_TABLES:
            rows = load(f"work/{name}.json", [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise CoderError(f"{where}: work/{name}.json is not a list of rows.")
            setattr(work, name, rows)
        files = {
            name.removeprefix("files/"): content.decode("utf-8", errors="strict")
            for name, content in members.items()
            if name.startswith("files/")
        }
        tables = {name: load(f"tables/{name}.json", []) for name in SKELETON_TABLES}
        digests = load("digests.json", {}) if kind == RETURN else {}
        if not isinstance(digests, dict):
            raise CoderError(f"{where}: digests.json is damaged. Nothing was written.")
        return cls(kind, manifest, work, files, tables, digests)
