"""The code's definition where the eye is: use when, don't use when, an example, then more.

It follows the code the coder just applied, the top suggestion, or the code highlighted in
the tree. The part a coding decision needs (label, use when, don't use when, the first
example) comes first, so it is in view without scrolling; the description follows.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coder.domain.codebook import Code, Codebook

BOLD = Style(bold=True)
DIM = Style(dim=True)


class DefinitionPanel(VerticalScroll, can_focus=False):
    """Definition of one code (``essentials`` is what must fit without scrolling)."""

    DEFAULT_CSS = """
    DefinitionPanel { padding: 0 1; }
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

    def compose(self) -> ComposeResult:
        yield Static("", id="definition-text")

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
            if code.description:
                text.append("\n")
                text.append(code.description, DIM)
        self.query_one("#definition-text", Static).update(text)
        self.scroll_home(animate=False)

    def _essentials(self, code: Code, why: str) -> Text:
        text = Text()
        other = next((lang for lang in code.label if lang != self.language), None)
        text.append(code.label_in(self.language), BOLD)
        if other:
            text.append(f" / {code.label[other]}", DIM)
        text.append(f"  {code.id}", DIM)
        if why:
            text.append(f"  ({why})", DIM)
        for title, body in (("Use when: ", code.use_when), ("Don't use: ", code.dont_use_when)):
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
