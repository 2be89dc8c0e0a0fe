"""Suggestions for the coding screen: computed ahead in a worker, cached, never blocking a key.

Textual-free: the screen's workers call these methods; one lock serialises the suggester,
which is not safe for concurrent use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.domain.transcript import Excerpt
    from coder.project.project import Project
    from coder.suggest.model_status import ModelStatus
    from coder.suggest.suggester import Suggester, Suggestion

CHECK_EVERY = 5
"""The coder's own actions between two (cheap) checks whether retraining is due."""


@dataclass
class SuggestionService:
    """One project's suggester, a per-excerpt cache, and what this coder rejected."""

    project: Project
    """The open project."""
    coder: str
    """The coder whose suggestions these are."""
    cache: dict[int, list[Suggestion]] = field(default_factory=dict)
    """Excerpt id -> suggestions (all candidates, best first)."""
    rejected: set[tuple[int, str]] = field(default_factory=set)
    """(excerpt id, code) this coder rejected (read from the store at start: a rejection stays
    rejected after a restart)."""
    withheld: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Excerpt id -> codes the model would have suggested there but is no better than chance
    on (measured on held-out excerpts), so they are not shown."""
    recorded: set[int] = field(default_factory=set)
    """Excerpts whose shown suggestions were stored under the coder ``model``."""
    actions: int = 0
    """Coding actions since the last retraining check."""
    error: str | None = None
    """Why suggestions are unavailable, if they are."""
    status: ModelStatus | None = None
    """The model behind the suggestions, or why there is none (when model folders exist)."""
    _suggester: Suggester | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        """Load the pipeline and the current model (slow: spaCy import). Call in a worker."""
        from coder.suggest.suggester import Suggester

        with self._lock:
            if self._suggester is None:
                # the coder's own model: blind coding must not learn from other coders
                self._suggester = Suggester.for_project(self.project, coder=self.coder)
            self._read_status()

    def _read_status(self) -> None:
        """Explain the model only where models exist (a coder who never trained sees none)."""
        from coder.suggest.model_status import ModelStatus

        if (self.project.root / ".coder" / "models").is_dir() and self._suggester is not None:
            self.status = ModelStatus.read(
                self.project,
                self.coder,
                self._suggester.model,
                every=self.project.settings.suggest.retrain_every,
            )

    def model_note(self, shown: list[Suggestion], excerpt_id: int | None = None) -> str | None:
        """Why a code was withheld on this excerpt, or why none of ``shown`` came from the
        model (when model folders exist); else None."""
        withheld = self.withheld.get(excerpt_id, ()) if excerpt_id is not None else ()
        if withheld and self._suggester is not None:
            reason = self._suggester.withheld.get(withheld[0], "")
            more = len(withheld) - 1
            return reason + (f" (and {more} more code{'s' if more > 1 else ''})" if more else "")
        return None if self.status is None else self.status.note(shown)

    @property
    def ready(self) -> bool:
        """Whether the suggester is loaded."""
        return self._suggester is not None

    def compute(self, excerpts: list[Excerpt]) -> None:
        """Fill the cache for these excerpts (skipping cached ones). Call in a worker."""
        self.load()
        todo = [e for e in excerpts if e.codable and e.id not in self.cache]
        if not todo:
            return
        with self._lock:
            assert self._suggester is not None
            found = self._suggester.explain_many([e.text for e in todo])
        for excerpt, (suggestions, withheld) in zip(todo, found, strict=True):
            self.cache[excerpt.id] = suggestions
            self.withheld[excerpt.id] = withheld

    def visible(self, excerpt_id: int, applied: set[str], limit: int = 3) -> list[Suggestion]:
        """Cached suggestions not yet applied nor rejected here, best first."""
        found = self.cache.get(excerpt_id, [])
        return [
            s
            for s in found
            if s.code_id not in applied and (excerpt_id, s.code_id) not in self.rejected
        ][:limit]

    def record_shown(self, excerpt_id: int) -> None:
        """Store what the model claims on an excerpt under the coder ``model`` (once)."""
        from coder.suggest.feedback import record_shown

        if excerpt_id in self.recorded or excerpt_id not in self.cache:
            return
        record_shown(self.project, excerpt_id, self.cache[excerpt_id])
        self.recorded.add(excerpt_id)

    def reject(self, excerpt_id: int, code_id: str) -> None:
        """Record a rejection (negative evidence for training)."""
        from coder.suggest.feedback import reject

        reject(self.project, self.coder, excerpt_id, code_id)
        self.rejected.add((excerpt_id, code_id))
        self.actions += 1

    def retrain_if_due(self) -> bool:
        """Retrain after enough new codings and reload; True when a new model is in use."""
        from coder.suggest.model_folder import ModelFolder
        from coder.suggest.model_training import maybe_retrain

        self.actions += 1
        if self.actions < CHECK_EVERY:
            return False
        self.actions = 0
        result = maybe_retrain(
            self.project,
            source=self.coder,  # this coder's codings only
            models=ModelFolder(self.project.root, coder=self.coder),
        )
        if result is None:
            return False
        with self._lock:
            refreshed = self._suggester is not None and self._suggester.refresh()
            self._read_status()
        if refreshed:
            self.cache.clear()
            self.withheld.clear()
            self.recorded.clear()
        return refreshed

    def most_uncertain(self, transcript_id: str) -> int | None:
        """The unreviewed excerpt of a transcript the model is least sure about."""
        from coder.suggest.active import most_uncertain

        self.load()
        with self._lock:
            assert self._suggester is not None
            ranked = most_uncertain(
                self.project, self.coder, self._suggester, transcript_id=transcript_id, limit=1
            )
        return ranked[0][0] if ranked else None
