"""``project.qde``: the REFI-QDA project XML, written element by element from the database.

Users are the coders. Each coder's coded range of a transcript (an excerpt, or a narrower
span) is one ``PlainTextSelection`` with that coder as ``creatingUser`` and one ``Coding`` per
code, as NVivo writes them: QualCoder takes the coder of a coding from its selection. Memos
are notes: an excerpt's memo hangs on its writer's selection of that excerpt (made for it if
the writer coded nothing there) and is also that selection's ``Description``, where QualCoder
and others show a coding's memo; a code's memo hangs on the code, the project's on the project;
cases cannot hold a ``NoteRef``, so a case memo is a ``Link`` from the case to the note.

Positions are code points (the standard's reading), or UTF-16 code units for NVivo, which
counts a character outside the Basic Multilingual Plane (an emoji) as two.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coder.domain.language import guess_language
from coder.refi.description import INSTRUCTION, PROJECT_KEY, RoundTrip
from coder.refi.write.cases_xml import CaseXmlWriter
from coder.refi.write.codes_xml import CodeTreeWriter, codebook_data
from coder.refi.write.ids import RefiIds
from coder.refi.write.xml_writer import XmlWriter
from coder.store.refi_snapshot import CodedRange, MemoRow, RefiSnapshot

if TYPE_CHECKING:
    from coder.project.project import Project

PROJECT_NS = "urn:QDA-XML:project:1.0"
"""The REFI-QDA project namespace."""
SNIPPET_CHARS = 60
"""A selection's ``name`` is the first this many code points of the selected text."""

Progress = Callable[[int, int], None]
"""Called with (done, total) as transcripts are written."""
POSITIONS = ("code-points", "utf16")
"""How selection positions can be counted: code points (the standard), UTF-16 code units."""


@dataclass(slots=True)
class ExportCounts:
    """What a project export wrote (filled in while writing)."""

    users: int = 0
    """Users (coders)."""
    codes: int = 0
    """Codes."""
    variables: int = 0
    """Variables: case attributes, and one per rated attribute and coder."""
    cases: int = 0
    """Cases."""
    sources: int = 0
    """Text sources."""
    selections: int = 0
    """PlainTextSelections."""
    codings: int = 0
    """Codings."""
    notes: int = 0
    """Notes (memos)."""
    warnings: list[str] = field(default_factory=list)
    """What could not be exported, and why."""


def memo_title(text: str) -> str:
    """A note's name: the memo's first line, cut at 50 characters."""
    first = text.strip().split("\n", 1)[0].strip()
    return first if len(first) <= 50 else first[:49] + "…"


def utf16_counter(text: str) -> Callable[[int], int]:
    """Code point offset in ``text`` -> UTF-16 code unit offset (an astral character is two)."""
    astral = [index for index, char in enumerate(text) if ord(char) > 0xFFFF]
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect_left(astral, offset)


def project_data(project: Project, language: str, positions: str) -> dict[str, Any]:
    """coder's data for the project: settings that decide the excerpts, codebook fields."""
    settings = project.settings
    return {
        "format": 1,
        "positions": positions,
        "language": settings.language,
        "speakers": {
            "interviewer": list(settings.speakers.interviewer),
            "participant": list(settings.speakers.participant),
        },
        "segmentation": {
            "max_chars": settings.segmentation.max_chars,
            "code_interviewer": settings.segmentation.code_interviewer,
        },
        "codebook": codebook_data(project.codebook, language, attributes=False),
    }


