"""One coder's state in one transcript: what the coding screen shows, kept in step with the store.

No textual here: the screen calls these methods and redraws; every change is committed by the
store before the method returns.
"""

from __future__ import annotations

import time
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
    dwell_s: float = 0.0
    """Moving on marks an excerpt reviewed only if it was shown at least this long."""
    shown_at: float = field(default_factory=time.monotonic)
    """When the current excerpt was first shown."""
    _codable: frozenset[int] | None = None

    @classmethod
    def open(cls, project: Project, coder: str, transcript_id: str) -> CodingSession:
        """Load a transcript for a coder, restoring the saved position."""
        from coder.store.coder_view import coder_code_counts, load_position, transcript_case
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
            dwell_s=project.settings.coding.review_dwell_ms / 1000,
        )
        seq = load_position(project, coder, transcript_id)
        if seq is not None:
            session.index = next((i for i, e in enumerate(excerpts) if e.seq == seq), 0)
        elif not excerpts[0].codable:
            session.index = next((i for i, e in enumerate(excerpts) if e.codable), 0)
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

    def move_to(self, index: int, *, reviewed: bool | None = None) -> bool:
        """Move the cursor; True when it moved.

        The excerpt left behind is marked reviewed when it was shown for at least ``dwell_s``
        (passing over an excerpt is not reading it), or always with ``reviewed=True``.
        """
        from coder.store.coder_view import save_position

        index = max(0, min(index, len(self.excerpts) - 1))
        if index == self.index:
            if reviewed:
                self.mark_current_reviewed()
            return False
        looked = time.monotonic() - self.shown_at >= self.dwell_s
        if reviewed or (reviewed is None and looked):
            self.mark_current_reviewed()
        self.index = index
        self.shown_at = time.monotonic()
        save_position(self.project, self.coder, self.transcript_id, self.current.seq)
        return True

    def unmark_reviewed(self) -> bool:
        """Take back the reviewed mark on the current excerpt; True when there was one."""
        from coder.store.operations import mark_reviewed

        excerpt = self.current
        if excerpt.id not in self.reviewed:
            return False
        mark_reviewed(self.project, self.coder, excerpt.id, reviewed=False)
        self.reviewed.discard(excerpt.id)
        self.shown_at = float("inf")  # not re-marked by moving on; only a code or space does
        return True

    def mark_current_reviewed(self) -> None:
        """Record that the coder has looked at the current (codable) excerpt."""
        from coder.store.operations import mark_reviewed

        excerpt = self.current
        if excerpt.codable and excerpt.id not in self.reviewed:
            mark_reviewed(self.project, self.coder, excerpt.id)
            self.reviewed.add(excerpt.id)

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
        """Toggle a code on the current excerpt (or a span of it); True when now applied."""
        from coder.store.operations import toggle_code

        excerpt = self.current
        if not excerpt.codable:
            raise CoderError(
                f"excerpt {excerpt.seq} is an interviewer turn or header: not codable "
                "(set code_interviewer = true in coder.toml to code interviewer turns)"
            )
        applied = toggle_code(
            self.project, self.coder, excerpt.id, code_id, origin=origin, span=span
        )
        entries = self.codes.setdefault(excerpt.id, [])
        if applied:
            entries.append((code_id, span))
            self.code_counts[code_id] += 1
        else:
            entries.remove((code_id, span))
            self.code_counts[code_id] -= 1
        if excerpt.id not in self.reviewed:
            self.mark_current_reviewed()
        return applied

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
