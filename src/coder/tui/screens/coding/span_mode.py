"""``SpanMode``: selecting part of an excerpt with the keyboard, to code just that part."""

from __future__ import annotations

from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.span_selection import SpanSelection
from coder.tui.widgets.excerpt_view import ExcerptView


class SpanMode(CodingScreenBase):
    """``s`` (or a mouse drag) selects whole words; arrows move its ends by words, ctrl+arrows
    (or ↓/↑) by sentences, End/Home to the excerpt's ends; a hotkey codes the span."""

    def action_span(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.current.codable:
            self.redraw("this excerpt is not codable")
            return
        self.span = SpanSelection.start(session.current.text, session.current.start)
        self.refresh_bindings()
        self.redraw("")

    def action_span_end(self, step: int) -> None:
        if self.span is not None:
            self.span = self.span.move_end(step)
            self.redraw()

    def action_span_start(self, step: int) -> None:
        if self.span is not None:
            self.span = self.span.move_start(step)
            self.redraw()

    def action_span_sentence(self, step: int) -> None:
        if self.span is not None:
            self.span = self.span.move_end_by_sentence(step)
            self.redraw()

    def action_span_to_end(self) -> None:
        if self.span is not None:
            self.span = self.span.to_end()
            self.redraw()

    def action_span_from_start(self) -> None:
        if self.span is not None:
            self.span = self.span.from_start()
            self.redraw()

    def on_excerpt_view_selected(self, message: ExcerptView.Selected) -> None:
        """A mouse drag over the excerpt's text selects those words (span mode)."""
        session = self.session
        if session is None or not session.current.codable:
            return
        selection = SpanSelection.start(session.current.text, session.current.start)
        self.span = selection.covering(message.start, message.end)
        self.refresh_bindings()
        self.redraw("selected with the mouse: a hotkey codes the span")

    def action_span_cancel(self) -> None:
        self.span = None
        self.refresh_bindings()
        self.redraw("left span mode")
