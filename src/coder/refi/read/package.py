"""Opening a REFI-QDA file: a .qdpx (zip), a .qdc codebook or a bare .qde, read safely.

In a .qdpx the project XML is ``project.qde``, or the one ``.qde`` entry when a tool named it
otherwise; sources are found under ``sources/`` in any letter case (``Sources/`` is common).
Texts are decoded like transcript files (BOM, UTF-8, UTF-16, Windows-1252). Sources that are
not inside the file (external paths) are skipped with a warning: coder never reads files a
project file points to.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from coder.errors import CoderError
from coder.refi.description import RoundTrip
from coder.refi.document import RefiDocument
from coder.refi.read.safe_zip import HostileFileError, SafeZip, ZipLimits, raise_hint
from coder.refi.read.xml_parser import RefiReader, parse_xml

INTERNAL = "internal://"
"""Prefix of a path inside the .qdpx's sources folder."""


def _decode(data: bytes, where: str) -> str:
    from coder.ingest.decoding import decode

    return decode(data, name=where)[0]


def _check_project_size(size: int, where: str, limits: ZipLimits) -> None:
    """Refuse project XML larger than ``refi_project_mb`` before it is read or parsed."""
    if size > limits.max_project_bytes:
        raise HostileFileError(
            f"{where}: refused: the project XML is {size:,} bytes, more than "
            f"{limits.max_project_bytes:,} (the limit refi_project_mb); it would be parsed into "
            f"memory. Nothing imported; {raise_hint('refi_project_mb', size)}"
        )


@dataclass(slots=True)
class RefiPackage:
    """A REFI-QDA file's document and the texts of its sources and notes."""

    path: Path
    """The file."""
    document: RefiDocument
    """Its XML, read."""
    sources: dict[str, str] = field(default_factory=dict)
    """Source GUID -> text as stored (decoded, not normalised)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Note GUID -> text."""
    warnings: list[str] = field(default_factory=list)
    """What could not be read, and why."""

    @classmethod
    def open(cls, path: Path, limits: ZipLimits | None = None) -> RefiPackage:
        """Read ``path``; hostile files raise ``HostileFileError`` before anything is written."""
        if not path.is_file():
            raise CoderError(f"{path}: no such file")
        if zipfile.is_zipfile(path):
            with SafeZip(path, limits) as archive:
                return cls._from_zip(path, archive)
        _check_project_size(path.stat().st_size, str(path), limits or ZipLimits())
        raw = path.read_bytes()
        document = RefiReader(str(path)).read(parse_xml(raw, str(path)))
        package = cls(path, RoundTrip.read(raw).attach(document))
        package._inline_texts(None)
        return package

    @classmethod
    def _from_zip(cls, path: Path, archive: SafeZip) -> RefiPackage:
        names = archive.names()
        qde = [name for name in names if name.lower().endswith(".qde")]
        top = [name for name in qde if "/" not in name.replace("\\", "/")]
        chosen = next((n for n in top if n.lower() == "project.qde"), None)
        if chosen is None:
            candidates = top or qde
            if len(candidates) != 1:
                found = ", ".join(candidates) if candidates else "none"
                raise CoderError(
                    f"{path}: expected one project file (project.qde) in the .qdpx; found {found}"
                )
            chosen = candidates[0]
        where = f"{path}:{chosen}"
        _check_project_size(archive.size(chosen), where, archive.limits)
        raw = archive.read(chosen)
        document = RefiReader(where).read(parse_xml(raw, where))
        package = cls(path, RoundTrip.read(raw).attach(document))
        package._inline_texts(archive)
        return package

    def _entry_for(self, archive: SafeZip | None, reference: str, what: str) -> str | None:
        if not reference.lower().startswith(INTERNAL):
            self.warnings.append(
                f"{what}: its text is not inside {self.path.name} ({reference!r}); skipped"
            )
            return None
        relative = reference[len(INTERNAL) :].replace("\\", "/")
        parts = PurePosixPath(relative).parts
        if relative.startswith("/") or ".." in parts:
            raise HostileFileError(
                f"{self.path}: refused: {what} points outside the file ({reference!r}); "
                "nothing imported"
            )
        if archive is not None:
            for candidate in (f"sources/{relative}", relative):
                found = archive.find(candidate)
                if found is not None:
                    return found
        self.warnings.append(f"{what}: {reference!r} is missing from {self.path.name}; skipped")
        return None

    def _inline_texts(self, archive: SafeZip | None) -> None:
        for source in self.document.sources:
            what = f"source {source.name!r}"
            if source.path:
                entry = self._entry_for(archive, source.path, what)
                if entry is not None and archive is not None:
                    data = archive.read(entry)
                    self.sources[source.guid] = _decode(data, f"{self.path}:{entry}")
            elif source.content is not None:
                self.sources[source.guid] = source.content
            else:
                self.warnings.append(f"{what} has no plain text; skipped")
            if source.guid not in self.sources:
                lost = sum(len(selection.codings) for selection in source.selections)
                if lost or source.whole_codings:
                    self.warnings.append(
                        f"{what} was skipped, and with it {lost + source.whole_codings} "
                        f"coding(s) lost ({len(source.selections)} selection(s))"
                    )
        for note in self.document.notes:
            if note.content is not None:
                self.notes[note.guid] = note.content
            elif note.path:
                entry = self._entry_for(archive, note.path, f"note {note.name!r}")
                if entry is not None and archive is not None:
                    self.notes[note.guid] = _decode(archive.read(entry), f"{self.path}:{entry}")
