"""The whole transcript as one scrollable text: speaker turns, a cursor, codes in a margin.

A line-API view over ``TranscriptLayout``: only the rows on screen are styled and painted, so
a 3,000-excerpt transcript opens and scrolls as fast as a short one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.domain.codebook import Codebook
from coder.domain.transcript import Excerpt
from coder.tui.transcript_layout import TranscriptLayout
from coder.tui.widgets.chips import chip_style

Codes = Callable[[Excerpt], list[tuple[str, tuple[int, int] | None]]]
MARGIN = 30
"""Most cells of the codes margin (a quarter of the width on narrow terminals)."""
CURRENT = "▌"
"""Marks every row of the excerpt the coding screen is on."""


class TranscriptReader(ScrollView, can_focus=True, inherit_bindings=False):
    """Every excerpt in order; ``cursor`` is the excerpt Enter codes, ``current`` where the
    coder came from. The margin holds the codes of ``codes`` (the coder's own only)."""

    DEFAULT_CSS = """
    TranscriptReader { background: $surface; overflow-x: hidden; }
    TranscriptReader > .transcript-reader--cursor { background: $accent 30%; }
    TranscriptReader > .transcript-reader--current { color: $accent; text-style: bold; }
    TranscriptReader > .transcript-reader--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "transcript-reader--cursor",
        "transcript-reader--current",
        "transcript-reader--muted",
    }

    cursor: reactive[int] = reactive(0)

    class Moved(Message):
        """The cursor moved to another excerpt (a key or a click)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, codebook: Codebook, language: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.language = language
        self.excerpts: Sequence[Excerpt] = ()
        self.codes_of: Codes = lambda _excerpt: []
        self.current = 0
        """Index of the excerpt the coding screen is on."""
        self.layout_: TranscriptLayout | None = None
        self._rows: dict[tuple[int, int, bool], Strip] = {}
        self.painted = 0
        """Rows styled so far (only rows on screen are: see the module docstring)."""

    def load(self, excerpts: Sequence[Excerpt], codes_of: Codes, current: int) -> None:
        """Show a transcript with the cursor on ``current`` (the coding screen's excerpt)."""
        self.excerpts = excerpts
        self.codes_of = codes_of
        self.current = current
        self.layout_ = None
        self.set_reactive(TranscriptReader.cursor, current)
        self.refresh()

    # -- geometry ---------------------------------------------------------------------------

    @property
    def margin(self) -> int:
        """Cells of the codes margin."""
        return min(MARGIN, max(8, self.scrollable_content_region.width // 4))

    @property
    def gutter_cells(self) -> int:
        """Cells before the text: the current mark, the excerpt number, a space."""
        return len(str(self.excerpts[-1].seq)) + 2 if self.excerpts else 2

    def layout_now(self) -> TranscriptLayout:
        """The layout for the current width (made again when the width changed)."""
        width = self.scrollable_content_region.width
        text_width = max(10, width - self.gutter_cells - self.margin - 3)
        if self.layout_ is None or self.layout_.text_width != text_width:
            self.layout_ = TranscriptLayout(
                self.excerpts, text_width, lambda excerpt: len(self.codes_of(excerpt))
            )
            self._rows.clear()
            if self.virtual_size.height != self.layout_.height:
                self.virtual_size = Size(0, self.layout_.height)
        return self.layout_

    def on_resize(self) -> None:
        self.layout_now()
        self.call_after_refresh(self.scroll_to_cursor)

    def scroll_to_cursor(self) -> None:
        """Bring the cursor's excerpt into view (its start, if it is taller than the view)."""
        layout = self.layout_now()
        if not self.excerpts:
            return
        top = layout.tops[self.cursor]
        bottom = top + layout.blocks[self.cursor].rows - 1
        height = max(1, self.scrollable_content_region.height)
        if top < self.scroll_y or bottom - top >= height:
            self.scroll_to(y=top, animate=False)
        elif bottom >= self.scroll_y + height:
            self.scroll_to(y=bottom - height + 1, animate=False)

    def watch_cursor(self, old: int, new: int) -> None:
        for key in [key for key in self._rows if key[0] in (old, new)]:
            del self._rows[key]
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved(new))

    def index_at_row(self, y: int) -> int:
        """The excerpt index at a row of the view (0 = the top row on screen)."""
        return self.layout_now().block_at(int(self.scroll_y) + y)[0]

    def visible_indices(self) -> list[int]:
        """Excerpt indices with at least one row on screen, in order."""
        height = self.scrollable_content_region.height
        found = [self.index_at_row(y) for y in range(height)]
        return sorted(set(found))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self.excerpts:
            self.cursor = self.index_at_row(offset.y)

    # -- painting ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self.layout_now()
        row = int(self.scroll_y) + y
        if not self.excerpts or row >= layout.height:
            return Strip.blank(width, self.rich_style)
        index, inner = layout.block_at(row)
        key = (index, inner, index == self.cursor)
        strip = self._rows.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._paint(layout, index, inner, width)
            self._rows[key] = strip
        return strip

    def _paint(self, layout: TranscriptLayout, index: int, inner: int, width: int) -> Strip:
        self.painted += 1
        excerpt = self.excerpts[index]
        block = layout.blocks[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("transcript-reader--cursor")
        muted = self.get_component_rich_style("transcript-reader--muted")
        row = Text(no_wrap=True, overflow="crop", end="")
        mark = CURRENT if index == self.current and inner < block.rows - 1 else " "
        row.append(mark, self.get_component_rich_style("transcript-reader--current"))
        number = str(excerpt.seq) if inner == 0 else ""
        row.append(f"{number:>{self.gutter_cells - 2}} ", muted)
        if inner < len(block.lines):
            start, end = block.lines[inner]
            body = Style() if excerpt.codable else muted
            line = Text(block.text[start:end].rstrip(), style=body)
            if start < block.label_end:
                line.stylize(Style(bold=True), 0, block.label_end - start)
            row.append_text(line)
        row.truncate(self.gutter_cells + layout.text_width, pad=True)
        row.append(" │ ", muted)
        codes = self.codes_of(excerpt)
        if inner < len(codes):
            code_id, span = codes[inner]
            label = (
                self.codebook.code(code_id).label_in(self.language)
                if self.codebook.has_code(code_id)
                else code_id
            )
            chip = Text(f" {label}{' «»' if span else ''} ", chip_style(self.codebook, code_id))
            chip.truncate(self.margin, overflow="ellipsis")
            row.append_text(chip)
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base)
            for seg in row.render(self.app.console)
        ]
        return Strip(segments).crop_extend(0, width, base)
