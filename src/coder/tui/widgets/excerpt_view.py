"""The current excerpt in full, with the previous and next turns dimmed as context."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.domain.codebook import Codebook
from coder.domain.transcript import Excerpt
from coder.tui.widgets.chips import chip_style

Span = tuple[int, int] | None


class ExcerptView(ScrollView, can_focus=False, inherit_bindings=False):
    """Previous turn (dim), current excerpt (full, with span highlights), next turn (dim).

    A line-API view: showing another excerpt re-wraps the text and repaints this widget only,
    without a relayout of the screen (a move stays well inside one frame).
    """

    DEFAULT_CSS = """
    ExcerptView { padding: 0 1; overflow-x: hidden; }
    """

    def __init__(self, codebook: Codebook, language: str = "nb", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language
        self.content = Text()
        """What is shown (also for tests)."""
        self._lines: list[Strip] = []
        self._wrapped_for = -1

    def _wrap(self) -> None:
        width = max(1, self.scrollable_content_region.width)
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self.content, options, pad=False, new_lines=False)
        self._lines = [Strip(line) for line in lines]
        self._wrapped_for = width
        # a virtual height that only changes for text taller than the view: a new virtual
        # size means a relayout of the whole screen, which a move should not pay for
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
        line = self._lines[index]
        segments = [Segment(s.text, style + s.style if s.style else style) for s in line]
        return Strip(segments).crop_extend(0, width, style)

    def show(
        self,
        previous: Excerpt | None,
        current: Excerpt,
        following: Excerpt | None,
        codes: list[tuple[str, Span]],
        *,
        selection: Span = None,
        highlights: list[tuple[int, int]] | None = None,
        memo: str | None = None,
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
        if memo:
            body.append("\n\n✎ Your memo: ", Style(bold=True))
            body.append(memo, Style(italic=True))
        body.append("\n\n")
        body.append_text(_context(following, "↓", muted))
        self.content = body
        self._wrapped_for = -1
        self.scroll_to(y=0, animate=False)
        self.refresh()


def _context(excerpt: Excerpt | None, arrow: str, style: Style) -> Text:
    if excerpt is None:
        return Text("")
    text = " ".join(excerpt.text.split())
    if len(text) > 400:
        text = text[:200] + " … " + text[-150:] if arrow == "↑" else text[:350] + " …"
    return Text(f"{arrow} {excerpt.speaker or '—'}: {text}", style=style)
