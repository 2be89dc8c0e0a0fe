"""``SuggestionActions``: the coder's keys for the model's suggestions (accept, reject, find)."""

from __future__ import annotations

from typing import Any

from coder.errors import CoderError
from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel


class SuggestionActions(CodingScreenBase):
    """A suggestion is never applied without one of these keys."""

    def action_accept_suggestion(self) -> None:
        shown = self.visible_suggestions()
        if not shown:
            self.redraw("no suggestion to accept")
            return
        self._accept([shown[0]])

    def action_accept_all(self) -> None:
        chosen = [s for s in self.visible_suggestions() if s.above_threshold]
        if not chosen:
            self.redraw("no suggestion above its threshold")
            return
        self._accept(chosen)

    def _accept(self, chosen: list[Any]) -> None:
        from coder.domain.transcript import Origin

        session = self.session
        if session is None:
            return
        for suggestion in chosen:
            try:
                session.toggle(suggestion.code_id, origin=Origin.SUGGESTION)
            except CoderError as exc:
                self.notify(str(exc), severity="warning")
                return
            self.query_one(CodeTree).update_count(
                suggestion.code_id, session.code_counts[suggestion.code_id]
            )
        self.refresh_current_row()
        names = [self.code_name(s.code_id) for s in chosen]
        book = self.coder_app.project.codebook
        self.query_one(DefinitionPanel).show(book.code(chosen[-1].code_id), why="accepted")
        where = f"excerpt {session.current.seq}"
        if len(names) == 1:
            self.redraw(f"accepted {names[0]} on {where} (u undoes)")
        else:  # every name, on the status line as far as it fits and in full in a note
            self.redraw(f"accepted {len(names)} on {where}: " + ", ".join(names))
            self.notify("\n".join(names), title=f"accepted {len(names)} codes on {where}")
        self.retrain()

    def action_reject_suggestion(self) -> None:
        session, service = self.session, self.suggestions
        shown = self.visible_suggestions()
        if session is None or service is None or not shown:
            self.redraw("no suggestion to reject")
            return
        service.reject(session.current.id, shown[0].code_id)
        self.redraw(f"rejected {self.code_name(shown[0].code_id)}")

    def action_most_uncertain(self) -> None:
        self.redraw("finding the excerpt the model is least sure about…")
        self.find_uncertain()
