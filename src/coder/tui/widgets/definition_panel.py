"""The highlighted code's definition, always in view: description, use when, don't use when."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from coder.domain.codebook import Code, Codebook


class DefinitionPanel(VerticalScroll, can_focus=False):
    """Definition of one code."""

    DEFAULT_CSS = """
    DefinitionPanel { padding: 0 1; }
    """

    def __init__(self, codebook: Codebook, language: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="definition-text")

    def show(self, code: Code | None) -> None:
        """Render ``code``'s definition (or a hint when none is highlighted)."""
        text = Text()
        if code is None:
            text.append("Highlight a code to read its definition.", Style(dim=True))
        else:
            other = next((lang for lang in code.label if lang != self.language), None)
            text.append(code.label_in(self.language), Style(bold=True))
            if other:
                text.append(f"  /  {code.label[other]}", Style(dim=True))
            text.append(f"\n{code.id}\n", Style(dim=True))
            for title, body in (
                ("", code.description),
                ("Use when: ", code.use_when),
                ("Don't use when: ", code.dont_use_when),
            ):
                if body:
                    text.append("\n")
                    if title:
                        text.append(title, Style(bold=True))
                    text.append(body + "\n")
            if code.examples:
                example = code.examples[0]
                text.append("\nExample: ", Style(bold=True))
                text.append(f"«{example.quote}» ({example.source})\n", Style(italic=True))
        self.query_one("#definition-text", Static).update(text)
        self.scroll_home(animate=False)
