"""``CodingActions``: toggling codes from hotkeys and the code tree, undo and redo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Tree

from coder.domain.events import SUGGESTION_REJECTED
from coder.errors import CoderError
from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_list import ExcerptList


class CodingActions(CodingScreenBase):
    """A code's hotkey or Enter in the tree toggles it; ``u``/``U`` walk the coder's history."""

    if TYPE_CHECKING:

        def check_codebook_file(self) -> bool: ...  # codebook_actions

    def toggle_code(self, code_id: str) -> None:
        """Toggle a code on the current excerpt, or on the span in span mode."""
        session = self.session
        if session is None:
            return
        code = self.coder_app.project.codebook.code(code_id)
        if not code.codable:
            self.redraw(f"{code.label_in(self.coder_app.language)} is a group heading")
            return
        span = self.span.range if self.span else None
        try:
            applied = session.toggle(code_id, span)
        except CoderError as exc:
            self.notify(str(exc), severity="warning")
            return
        if self.span is not None:
            self.span = None
            self.refresh_bindings()
        self.query_one(CodeTree).update_count(code_id, session.code_counts[code_id])
        if applied:  # the definition follows the code just applied
            self.query_one(DefinitionPanel).show(code, why="applied")
        self.refresh_current_row()
        verb, to = ("applied", "to") if applied else ("removed", "from")
        where = "the span of " if span else ""
        again = " (it already was: coder is open twice for you)" if session.out_of_step else ""
        self.redraw(
            f"{verb} {self.code_name(code_id)} {to} {where}excerpt {session.current.seq}{again}"
            " (u undoes)"
        )
        self.retrain()

    def on_key(self, event: events.Key) -> None:
        """A code's hotkey toggles it (checked before ordinary bindings)."""
        if self.session is None or event.character is None or len(event.character) != 1:
            return
        code = self.coder_app.project.codebook.by_hotkey(event.character)
        if code is not None:
            event.stop()
            event.prevent_default()
            self.toggle_code(code.id)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data is not None:
            self.toggle_code(event.node.data)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        code_id = event.node.data
        book = self.coder_app.project.codebook
        self.query_one(DefinitionPanel).show(book.code(code_id) if code_id else None)

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        from coder.store.history import redo
        from coder.store.history import undo as undo_step

        session = self.session
        if session is None:
            return
        app = self.coder_app
        assert app.coder is not None
        step = (undo_step if undo else redo)(app.project, app.coder)
        if step is None:
            self.redraw("nothing to " + ("undo" if undo else "redo"))
            return
        session.reload_reviewed()
        if step.kind.startswith("codebook."):  # codings may have moved; the file changed
            for excerpt in session.excerpts:
                session.reload_excerpt(excerpt.id)
            self.check_codebook_file()
        excerpt_id = step.payload.get("excerpt") or step.payload.get("excerpt_id")
        if step.kind == "review.rest":
            self.query_one(ExcerptList).refresh()
            first = step.payload.get("excerpts") or [None]
            excerpt_id = first[0]
        if isinstance(excerpt_id, int):
            session.reload_excerpt(excerpt_id)
            index = session.index_of(excerpt_id)
            if index is not None:
                self.go_to(index)
                self.query_one(ExcerptList).refresh_row(index)
            if step.kind.startswith("memo."):
                self.reload_memos()
        code_id = step.payload.get("code")
        if step.kind == SUGGESTION_REJECTED and isinstance(code_id, str):
            self._rejection_back(step.payload.get("excerpt"), code_id, rejected=not undo)
            what = f"the rejection of {self.code_name(code_id)}"
            self.redraw(("undid " if undo else "redid ") + what)
            return
        if isinstance(code_id, str):
            self.query_one(CodeTree).update_count(code_id, session.code_counts[code_id])
        what = self.code_name(code_id) if isinstance(code_id, str) else step.kind
        self.redraw(("undid " if undo else "redid ") + what)

    def _rejection_back(self, excerpt_id: object, code_id: str, *, rejected: bool) -> None:
        """An undone rejection shows its suggestion again; a redone one hides it again."""
        service = self.suggestions
        if service is None or not isinstance(excerpt_id, int):
            return
        if rejected:
            service.rejected.add((excerpt_id, code_id))
        else:
            service.rejected.discard((excerpt_id, code_id))

    def reload_memos(self) -> None:
        """Re-read which excerpts carry this coder's memos (the list's memo marks)."""
        from coder.store.coder_view import coder_memo_texts

        app = self.coder_app
        assert app.coder is not None
        self.memo_texts = coder_memo_texts(app.project, app.coder, self.transcript_id)
        self.memo_ids.clear()
        self.memo_ids.update(self.memo_texts)
        self.query_one(ExcerptList).refresh()
