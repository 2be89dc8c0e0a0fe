"""REFI-QDA export: a project as ``.qdpx`` (zip of ``project.qde`` and ``sources/``), the
codebook alone as ``.qdc``.

Both files are written to a temporary file beside the target and moved into place only when
complete, so a failed export never leaves a broken file. The same project exports to the same
bytes: GUIDs are uuid5, zip entries carry a fixed date, and the project's times come from its
event log.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.refi.description import INSTRUCTION, RoundTrip
from coder.refi.write.codes_xml import CodeTreeWriter, codebook_data, label_language
from coder.refi.write.ids import RefiIds
from coder.refi.write.project_xml import ExportCounts, Progress, ProjectXmlWriter
from coder.refi.write.xml_writer import XmlWriter
from coder.store.refi_snapshot import refi_snapshot

if TYPE_CHECKING:
    from coder.project.project import Project

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
"""The REFI-QDA codebook namespace."""
PROJECT_ENTRY = "project.qde"
"""The project XML inside a .qdpx."""
SOURCES_FOLDER = "sources"
"""Folder of the plain-text sources inside a .qdpx."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Fixed modification time of every zip entry, so exports are reproducible."""


def schema_file(name: str) -> Path:
    """A shipped REFI-QDA schema: ``Project.xsd`` or ``Codebook.xsd`` (MIT, see xsd/LICENSE)."""
    from importlib.resources import files

    found = files("coder.refi").joinpath("xsd", name)
    if not found.is_file():
        raise CoderError(f"the REFI-QDA schema {name} is missing from this installation")
    return Path(str(found))


def origin() -> str:
    """The ``origin`` attribute: this program and its version."""
    from coder import __version__

    return f"coder {__version__}"


@dataclass(frozen=True, slots=True)
class RefiExportResult:
    """What an export wrote."""

    path: Path
    """The file written."""
    kind: str
    """``qdpx`` or ``qdc``."""
    users: int
    """Users (coders)."""
    codes: int
    """Codes."""
    variables: int
    """Variables."""
    cases: int
    """Cases."""
    sources: int
    """Text sources."""
    selections: int
    """PlainTextSelections."""
    codings: int
    """Codings."""
    notes: int
    """Notes (memos)."""
    warnings: tuple[str, ...] = ()
    """What was left out, and why."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "path": str(self.path),
            "kind": self.kind,
            "users": self.users,
            "codes": self.codes,
            "variables": self.variables,
            "cases": self.cases,
            "sources": self.sources,
            "selections": self.selections,
            "codings": self.codings,
            "notes": self.notes,
            "warnings": list(self.warnings),
        }


@contextmanager
def _atomic(target: Path) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``target`` when the block ends without an error."""
    folder = target.parent
    if not folder.is_dir():
        raise CoderError(f"{target}: the folder {folder} does not exist")
    temporary = folder / f".{target.name}.{os.getpid()}.partial"
    try:
        fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(temporary, target)
    except OSError as exc:
        raise CoderError(f"{target}: cannot write ({exc.strerror or exc})") from None
    finally:
        temporary.unlink(missing_ok=True)


def _entry(archive: zipfile.ZipFile, name: str) -> IO[str]:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    raw = archive.open(info, "w", force_zip64=True)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)


def export_refi(
    project: Project,
    target: Path,
    *,
    include_model: bool = False,
    progress: Progress | None = None,
    positions: str = "code-points",
) -> RefiExportResult:
    """Write ``project`` as a REFI-QDA project (.qdpx); ``model`` suggestions only if asked.

    ``positions`` is ``code-points`` (the standard) or ``utf16`` (NVivo's way of counting).
    """
    language = label_language(project.codebook, project.settings.language)
    writer: ProjectXmlWriter | None = None
    with (
        refi_snapshot(project, include_model=include_model) as reader,
        _atomic(target) as out,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        rows = reader.transcripts()
        total = 2 * len(rows)
        step: Progress | None = None
        if progress is not None:
            report = progress
            step = lambda done, _total: report(done, total)  # noqa: E731
        with _entry(archive, PROJECT_ENTRY) as qde:
            writer = ProjectXmlWriter(project, reader, language, origin(), positions)
            writer.write(XmlWriter(qde), step)
        ids = RefiIds.for_project(project.settings.name)
        for done, row in enumerate(rows, start=len(rows) + 1):
            with _entry(archive, f"{SOURCES_FOLDER}/{ids.source(row.id)}.txt") as source:
                source.write(reader.text(row.id))
            if progress is not None:
                progress(done, total)
    counts: ExportCounts = writer.counts
    return RefiExportResult(
        target,
        "qdpx",
        counts.users,
        counts.codes,
        counts.variables,
        counts.cases,
        counts.sources,
        counts.selections,
        counts.codings,
        counts.notes,
        tuple(counts.warnings),
    )


def export_qdc(project: Project, target: Path) -> RefiExportResult:
    """Write the project's codebook as a REFI-QDA codebook (.qdc)."""
    codebook = project.codebook
    if not codebook.codes:
        raise CoderError(f"{codebook.source}: the codebook has no codes; a .qdc needs at least one")
    language = label_language(codebook, project.settings.language)
    ids = RefiIds.for_project(project.settings.name)
    meta = codebook_data(codebook, language, attributes=True)
    with _atomic(target) as out:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        xml = XmlWriter(text)
        xml.declaration()
        xml.start("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin()})
        keep = RoundTrip()
        count = CodeTreeWriter(codebook, ids, language, keep).write(xml, first_code_extra=meta)
        xml.end()
        xml.instruction(INSTRUCTION, keep.instruction())
        text.flush()
        text.detach()
    return RefiExportResult(target, "qdc", 0, count, 0, 0, 0, 0, 0, 0)
