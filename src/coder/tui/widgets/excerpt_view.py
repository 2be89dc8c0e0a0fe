"""The current excerpt in full, with the previous and next turns dimmed as context."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.domain.codebook import Codebook
from coder.domain.transcript import Excerpt
from coder.tui.widgets.chips import chip_style

Span = tuple[int, int] | None
FOUND = Style(color="black", bgcolor="yellow", bold=True)
"""A search hit in the excerpt it opened."""


class ExcerptView(ScrollView, can_focus=False, inherit_bindings=False):
    """Previous turn (dim), current excerpt (full, with span highlights), next turn (dim).

    A line-API view: showing another excerpt re-wraps the text and repaints this widget only,
    without a relayout of the screen (a move stays well inside one frame).
    """

    DEFAULT_CSS = """
    ExcerptView { padding: 0 1; overflow-x: hidden; }
    """
    ALLOW_SELECT = False  # a drag selects a span to code (below), not text to copy

    class Selected(Message):
        """The coder dragged the mouse over the excerpt's text (offsets in the excerpt)."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    def __init__(self, codebook: Codebook, language: str = "nb", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language
        self.content = Text()
        """What is shown (also for tests)."""
        self._lines: list[Strip] = []
        self._wrapped_for = -1
        self._line_starts: list[int] = []
        """Where each wrapped line starts in ``content.plain``."""
        self._excerpt_at = (0, 0)
        """Where the current excerpt's text is in ``content.plain``."""
        self._drag_from: int | None = None

    def _wrap(self) -> None:
        width = max(1, self.scrollable_content_region.width)
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self.content, options, pad=False, new_lines=False)
        self._lines = [Strip(line) for line in lines]
        self._wrapped_for = width
        self._line_starts = _line_starts(self.content.plain, self._lines)
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
        found: list[tuple[int, int]] | None = None,
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
        if memo:  # above the text, so a long excerpt does not push it out of view
            body.append("✎ Your memo: ", Style(bold=True))
            body.append(" ".join(memo.split()), Style(italic=True))
            body.append("\n")
        label = current.speaker or "—"
        role = "" if current.codable else "  (context, not codable)"
        body.append(f"{current.seq}  {label}{role}\n", Style(bold=True))
        self._excerpt_at = (len(body.plain), len(body.plain) + len(current.text))
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
        for start, end in found or []:  # a search's words, where the search opened it
            text.stylize(FOUND, start, end)
        if selection is not None:
            text.stylize(
                Style(reverse=True), selection[0] - current.start, selection[1] - current.start
            )
        body.append_text(text)
        body.append("\n\n")
        body.append_text(_context(following, "↓", muted))
        self.content = body
        self._wrapped_for = -1
        self.scroll_to(y=0, animate=False)
        self.refresh()

    # -- the mouse: a drag over the excerpt's text selects a span ----------------------------

    def excerpt_offset_at(self, x: int, y: int) -> int | None:
        """The offset in the current excerpt's text under content cell (x, y), if any."""
        if self._wrapped_for != self.scrollable_content_region.width:
            self._wrap()
        line = int(self.scroll_y) + y
        if not 0 <= line < len(self._lines):
            return None
        at = self._line_starts[line]
        for char in "".join(segment.text for segment in self._lines[line]):
            width = cell_len(char)
            if x < width:
                break
            x -= width
            at += 1
        start, end = self._excerpt_at
        return at - start if start <= at <= end else None

    def cell_of(self, excerpt_offset: int) -> tuple[int, int]:
        """The content cell (x, y) of an offset in the current excerpt (for tests, scrolling)."""
        if self._wrapped_for != self.scrollable_content_region.width:
            self._wrap()
        target = self._excerpt_at[0] + excerpt_offset
        line = max(i for i, start in enumerate(self._line_starts) if start <= target)
        text = "".join(segment.text for segment in self._lines[line])
        return cell_len(text[: target - self._line_starts[line]]), line - int(self.scroll_y)

    def _content_cell(self, event: events.MouseEvent) -> tuple[int, int] | None:
        offset = event.get_content_offset(self)
        return None if offset is None else (offset.x, offset.y)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        cell = self._content_cell(event)
        if event.button == 1 and cell is not None:
            self._drag_from = self.excerpt_offset_at(*cell)
            if self._drag_from is not None:
                self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        start, self._drag_from = self._drag_from, None
        self.release_mouse()
        cell = self._content_cell(event)
        end = self.excerpt_offset_at(*cell) if cell is not None else None
        if start is not None:
            end = start if end is None else end
            self.post_message(self.Selected(min(start, end), max(start, end) + 1))


def _line_starts(plain: str, lines: list[Strip]) -> list[int]:
    """Where each wrapped line begins in the text it was wrapped from."""
    starts: list[int] = []
    at = 0
    for line in lines:
        text = "".join(segment.text for segment in line).rstrip()
        found = plain.find(text, at) if text else -1
        if found < 0:  # a blank line: it stands for the next line break
            starts.append(at)
            at = plain.find("\n", at) + 1 or at
            continue
        starts.append(found)
        at = found + len(text)
    return starts


def _context(excerpt: Excerpt | None, arrow: str, style: Style) -> Text:
    if excerpt is None:
        return Text("")
    text = " ".join(excerpt.text.split())
    if len(text) > 400:
        text = text[:200] + " … " + text[-150:] if arrow == "↑" else text[:350] + " …"
    return Text(f"{arrow} {excerpt.speaker or '—'}: {text}", style=style)
