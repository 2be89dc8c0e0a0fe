"""A one-line status bar that repaints without a relayout (cheaper than ``Static.update``).

What the last key did (``message``) is on the left and wins the room; where the coder is
(``context``) is on the right and is dropped first. A message too long for the line is cut
between items (", " or " · "), never inside a code's label, and says how many are left out.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

SEPARATORS = (", ", " · ")


class StatusLine(Widget):
    """The last action's message (left) and position, progress and coder (right)."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $boost; color: $text; padding: 0 1; }
    """

    message: reactive[str] = reactive("", layout=False)
    context: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(fit(self.message, self.context, max(1, self.content_region.width)))


def fit(message: str, context: str, width: int) -> str:
    """The line for ``width`` cells: message, then context if both fit, else the message cut
    at an item boundary (``…(+N)`` says how many items were left out)."""
    if not message:
        return context if cell_len(context) <= width else _cut(context, width)
    both = f"{message}   {context}" if context else message
    if cell_len(both) <= width:
        gap = width - cell_len(message) - cell_len(context)
        return message + " " * gap + context if context else message
    if cell_len(message) <= width:
        return message
    return _cut(message, width)


def _cut(text: str, width: int) -> str:
    separator = max(SEPARATORS, key=text.count)
    items = text.split(separator)
    for keep in range(len(items) - 1, 0, -1):
        line = separator.join(items[:keep]) + f"{separator}…(+{len(items) - keep})"
        if cell_len(line) <= width:
            return line
    return text[: max(0, width - 1)] + "…"  # one item longer than the line: nothing better