class ProjectXmlWriter:
    """Writes one project as REFI-QDA XML; ``write`` streams it to an ``XmlWriter``."""

    def __init__(
        self,
        project: Project,
        reader: RefiSnapshot,
        language: str,
        origin: str,
        positions: str = "code-points",
    ) -> None:
        if positions not in POSITIONS:
            raise ValueError(f"positions must be one of {POSITIONS}, not {positions!r}")
        self._project = project
        self._reader = reader
        self._language = language
        self._origin = origin
        self._positions = positions
        self._keep = RoundTrip()
        self._ids = RefiIds.for_project(project.settings.name)
        self._users: dict[str, str] = {}
        self._codes = {code.id: self._ids.code(code.id) for code in project.codebook.codes}
        self.counts = ExportCounts()

    def _user(self, name: str) -> str:
        """A coder's GUID (computed once per export)."""
        if name not in self._users:
            self._users[name] = self._ids.user(name)
        return self._users[name]

    def write(self, xml: XmlWriter, progress: Progress | None = None) -> None:
        """The whole ``<Project>``, in the schema's element order."""
        reader, ids, codebook = self._reader, self._ids, self._project.codebook
        first, last = reader.event_span()
        name = self._project.settings.name
        xml.declaration()
        attrs = {"xmlns": PROJECT_NS, "name": name, "origin": self._origin}
        xml.start("Project", attrs | {"creationDateTime": first, "modifiedDateTime": last})
        coders = reader.coders()
        if coders:
            xml.start("Users")
            for coder in coders:
                xml.empty("User", {"guid": ids.user(coder), "name": coder})
            xml.end()
        self.counts.users = len(coders)
        memos = reader.memos()
        code_notes: dict[str, list[str]] = defaultdict(list)
        project_notes: list[str] = []
        for memo in memos:
            if memo.code_id is not None and codebook.has_code(memo.code_id):
                code_notes[memo.code_id].append(ids.note(memo.id))
            elif memo.code_id is not None:
                self.counts.warnings.append(
                    f"memo {memo.id} is about code {memo.code_id!r}, which is not in the "
                    "codebook: exported as a project memo"
                )
                project_notes.append(ids.note(memo.id))
            elif memo.transcript_id is None and memo.case_id is None:
                project_notes.append(ids.note(memo.id))
        if codebook.codes:
            xml.start("CodeBook")
            tree = CodeTreeWriter(codebook, ids, self._language, self._keep)
            self.counts.codes = tree.write(xml, notes=code_notes)
            xml.end()
        cases = CaseXmlWriter(codebook, ids, self._language, round_trip=self._keep)
        cases.write_variables(xml, reader)
        cases.write_cases(xml, reader)
        self.counts.variables, self.counts.cases = len(cases.variables), cases.cases
        self.counts.warnings.extend(cases.warnings)
        self._write_sources(xml, memos, progress)
        self._write_notes(xml, memos)
        xml.text("Description", f"Exported by {self._origin} from the project {name!r}.")
        self._keep.keep(PROJECT_KEY, project_data(self._project, self._language, self._positions))
        for guid in project_notes:
            xml.empty("NoteRef", {"targetGUID": guid})
        xml.end()
        xml.instruction(INSTRUCTION, self._keep.instruction())

    def _write_sources(
        self, xml: XmlWriter, memos: list[MemoRow], progress: Progress | None
    ) -> None:
        rows = self._reader.transcripts()
        if not rows:
            return
        notes: dict[str, dict[tuple[int, int, str], list[MemoRow]]] = defaultdict(dict)
        for memo in memos:
            if memo.transcript_id is not None and memo.start is not None and memo.end is not None:
                key = (memo.start, memo.end, memo.coder)
                notes[memo.transcript_id].setdefault(key, []).append(memo)
        xml.start("Sources")
        for done, row in enumerate(rows, start=1):
            guid = self._ids.source(row.id)
            text = self._reader.text(row.id)
            attrs = {"guid": guid, "name": row.id, "plainTextPath": f"internal://{guid}.txt"}
            xml.start("TextSource", attrs)
            if row.language != guess_language(text, self._project.settings.language):
                self._keep.keep(guid, {"language": row.language})
            by_range: dict[tuple[int, int, str], list[CodedRange]] = defaultdict(list)
            for coding in self._reader.codings(row.id):
                if self._project.codebook.has_code(coding.code_id):
                    by_range[(coding.start, coding.end, coding.coder)].append(coding)
                else:
                    self.counts.warnings.append(
                        f"{row.id} {coding.start}-{coding.end}: {coding.coder}'s code "
                        f"{coding.code_id!r} is not in the codebook; not exported"
                    )
            mine = notes.get(row.id, {})
            count = utf16_counter(text) if self._positions == "utf16" else None
            for start, end, coder in sorted(set(by_range) | set(mine)):
                coded = by_range.get((start, end, coder), [])
                memo_list = mine.get((start, end, coder), [])
                where = (start, end, coder)
                self._write_selection(xml, row.id, text, where, coded, memo_list, count)
            xml.end()
            if progress is not None:
                progress(done, len(rows))
        xml.end()
        self.counts.sources = len(rows)

    def _write_selection(
        self,
        xml: XmlWriter,
        transcript_id: str,
        text: str,
        where: tuple[int, int, str],
        coded: list[CodedRange],
        notes: list[MemoRow],
        count: Callable[[int], int] | None,
    ) -> None:
        """One coder's selection of one range: their codings, and their memos on it."""
        ids = self._ids
        start, end, coder = where
        times = [c.created_at for c in coded] + [m.created_at for m in notes]
        attrs = {
            "guid": ids.selection(transcript_id, start, end, coder),
            "name": text[start:end][:SNIPPET_CHARS],
            "startPosition": str(count(start) if count else start),
            "endPosition": str(count(end) if count else end),
            "creatingUser": self._user(coder),
            "creationDateTime": min(times),
        }
        xml.start("PlainTextSelection", attrs)
        if notes:
            xml.text("Description", "\n\n".join(memo.text for memo in notes))
        for coding in coded:
            xml.start(
                "Coding",
                {
                    "guid": ids.coding(transcript_id, start, end, coding.coder, coding.code_id),
                    "creatingUser": self._user(coding.coder),
                    "creationDateTime": coding.created_at,
                },
            )
            xml.empty("CodeRef", {"targetGUID": self._codes[coding.code_id]})
            xml.end()
        for memo in notes:
            xml.empty("NoteRef", {"targetGUID": ids.note(memo.id)})
        xml.end()
        self.counts.selections += 1
        self.counts.codings += len(coded)

    def _write_notes(self, xml: XmlWriter, memos: list[MemoRow]) -> None:
        if not memos:
            return
        xml.start("Notes")
        for memo in memos:
            attrs = {
                "guid": self._ids.note(memo.id),
                "name": memo_title(memo.text),
                "creatingUser": self._user(memo.coder),
                "creationDateTime": memo.created_at,
                "modifiedDateTime": memo.updated_at,
            }
            xml.start("Note", attrs)
            xml.text("PlainTextContent", memo.text)
            xml.end()
        xml.end()
        self.counts.notes = len(memos)
        case_memos = [m for m in memos if m.case_id is not None]
        if case_memos:
            xml.start("Links")
            for memo in case_memos:
                attrs = {
                    "guid": self._ids.link(memo.id),
                    "name": "memo",
                    "direction": "OneWay",
                    "originGUID": self._ids.case(str(memo.case_id)),
                    "targetGUID": self._ids.note(memo.id),
                }
                xml.empty("Link", attrs)
            xml.end()
