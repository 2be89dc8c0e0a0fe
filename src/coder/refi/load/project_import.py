"""``coder import-refi``: a REFI-QDA project (.qdpx) or codebook (.qdc) as a new coder project.

The file is read and checked completely (hostile content refused, every selection inside its
source, the codebook valid) before anything is written; the project is then built in a hidden
folder and moved into place only when the whole import succeeded. Users become coders,
selections become codings of the excerpts they cover (see ``excerpt_index``), variables become
case attributes or per-coder ratings, notes become memos.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.refi.description import DescriptionText
from coder.refi.document import RefiDocument
from coder.refi.load.codebook_draft import CodebookDraft
from coder.refi.load.document_loader import LANG_RE, Progress, RefiImporter
from coder.refi.load.names import plain_id
from coder.refi.load.positions import MODES, PositionMap, PositionMode, choose_mode
from coder.refi.load.staging import StagedProject, remove_abandoned
from coder.refi.load.store_writer import RefiStoreWriter
from coder.refi.read.package import RefiPackage
from coder.refi.read.safe_zip import ZipLimits


@dataclass(frozen=True, slots=True)
class RefiImportResult:
    """What an import made."""

    folder: Path
    """The new project."""
    kind: str
    """``project`` or ``codebook``."""
    transcripts: int
    """Transcripts imported."""
    codes: int
    """Codes in the new codebook."""
    coders: tuple[str, ...]
    """Coders with codings, ratings or memos."""
    cases: int
    """Cases."""
    codings: int
    """Codings stored."""
    ratings: int
    """Ratings stored."""
    memos: int
    """Memos stored."""
    positions: str
    """How the file's positions were read: "code points" (the standard), else e.g.
    "code points, a CRLF line end counting as one"."""
    warnings: tuple[str, ...] = ()
    """What was skipped or changed, and why."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "folder": str(self.folder),
            "kind": self.kind,
            "transcripts": self.transcripts,
            "codes": self.codes,
            "coders": list(self.coders),
            "cases": self.cases,
            "codings": self.codings,
            "ratings": self.ratings,
            "memos": self.memos,
            "positions": self.positions,
            "warnings": list(self.warnings),
        }


def dropped_warnings(doc: RefiDocument) -> list[str]:
    """What the import leaves out of the document: media sources (and their codings), sets,
    graphs and links coder has no place for."""
    found: list[str] = []
    for element, count in sorted(doc.skipped.items()):
        lost = doc.skipped_codings.get(element, 0)
        tail = f", and with them {lost} coding(s) lost" if lost else ""
        found.append(f"{count} {element} element(s) skipped: coder imports text sources only{tail}")
    for what, names in (("set", doc.sets), ("graph", doc.graphs)):
        if names:
            shown = ", ".join(repr(name) for name in names[:5]) + (
                ", ..." if len(names) > 5 else ""
            )
            found.append(f"{len(names)} {what}(s) ({shown}) not imported: coder has no {what}s")
    notes = {note.guid for note in doc.notes}
    other = [link for link in doc.links if link.origin not in notes and link.target not in notes]
    if other:
        found.append(
            f"{len(other)} link(s) between codes, sources or selections not imported "
            "(coder keeps links between notes and cases, as memos)"
        )
    return found


def _language(data: dict[str, Any], package: RefiPackage) -> str:
    from coder.domain.language import guess_language

    given = data.get("language")
    if isinstance(given, str) and LANG_RE.match(given):
        return given
    return guess_language("\n".join(package.sources.values())[:20_000], "en")


def _position_mode(
    doc: RefiDocument, maps: dict[str, PositionMap], where: Path, written: object
) -> PositionMode:
    """The way the file counts positions: as coder wrote it down (``written``), else the one
    under which its selections line up best."""
    for source in doc.sources:
        for sel in source.selections:
            if source.guid in maps and not 0 <= sel.start <= sel.end:
                raise CoderError(
                    f"{where}: refused: selection {sel.guid} of source {source.name!r} has "
                    f"start {sel.start} and end {sel.end}; nothing imported"
                )
    pairs = [(maps[s.guid], s.selections) for s in doc.sources if s.guid in maps and s.selections]
    stated = {"utf16": PositionMode(2, True), "code-points": PositionMode(2, False)}.get(
        str(written)
    )
    fits = stated is not None and all(
        positions.inside(stated, s.start, s.end) for positions, sels in pairs for s in sels
    )
    mode = stated if fits else choose_mode(pairs)
    if mode is not None:
        for positions in maps.values():
            positions.keep(mode)
        return mode
    for source in doc.sources:
        for sel in source.selections if source.guid in maps else ():
            positions = maps[source.guid]
            if not any(positions.inside(m, sel.start, sel.end) for m in MODES):
                raise CoderError(
                    f"{where}: refused: selection {sel.guid} of source {source.name!r} "
                    f"({sel.start}-{sel.end}) lies outside the source "
                    f"({positions.length(MODES[0])} characters); nothing imported"
                )
    raise CoderError(
        f"{where}: refused: no one way of counting positions fits every selection inside its "
        "source; nothing imported"
    )


def import_refi(
    path: Path,
    into: Path | None = None,
    *,
    limits: ZipLimits | None = None,
    progress: Progress | None = None,
) -> RefiImportResult:
    """Make a new project from ``path`` in ``into`` (default: ``./<file name>``)."""
    from coder.project.project import Project

    target = (into if into is not None else Path.cwd() / plain_id(path.stem, "refi")).expanduser()
    if target.exists():
        raise CoderError(f"{target}: exists already; nothing was changed (pick a new folder)")
    removed = remove_abandoned(target.parent) if target.parent.is_dir() else []
    package = RefiPackage.open(path, limits)
    doc = package.document
    warnings = list(package.warnings)
    if removed:
        warnings.append(
            f"removed {len(removed)} unfinished folder(s) an interrupted import left in "
            f"{target.parent}: {', '.join(removed)}"
        )
    warnings.extend(dropped_warnings(doc))
    data = DescriptionText.parse(doc.description).data or {}
    language = _language(data, package)
    name = doc.name or path.stem
    coded = {c.code for s in doc.sources for sel in s.selections for c in sel.codings}
    draft = CodebookDraft(doc, name=name, language=language, coded=coded, warnings=warnings)
    codebook_text = draft.yaml_text()
    draft.check(codebook_text, str(path))
    maps = {guid: PositionMap(text) for guid, text in package.sources.items()}
    mode = _position_mode(doc, maps, path, data.get("positions"))
    staged = StagedProject(target)
    try:
        codebook_path = staged.write_codebook(draft.name, codebook_text)
        staged.write_settings(name, language, codebook_path, data)
        with Project.open(staged.folder) as project:
            store = RefiStoreWriter(project, staged)
            counts = RefiImporter(package, draft, maps, mode, store).run(warnings, progress)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    crlf = any(positions.has_crlf for positions in maps.values())
    return RefiImportResult(
        folder=target,
        kind=doc.kind,
        transcripts=counts.transcripts,
        codes=len(draft.code_ids),
        coders=counts.coders,
        cases=len(doc.cases),
        codings=counts.codings,
        ratings=counts.ratings,
        memos=counts.memos,
        positions=mode.describe(crlf=crlf),
        warnings=tuple(warnings),
    )
