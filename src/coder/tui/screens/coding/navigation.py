"""``Navigation``: moving between excerpts, and the reviewed marks that moving can set."""

from __future__ import annotations

from coder.errors import CoderError
from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView


class Navigation(CodingScreenBase):
    """j/k, Home/End, the next unreviewed excerpt, space (reviewed, next), the list's clicks."""

    def action_move(self, step: int) -> None:
        """Move by codable excerpts; interviewer turns stay visible as context."""
        if self.session is not None:
            self.go_to(self.session.step_codable(step))

    def action_move_to_end(self, direction: int) -> None:
        if self.session is not None:
            self.go_to(self.session.edge_codable(direction))

    def action_reviewed_next(self) -> None:
        """Mark the excerpt reviewed ("looked, no code") and move to the next one."""
        session = self.session
        if session is None:
            return
        excerpt = session.current
        marked = session.mark_current_reviewed()
        self.refresh_current_row()
        old = session.index
        self.go_to(session.step_codable(1))
        if marked:
            self.redraw(f"marked excerpt {excerpt.seq} reviewed, no code (u undoes)")
        elif session.index == old:
            self.redraw("last excerpt: nothing after this one")

    def action_rest_reviewed(self) -> None:
        """Ask, then mark every unreviewed excerpt from here to the end reviewed with no code."""
        from coder.tui.screens.confirm_screen import ConfirmScreen

        session = self.session
        if session is None:
            return
        rest = session.rest_unreviewed()
        if not rest:
            self.redraw("nothing unreviewed from here to the end")
            return
        question = (
            f"The rest of this transcript has no codes?\n\nMarks {len(rest)} unreviewed "
            f"excerpt{'s' if len(rest) != 1 else ''} (from {rest[0].seq} to {rest[-1].seq}) "
            "reviewed with no code: agreement counts them as an observed no."
        )
        self.app.push_screen(ConfirmScreen(question), self._rest_confirmed)

    def _rest_confirmed(self, confirmed: bool | None) -> None:
        session = self.session
        if not confirmed or session is None:
            self.redraw("nothing marked")
            return
        count = session.mark_rest_reviewed()
        self.query_one(ExcerptList).refresh()
        self.redraw(f"marked {count} excerpts reviewed, no code (u undoes)")

    def action_unreview(self) -> None:
        session = self.session
        if session is not None and session.unmark_reviewed():
            self.refresh_current_row()
            self.redraw(f"reviewed mark on excerpt {session.current.seq} taken back")

    def action_scroll_excerpt(self, step: int) -> None:
        self.query_one(ExcerptView).scroll_relative(y=step * 3, animate=False)

    def action_unreviewed(self, step: int) -> None:
        if self.session is None:
            return
        index = self.session.next_unreviewed(step)
        if index is None:
            self.redraw("no unreviewed excerpt " + ("after this" if step > 0 else "before this"))
        else:
            self.go_to(index)

    def go_to(self, index: int) -> None:
        """Move the cursor to an excerpt index and repaint what changed."""
        session = self.session
        assert session is not None
        old = session.index
        try:
            moved = session.move_to(index)
        except CoderError as exc:
            self.notify(str(exc), severity="error")
            return
        if moved:
            listing = self.query_one(ExcerptList)
            listing.refresh_row(old)
            listing.cursor = session.index
            self.redraw("")
            self.suggest_ahead(session.index)

    def go_to_excerpt(self, excerpt_id: int) -> None:
        """Move to an excerpt of this transcript (from search)."""
        if self.session is not None:
            index = self.session.index_of(excerpt_id)
            if index is not None:
                self.go_to(index)

    def on_excerpt_list_picked(self, message: ExcerptList.Picked) -> None:
        if self.span is None:
            self.go_to(message.index)

    def action_focus_tree(self) -> None:
        tree = self.query_one(CodeTree)
        if tree.has_focus:
            self.query_one(ExcerptList).focus()
        else:
            tree.focus()
