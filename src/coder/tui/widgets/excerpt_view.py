"""The current excerpt in full, with the previous and next turns dimmed as context."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from coder.domain.codebook import Codebook
from coder.domain.transcript import Excerpt
from coder.tui.widgets.chips import chip_style

Span = tuple[int, int] | None


class ExcerptView(VerticalScroll, can_focus=False):
    """Previous turn (dim), current excerpt (full, with span highlights), next turn (dim)."""

    DEFAULT_CSS = """
    ExcerptView { padding: 0 1; }
    """

    def __init__(self, codebook: Codebook, language: str = "nb", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="excerpt-text")

    def show(
        self,
        previous: Excerpt | None,
        current: Excerpt,
        following: Excerpt | None,
        codes: list[tuple[str, Span]],
        *,
        selection: Span = None,
        highlights: list[tuple[int, int]] | None = None,
    ) -> None:
        """Render the three parts; ``selection`` (span mode) and spans are in transcript offsets.

        One Static holds all three, so a move costs one layout, not three.
        """
        muted = Style(dim=True)
        body = Text()
        body.append_text(_context(previous, "↑", muted))
        body.append("\n\n")
        if codes:
            body.append("Your codes: ", Style(bold=True))
            for code_id, span in codes:
                label = (
                    self.codebook.code(code_id).label_in(self.language)
                    if self.codebook.has_code(code_id)
                    else code_id
                )
                body.append(f" {label} ", chip_style(self.codebook, code_id))
                if span is not None:
                    words = " ".join(
                        current.text[span[0] - current.start : span[1] - current.start].split()
                    )
                    body.append(
                        f" «{words[:40]}{'…' if len(words) > 40 else ''}»", Style(italic=True)
                    )
                body.append("  ")
            body.append("\n")
        label = current.speaker or "—"
        role = "" if current.codable else "  (context, not codable)"
        body.append(f"{current.seq}  {label}{role}\n", Style(bold=True))
        text = Text(current.text)
        for code_id, span in codes:
            if span is not None:
                text.stylize(
                    chip_style(self.codebook, code_id) + Style(bold=False),
                    span[0] - current.start,
                    span[1] - current.start,
                )
        for start, end in highlights or []:
            text.stylize(Style(underline=True, bold=True), start, end)
        if selection is not None:
            text.stylize(
                Style(reverse=True), selection[0] - current.start, selection[1] - current.start
            )
        body.append_text(text)
        body.append("\n\n")
        body.append_text(_context(following, "↓", muted))
        self.query_one("#excerpt-text", Static).update(body)
        self.scroll_home(animate=False)


def _context(excerpt: Excerpt | None, arrow: str, style: Style) -> Text:
    if excerpt is None:
        return Text("")
    text = " ".join(excerpt.text.split())
    if len(text) > 400:
        text = text[:200] + " … " + text[-150:] if arrow == "↑" else text[:350] + " …"
    return Text(f"{arrow} {excerpt.speaker or '—'}: {text}", style=style)
