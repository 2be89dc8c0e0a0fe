"""Storing a read REFI-QDA document into a new project: sources, codings, cases, memos."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coder.domain.coders import CONSENSUS
from coder.errors import CoderError
from coder.refi.description import DescriptionText
from coder.refi.document import RefiDocument, RefiSelection, RefiSource
from coder.refi.load.codebook_draft import CodebookDraft
from coder.refi.load.excerpt_index import ExcerptIndex
from coder.refi.load.names import coder_name, plain_id, unique
from coder.refi.load.notes import NoteTargets, note_text
from coder.refi.load.positions import PositionMap, PositionMode
from coder.refi.load.store_writer import CodingRow, RefiStoreWriter
from coder.refi.read.package import RefiPackage
from coder.store.refi_load import NewMemo

FALLBACK_CODER = "imported"
"""Coder of codings and notes whose user is not given."""
LANG_RE = re.compile(r"^[a-z]{2,3}$")
"""A language code as coder.toml takes it."""

Progress = Callable[[str, int, int], None]
"""Called with (what is happening, done, total); total 0 when the step has no count."""


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What the importer stored."""

    transcripts: int
    """Transcripts."""
    coders: tuple[str, ...]
    """Coders with codings, ratings or memos."""
    codings: int
    """Codings added."""
    ratings: int
    """Ratings."""
    memos: int
    """Memos."""


def _users(doc: RefiDocument) -> dict[str, str]:
    names: dict[str, str] = {}
    for user in doc.users:
        name = coder_name(user.name, f"user-{user.guid[:8] or len(names) + 1}")
        names[user.guid] = unique(name, set(names.values()), limit=64)
    return names


def _timestamp(value: str | None) -> str:
    """A note's time as ISO 8601, or now when it has none (or an unreadable one)."""
    from datetime import UTC, datetime

    if value:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed.isoformat()
    return datetime.now(UTC).isoformat(timespec="microseconds")


