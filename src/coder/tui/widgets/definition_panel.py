"""The code's definition where the eye is: use when, don't use when, an example, then more.

It follows the code the coder just applied, the top suggestion, or the code highlighted in
the tree. The part a coding decision needs (label, use when, don't use when, the first
example) comes first, so it is in view without scrolling; the description follows.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.domain.codebook import Code, Codebook

BOLD = Style(bold=True)
DIM = Style(dim=True)


class DefinitionPanel(ScrollView, can_focus=False, inherit_bindings=False):
    """Definition of one code (``essentials`` is what must fit without scrolling).

    A line-API view like the excerpt view: showing another code repaints this widget only,
    without a relayout of the screen (it follows every code applied, so it must be cheap).
    """

    DEFAULT_CSS = """
    DefinitionPanel { padding: 0 1; overflow-x: hidden; }
    """

    def __init__(self, codebook: Codebook, language: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language
        self.code_id: str | None = None
        """The code shown."""
        self._shown: tuple[str | None, str] | None = None
        self.essentials = Text()
        """Label, use when, don't use when and the example, as shown (also for tests)."""
        self.content = Text()
        """Everything shown."""
        self._lines: list[Strip] = []
        self._wrapped_for = -1

    def _wrap(self) -> None:
        width = max(1, self.scrollable_content_region.width)
        options = self.app.console.options.update_width(width)
        lines = self.app.console.render_lines(self.content, options, pad=False, new_lines=False)
        self._lines = [Strip(line) for line in lines]
        self._wrapped_for = width
        height = max(len(self._lines), self.scrollable_content_region.height)
        if self.virtual_size.height != height:
            self.virtual_size = Size(0, height)

    def on_resize(self) -> None:
        self._wrapped_for = -1
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._wrapped_for:
            self._wrap()
        index = int(self.scroll_y) + y
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        segments = [
            Segment(s.text, style + s.style if s.style else style) for s in self._lines[index]
        ]
        return Strip(segments).crop_extend(0, width, style)

    def show(self, code: Code | None, *, why: str = "") -> None:
        """Render ``code``'s definition (or a hint); ``why`` says why this code (``applied``)."""
        key = (code.id if code is not None else None, why)
        if key == self._shown:
            return  # the same definition: no repaint on every move
        self._shown = key
        self.code_id = key[0]
        text = Text()
        if code is None:
            text.append("Highlight a code to read its definition.", DIM)
            self.essentials = text
        else:
            self.essentials = self._essentials(code, why)
            text.append_text(self.essentials)
            description = code.text_in("description", self.language)
            if description:
                text.append("\n")
                text.append(description, DIM)
        self.content = text
        self._wrapped_for = -1
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def _essentials(self, code: Code, why: str) -> Text:
        text = Text()
        other = next((lang for lang in code.label if lang != self.language), None)
        text.append(code.label_in(self.language), BOLD)
        if other:
            text.append(f" / {code.label[other]}", DIM)
        text.append(f"  {code.id}", DIM)
        if why:
            text.append(f"  ({why})", DIM)
        for title, body in (
            ("Use when: ", code.text_in("use_when", self.language)),
            ("Don't use: ", code.text_in("dont_use_when", self.language)),
        ):
            if body:
                text.append("\n")
                text.append(title, BOLD)
                text.append(body)
        if code.examples:
            example = code.examples[0]
            text.append("\n")
            text.append("Example: ", BOLD)
            text.append(f"«{example.quote}»", Style(italic=True))
            text.append(f" ({example.source})", DIM)
        return text
