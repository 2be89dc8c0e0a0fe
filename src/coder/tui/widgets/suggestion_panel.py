"""Suggested codes for the current excerpt: score, threshold, source and the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from coder.domain.codebook import Codebook
from coder.tui.widgets.chips import chip_style

if TYPE_CHECKING:
    from coder.suggest.suggester import Suggestion


class SuggestionPanel(Widget):
    """Three lines; the first suggestion is what `a` accepts and `x` rejects.

    A fixed height, so new suggestions repaint the panel without a relayout of the screen.
    """

    DEFAULT_CSS = """
    SuggestionPanel { height: 3; padding: 0 1; color: $text; }
    """

    content: reactive[Text] = reactive(Text, layout=False)

    def __init__(self, codebook: Codebook, language: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language

    def render(self) -> Text:
        return self.content

    def update(self, text: Text) -> None:
        """Show ``text`` (no relayout)."""
        self.content = text

    def show_message(self, message: str) -> None:
        """A status such as 'loading the model…'."""
        self.update(Text(f"Suggestions: {message}", Style(dim=True)))

    def show(self, suggestions: list[Suggestion], note: str | None = None) -> None:
        """Render suggestions, or say there are none; ``note`` says why the model gave none."""
        if not suggestions:
            self.show_message("none for this excerpt" + (f" · {note}" if note else ""))
            return
        text = Text()
        for rank, suggestion in enumerate(suggestions):
            if rank:
                text.append("\n")
            code = self.codebook.code(suggestion.code_id)
            mark = "●" if suggestion.above_threshold else "○"
            keys = " a/x " if rank == 0 else "     "
            text.append(keys, Style(bold=True, reverse=rank == 0))
            text.append(f" {mark} ")
            text.append(f" {code.hotkey or '·'} ", chip_style(self.codebook, code.id))
            text.append(f" {code.label_in(self.language)} ", Style(bold=True))
            text.append(
                f"{suggestion.score:.2f} (≥{suggestion.threshold:.2f}) "
                f"{'+'.join(suggestion.sources)}",
                Style(dim=True),
            )
            words = [r.text for r in suggestion.reasons if r.text][:4]
            if words:
                text.append("  «" + "», «".join(words) + "»", Style(italic=True))
            if note and rank == len(suggestions) - 1:
                text.append("\n" if len(suggestions) < 3 else "  · ")
                text.append(note, Style(dim=True))
        self.update(text)
