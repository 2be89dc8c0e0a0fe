"""REFI-QDA notes as coder memos: what each note is about, and its text.

A note referenced from a selection or coding becomes a memo on the excerpt the selection
starts in; from a code, a code memo; from a source, a memo on the source's case; linked to a
case (coder's way, since cases cannot hold a ``NoteRef``), a case memo; from the project, or
from nowhere at all, a project memo. A note's name heads the memo unless it is the text's first
line already.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coder.refi.document import RefiCode, RefiDocument, RefiNote

Target = tuple[str, str | int | None]
"""("excerpt", excerpt id), ("code", code id), ("case", case id) or ("project", None)."""


def note_text(note: RefiNote, body: str | None) -> str:
    """The memo text: the note's content, headed by its name unless the name is its first line
    (or that line cut short with "…", as coder names its notes)."""
    text = (body or "").replace("\r\n", "\n").strip()
    title = note.name.strip()
    first = text.split("\n", 1)[0].strip()
    if not title or title == first or (title.endswith("…") and first.startswith(title[:-1])):
        return text
    return f"{title}\n\n{text}" if text else title


@dataclass(slots=True)
class NoteTargets:
    """Collects what each note (by GUID) is about."""

    targets: dict[str, list[Target]] = field(default_factory=dict)
    """Note GUID -> targets, in the order found, without repeats."""

    def add(self, note_guids: Iterable[str], target: Target) -> None:
        """Record that these notes are about ``target``."""
        for guid in note_guids:
            found = self.targets.setdefault(guid, [])
            if target not in found:
                found.append(target)

    def add_codes(self, codes: Iterable[RefiCode], code_ids: Mapping[str, str]) -> None:
        """Notes on codes (the whole tree)."""
        for code in codes:
            if code.guid in code_ids:
                self.add(code.note_refs, ("code", code_ids[code.guid]))
            self.add_codes(code.children, code_ids)

    def add_links(self, doc: RefiDocument, case_ids: Mapping[str, str]) -> None:
        """Notes linked to cases."""
        notes = {note.guid for note in doc.notes}
        for link in doc.links:
            ends = [link.origin, link.target]
            for note_end, case_end in (ends, ends[::-1]):
                if note_end in notes and case_end in case_ids:
                    self.add([str(note_end)], ("case", case_ids[str(case_end)]))

    def finish(self, doc: RefiDocument) -> dict[str, list[Target]]:
        """Every note's targets; notes about nothing are project memos."""
        self.add(doc.note_refs, ("project", None))
        for note in doc.notes:
            self.targets.setdefault(note.guid, [])
            if not self.targets[note.guid]:
                self.targets[note.guid].append(("project", None))
        return self.targets
