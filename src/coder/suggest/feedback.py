"""What happens to a suggestion: accepted, rejected, and (always) recorded as shown.

- ``accept``: the coder's keystroke applies the code, as a coding with origin ``suggestion``.
- ``reject``: one undoable event ``suggestion.reject`` (no schema change), which later training
  reads as a hard negative for that code on that excerpt; once the coder undoes it (``u``),
  training and the coding screen ignore it.
- ``record_shown``: what the model claimed on an excerpt is stored under the coder ``model``
  (codings with origin ``suggestion`` for the codes at or above threshold, and a reviewed mark,
  so the codes it did not suggest count as observed absences). The agreement report can then
  compare the model with each human like any other coder. Showing the same excerpt again with
  the same claims changes nothing; a retrained model's new claims replace its old ones on that
  excerpt (the event log keeps both).

Each function is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coder.domain.transcript import Origin

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.suggest.suggester import Suggestion


def accept(project: Project, coder: str, excerpt_id: int, code_id: str) -> bool:
    """Apply a suggested code for ``coder`` (origin ``suggestion``); False if already applied."""
    from coder.store.operations import apply_code

    return apply_code(project, coder, excerpt_id, code_id, origin=Origin.SUGGESTION)


def reject(project: Project, coder: str, excerpt_id: int, code_id: str) -> int:
    """Record that ``coder`` rejected suggesting ``code_id`` here; returns the event id."""
    from coder.store.suggestion_writes import log_rejection

    return log_rejection(project, coder, excerpt_id, code_id)


def record_shown(project: Project, excerpt_id: int, suggestions: Sequence[Suggestion]) -> bool:
    """Store the model's claims on an excerpt under the coder ``model``; True when they changed."""
    from coder.store.suggestion_writes import store_claims

    claimed = sorted(
        {
            s.code_id
            for s in suggestions
            if s.above_threshold and project.codebook.has_code(s.code_id)
        }
    )
    shown = [
        {"code": s.code_id, "score": round(s.score, 4), "threshold": s.threshold}
        for s in suggestions
    ]
    return store_claims(project, excerpt_id, claimed, shown)
