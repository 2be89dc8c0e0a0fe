"""One coder's state in one transcript: what the coding screen shows, kept in step with the store.

No textual here: the screen calls these methods and redraws; every change is committed by the
store before the method returns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coder.domain.transcript import Excerpt, Origin
from coder.errors import CoderError

if TYPE_CHECKING:
    from coder.project.project import Project

Span = tuple[int, int] | None


@dataclass(slots=True)
class CodingSession:
    """A transcript opened by a coder: excerpts, this coder's codings and reviews, the cursor."""

    project: Project
    """The open project."""
    coder: str
    """Whose work this is; nothing of other coders is loaded."""
    transcript_id: str
    """The transcript."""
    case_id: str | None
    """Its case."""
    excerpts: list[Excerpt]
    """Excerpts in order."""
    codes: dict[int, list[tuple[str, Span]]]
    """Excerpt id -> this coder's (code id, span) pairs."""
    reviewed: set[int]
    """Excerpt ids this coder has reviewed."""
    index: int = 0
    """Cursor position in ``excerpts``."""
    code_counts: Counter[str] = field(default_factory=Counter)
    """This coder's codings per code, across the project."""
    seen: set[int] = field(default_factory=set)
    """Excerpt ids shown under the cursor in this session: the list tells them from reviewed
    ones, but seeing is not reviewing (never stored, never in agreement or exports)."""
    out_of_step: bool = False
    """The last toggle found the database already so: another session of this coder did it."""
    _codable: frozenset[int] | None = None

    @classmethod
    def open(cls, project: Project, coder: str, transcript_id: str) -> CodingSession:
        """Load a transcript for a coder, restoring the saved position."""
        from coder.store.coder_view import (
            coder_code_counts,
            load_position,
            save_position,
            transcript_case,
        )
        from coder.store.queries import (
            coder_codings_by_excerpt,
            load_excerpts,
            reviewed_excerpts,
        )

        excerpts = load_excerpts(project, transcript_id)
        if not excerpts:
            raise CoderError(f"transcript {transcript_id!r} has no excerpts")
        session = cls(
            project=project,
            coder=coder,
            transcript_id=transcript_id,
            case_id=transcript_case(project, transcript_id),
            excerpts=excerpts,
            codes=coder_codings_by_excerpt(project, coder, transcript_id),
            reviewed=reviewed_excerpts(project, coder, transcript_id),
            code_counts=Counter(coder_code_counts(project, coder)),
        )
        seq = load_position(project, coder, transcript_id)
        if seq is not None:
            session.index = next((i for i, e in enumerate(excerpts) if e.seq == seq), 0)
        elif not excerpts[0].codable:
            session.index = next((i for i, e in enumerate(excerpts) if e.codable), 0)
        session.seen.add(session.current.id)
        # opened is where the coder is now: home offers to resume here next time
        save_position(project, coder, transcript_id, session.current.seq)
        return session

    @property
    def current(self) -> Excerpt:
        """The excerpt under the cursor."""
        return self.excerpts[self.index]

    def codes_of(self, excerpt: Excerpt) -> list[tuple[str, Span]]:
        """This coder's codes on an excerpt, in the order applied."""
        return self.codes.get(excerpt.id, [])

    @property
    def codable_count(self) -> int:
        """Number of codable excerpts."""
        return len(self._codable_ids)

    @property
    def reviewed_count(self) -> int:
        """Number of codable excerpts this coder has reviewed."""
        return len(self.reviewed & self._codable_ids)

    @property
    def _codable_ids(self) -> frozenset[int]:
        if self._codable is None:
            self._codable = frozenset(e.id for e in self.excerpts if e.codable)
        return self._codable

    def move_to(self, index: int) -> bool:
        """Move the cursor; True when it moved. Moving never marks anything reviewed."""
        from coder.store.coder_view import save_position

        index = max(0, min(index, len(self.excerpts) - 1))
        if index == self.index:
            return False
        self.index = index
        self.seen.add(self.current.id)
        self.reload_excerpt(self.current.id)  # what another session of this coder did since
        save_position(self.project, self.coder, self.transcript_id, self.current.seq)
        return True

    def unmark_reviewed(self) -> bool:
        """Take back the reviewed mark on the current excerpt; True when there was one."""
        from coder.store.operations import mark_reviewed

        excerpt = self.current
        if excerpt.id not in self.reviewed:
            return False
        mark_reviewed(self.project, self.coder, excerpt.id, reviewed=False, undoable=True)
        self.reviewed.discard(excerpt.id)
        return True

    def mark_current_reviewed(self) -> bool:
        """The coder says "looked at it, no code" (space); True when it was not reviewed yet."""
        from coder.store.operations import mark_reviewed

        excerpt = self.current
        if not excerpt.codable or excerpt.id in self.reviewed:
            return False
        mark_reviewed(self.project, self.coder, excerpt.id, undoable=True)
        self.reviewed.add(excerpt.id)
        return True

    def rest_unreviewed(self) -> list[Excerpt]:
        """Unreviewed codable excerpts from the cursor to the end of the transcript."""
        return [e for e in self.excerpts[self.index :] if e.codable and e.id not in self.reviewed]

    def mark_rest_reviewed(self) -> int:
        """Mark every unreviewed excerpt from here to the end reviewed, in one undoable step."""
        from coder.store.operations import mark_rest_reviewed

        marked = mark_rest_reviewed(
            self.project, self.coder, [e.id for e in self.rest_unreviewed()]
        )
        self.reviewed.update(marked)
        return len(marked)

    def reload_reviewed(self) -> None:
        """Re-read this coder's reviewed marks (after undo or redo), into the same set."""
        from coder.store.queries import reviewed_excerpts

        fresh = reviewed_excerpts(self.project, self.coder, self.transcript_id)
        self.reviewed.clear()
        self.reviewed.update(fresh)

    def step_codable(self, step: int) -> int:
        """Index ``step`` codable excerpts away (interviewer turns are skipped), clamped."""
        index = self.index
        direction = 1 if step > 0 else -1
        for _ in range(abs(step)):
            probe = index + direction
            while 0 <= probe < len(self.excerpts) and not self.excerpts[probe].codable:
                probe += direction
            if not 0 <= probe < len(self.excerpts):
                break
            index = probe
        return index

    def edge_codable(self, direction: int) -> int:
        """Index of the first (direction < 0) or last codable excerpt."""
        order = (
            range(len(self.excerpts)) if direction < 0 else range(len(self.excerpts) - 1, -1, -1)
        )
        return next(
            (i for i in order if self.excerpts[i].codable),
            0 if direction < 0 else len(self.excerpts) - 1,
        )

    def next_unreviewed(self, step: int) -> int | None:
        """Index of the next (step 1) or previous (step -1) unreviewed codable excerpt."""
        index = self.index + step
        while 0 <= index < len(self.excerpts):
            excerpt = self.excerpts[index]
            if excerpt.codable and excerpt.id not in self.reviewed:
                return index
            index += step
        return None

    def toggle(self, code_id: str, span: Span = None, origin: Origin = Origin.MANUAL) -> bool:
        """Toggle a code on the current excerpt (or a span of it); True when now applied.

        The toggle means what the coder saw: a code shown as absent is applied, one shown as
        present is removed, whatever the database holds by now (the same coder may have the
        app open twice, or an import ran meanwhile). Applying an existing coding or removing
        a missing one changes nothing, so nobody's work is deleted or duplicated; the
        excerpt's codes are then re-read from the database and ``out_of_step`` says so.
        """
        from coder.store.operations import remove_code, toggle_code

        excerpt = self.current
        if not excerpt.codable:
            raise CoderError(
                f"excerpt {excerpt.seq} is an interviewer turn or header: not codable "
                "(set code_interviewer = true in coder.toml to code interviewer turns)"
            )
        shown = (code_id, span) in self.codes_of(excerpt)
        self.reload_excerpt(excerpt.id)  # the database, not the screen, decides what changes
        there = (code_id, span) in self.codes_of(excerpt)
        self.out_of_step = shown != there
        if shown and there:
            remove_code(self.project, self.coder, excerpt.id, code_id, span=span)
        elif not shown and not there:
            toggle_code(
                self.project, self.coder, excerpt.id, code_id, origin=origin, span=span, review=True
            )
            self.reviewed.add(excerpt.id)  # the store marked it in the same step
        self.reload_excerpt(excerpt.id)
        return not shown

    def reload_excerpt(self, excerpt_id: int) -> None:
        """Re-read this coder's codes on one excerpt (after undo or redo)."""
        from coder.store.coder_view import coder_codings_for_excerpt

        before = self.codes.get(excerpt_id, [])
        after = coder_codings_for_excerpt(self.project, self.coder, excerpt_id)
        for code_id, _ in before:
            self.code_counts[code_id] -= 1
        for code_id, _ in after:
            self.code_counts[code_id] += 1
        self.codes[excerpt_id] = after

    def index_of(self, excerpt_id: int) -> int | None:
        """Position of an excerpt id in this transcript, if it is here."""
        return next((i for i, e in enumerate(self.excerpts) if e.id == excerpt_id), None)
