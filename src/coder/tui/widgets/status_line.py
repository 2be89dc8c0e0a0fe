"""A one-line status bar that repaints without a relayout (cheaper than ``Static.update``)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """Position, progress, coder and the last action's message."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $boost; color: $text; padding: 0 1; }
    """

    message: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(self.message, no_wrap=True, overflow="ellipsis")
