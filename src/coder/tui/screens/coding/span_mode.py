"""``SpanMode``: selecting part of an excerpt with the keyboard, to code just that part."""

from __future__ import annotations

from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.span_selection import SpanSelection


class SpanMode(CodingScreenBase):
    """``s`` starts a selection of whole words; arrows move its ends; a hotkey codes it."""

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

    def action_span_cancel(self) -> None:
        self.span = None
        self.refresh_bindings()
        self.redraw("left span mode")