class RefiImporter:
    """Stores one read document into the staged project."""

    def __init__(
        self,
        package: RefiPackage,
        draft: CodebookDraft,
        maps: dict[str, PositionMap],
        mode: PositionMode,
        store: RefiStoreWriter,
    ) -> None:
        self.package, self.doc, self.draft = package, package.document, draft
        self.maps, self.mode, self.store = maps, mode, store
        self.users = _users(self.doc)
        self.case_ids: dict[str, str] = {}
        for case in self.doc.cases:
            self.case_ids[case.guid] = unique(
                plain_id(case.name or case.guid, "case"), set(self.case_ids.values())
            )
        self.notes = NoteTargets()
        self.used: set[str] = set()
        self.selection_memos: list[NewMemo] = []

    def _coder(self, user: str | None) -> str:
        name = self.users.get(user or "", FALLBACK_CODER)
        self.used.add(name)
        return name

    def run(self, warnings: list[str], progress: Progress | None) -> ImportCounts:
        """Import everything."""
        doc, rows = self.doc, []
        sources = [s for s in doc.sources if s.guid in self.maps]
        taken: set[str] = set()
        stats = {"crossing": 0, "outside": 0, "empty": 0, "unknown_code": 0, "stored": 0}
        for done, source in enumerate(sources, start=1):
            positions = self.maps[source.guid]
            if not positions.text.strip():
                warnings.append(f"source {source.name!r} has no text; skipped")
                continue
            transcript_id = unique(plain_id(source.name, "source", strip_suffix=True), taken)
            taken.add(transcript_id)
            cases = [c for c in doc.cases if source.guid in c.source_refs]
            if len(cases) > 1:
                warnings.append(
                    f"source {source.name!r} belongs to {len(cases)} cases; kept the first"
                )
            case_id = self.case_ids[cases[0].guid] if cases else None
            meta = DescriptionText.parse(source.description).data or {}
            language = meta.get("language") if LANG_RE.match(str(meta.get("language"))) else None
            stored_id, stored_text, notes = self.store.add_transcript(
                transcript_id, positions.raw, case_id, language
            )
            warnings.extend(f"source {source.name!r}: {note}" for note in notes)
            stats["stored"] += stored_id == transcript_id
            if stored_id != transcript_id:
                warnings.append(
                    f"source {source.name!r} has the same text as {stored_id!r}; "
                    "its codings were added there"
                )
            if stored_text != positions.text:
                raise CoderError(
                    f"source {source.name!r}: the stored text differs from the text the "
                    "selections were mapped onto; nothing imported (please report this)"
                )
            index = self.store.excerpt_index(stored_id)
            rows.extend(self._codings(source, stored_id, index, stats))
            self.notes.add(source.note_refs, ("case", case_id or stored_id))
            if progress is not None:
                progress("Importing sources", done, len(sources))
        if stats["crossing"]:
            warnings.append(
                f"{stats['crossing']} selection(s) crossed excerpt boundaries: each excerpt "
                "they cover was coded with the part it covers"
            )
        if stats["outside"]:
            warnings.append(
                f"{stats['outside']} selection(s) lay outside every excerpt (speaker labels, "
                "blank lines) and were skipped"
            )
        if stats["empty"]:
            warnings.append(f"{stats['empty']} empty selection(s) skipped")
        if stats["unknown_code"]:
            warnings.append(f"{stats['unknown_code']} coding(s) of unknown codes skipped")
        whole = sum(source.whole_codings for source in doc.sources)
        if whole:
            warnings.append(f"{whole} coding(s) of whole sources skipped (code excerpts instead)")
        if progress is not None:
            progress(f"Storing {len(rows):,} codings", 0, 0)
        added = self.store.add_codings(rows)
        if progress is not None:
            progress("Storing cases, ratings and memos", 0, 0)
        ratings, memo_rows = self._cases_and_memos(warnings)
        payload = {"file": str(self.package.path), "codings": added, "memos": len(memo_rows)}
        self.store.add_ratings_and_memos(ratings, memo_rows, payload)
        return ImportCounts(
            stats["stored"], tuple(sorted(self.used)), added, len(ratings), len(memo_rows)
        )

    def _cases_and_memos(
        self, warnings: list[str]
    ) -> tuple[list[tuple[str, str, str, str]], list[NewMemo]]:
        doc, planner = self.doc, self.draft.attributes
        facts: dict[str, dict[str, str]] = {}
        ratings: list[tuple[str, str, str, str]] = []
        for case in doc.cases:
            case_id = self.case_ids[case.guid]
            for guid, raw in case.values:
                found = planner.value(guid, raw, f"case {case_id!r}")
                if found is None:
                    continue
                plan, value = found
                if plan.coder is None:
                    facts.setdefault(case_id, {})[plan.attribute] = value
                else:
                    coder = coder_name(plan.coder, FALLBACK_CODER)
                    self.used.add(coder)
                    ratings.append((case_id, plan.attribute, coder, value))
            if case.selection_refs:
                warnings.append(
                    f"case {case_id!r}: {case.selection_refs} selection reference(s) skipped "
                    "(coder's cases hold whole transcripts)"
                )
        self.store.add_cases(list(self.case_ids.values()), facts)
        self.notes.add_codes(doc.codes, self.draft.code_ids)
        self.notes.add_links(doc, self.case_ids)
        targets = self.notes.finish(doc)
        memo_rows: list[NewMemo] = []
        for note in doc.notes:
            text = note_text(note, self.package.notes.get(note.guid))
            if not text:
                warnings.append(f"note {note.name or note.guid!r} is empty; skipped")
                continue
            coder = self._coder(note.user)
            created = _timestamp(note.created)
            for kind, about in targets[note.guid]:
                memo_rows.append(
                    NewMemo(
                        coder,
                        text,
                        created,
                        excerpt_id=about if kind == "excerpt" and isinstance(about, int) else None,
                        code_id=str(about) if kind == "code" else None,
                        case_id=str(about) if kind == "case" else None,
                    )
                )
        return ratings, memo_rows + self.selection_memos

    def _codings(
        self, source: RefiSource, transcript_id: str, index: ExcerptIndex, stats: dict[str, int]
    ) -> list[CodingRow]:
        rows: list[CodingRow] = []
        positions = self.maps[source.guid]
        for sel in source.selections:
            start, end = positions.to_text(self.mode, sel.start, sel.end)
            placements = index.place(start, end)
            if start == end:
                stats["empty"] += 1
            elif not placements:
                stats["outside"] += 1
            elif len(placements) > 1 and sel.codings:
                stats["crossing"] += 1
            for coding in sel.codings:
                code_id = self.draft.code_ids.get(coding.code)
                if code_id is None:
                    stats["unknown_code"] += 1
                    continue
                coder = self._coder(coding.user or sel.user)
                origin = "consensus" if coder == CONSENSUS else "imported"
                for place in placements:
                    rows.append(
                        CodingRow(
                            transcript_id, place.excerpt.seq, place.span, code_id, coder, origin
                        )
                    )
            anchor = placements[0].excerpt if placements else index.first_at(start)
            refs = [*sel.note_refs, *(n for c in sel.codings for n in c.note_refs)]
            if anchor is not None:
                self.notes.add(refs, ("excerpt", anchor.id))
                self._selection_memo(sel, refs, anchor.id)
        return rows

    def _selection_memo(self, sel: RefiSelection, refs: list[str], excerpt_id: int) -> None:
        """A selection's description is its coding's memo (QualCoder writes it there); coder's
        own exports write the memo there and as a note, so a description that repeats the
        selection's notes is not stored twice."""
        text = sel.description.replace("\r\n", "\n").strip()
        if not text:
            return
        noted = "\n\n".join((self.package.notes.get(ref) or "").strip() for ref in refs)
        if text == noted:
            return
        user = sel.user or next((c.user for c in sel.codings if c.user), None)
        memo = NewMemo(self._coder(user), text, _timestamp(sel.created), excerpt_id=excerpt_id)
        self.selection_memos.append(memo)
