"""The excerpt list: a virtualised line-API view, one row per excerpt, smooth at any length."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.domain.codebook import Codebook
from coder.domain.transcript import Excerpt

RowCodes = Callable[[Excerpt], list[tuple[str, tuple[int, int] | None]]]


class ExcerptList(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of ``seq mark speaker: text  chips``; only visible rows are rendered.

    The mark tells ✓ reviewed (coded, or "no code" said with space) from ○ seen in this
    session but not reviewed, and · not looked at yet.
    """

    DEFAULT_CSS = """
    ExcerptList { background: $surface; overflow-x: hidden; }
    ExcerptList > .excerpt-list--cursor { background: $accent 40%; }
    ExcerptList:focus > .excerpt-list--cursor { background: $accent 70%; }
    ExcerptList > .excerpt-list--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"excerpt-list--cursor", "excerpt-list--muted"}

    cursor: reactive[int] = reactive(0)

    class Picked(Message):
        """The user clicked a row."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, codebook: Codebook, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.excerpts: list[Excerpt] = []
        self.codes_of: RowCodes = lambda _excerpt: []
        self.reviewed: set[int] = set()
        self.memos: set[int] = set()
        self.seen: set[int] = set()
        self._row_cache: dict[tuple[int, int, bool], Strip] = {}

    def load(
        self,
        excerpts: list[Excerpt],
        codes_of: RowCodes,
        reviewed: set[int],
        memos: set[int],
        seen: set[int] | None = None,
    ) -> None:
        """Show a transcript's excerpts (the sets are shared with the session, not copied)."""
        self.excerpts = excerpts
        self.codes_of = codes_of
        self.reviewed = reviewed
        self.memos = memos
        self.seen = seen if seen is not None else set()
        self._row_cache.clear()
        self.virtual_size = Size(0, len(excerpts))
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Redraw one row after its codes or marks changed."""
        for key in [key for key in self._row_cache if key[0] == index]:
            del self._row_cache[key]
        self.refresh_line(index)

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_row(old)
        self.refresh_row(new)
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        """Keep the cursor row in view, with a little context."""
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_y)
        margin = min(2, height // 4)
        if self.cursor < top + margin:
            self.scroll_to(y=max(0, self.cursor - margin), animate=False)
        elif self.cursor >= top + height - margin:
            self.scroll_to(y=self.cursor - height + margin + 1, animate=False)

    def on_resize(self) -> None:
        self._row_cache.clear()
        self.virtual_size = Size(0, len(self.excerpts))

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width or self.size.width
        if index >= len(self.excerpts):
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, width, selected and self.has_focus)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_row(index, width, selected)
            self._row_cache[key] = strip
        return strip

    def _render_row(self, index: int, width: int, selected: bool) -> Strip:
        excerpt = self.excerpts[index]
        base = self.rich_style
        if selected:
            base = base + self.get_component_rich_style("excerpt-list--cursor")
        muted = self.get_component_rich_style("excerpt-list--muted")
        row = Text(no_wrap=True, overflow="ellipsis", end="")
        mark = _mark(excerpt, self.reviewed, self.seen)
        digits = len(str(self.excerpts[-1].seq))  # as wide as the largest number, no wider
        row.append(f"{excerpt.seq:>{digits}} {mark}", muted if not selected else Style())
        row.append("✎" if excerpt.id in self.memos else " ")
        speaker = excerpt.speaker or ""
        if len(speaker) > 3:  # the full label is in the excerpt view; here a letter will do
            speaker = speaker[0].upper()
        body = " ".join(excerpt.text.split())
        style = Style() if excerpt.codable else muted
        chip_text = self.codes_of(excerpt)
        chip_row = _chips(self.codebook, chip_text)
        chip_row.rstrip()  # the last chip needs no gap after it
        room = max(8, width - row.cell_len - chip_row.cell_len - 1)
        line = f"{speaker}: {body}" if speaker else body
        row.append(Text(line[: room * 2], style=style, no_wrap=True, overflow="ellipsis"))
        row.truncate(width - chip_row.cell_len, overflow="ellipsis", pad=True)
        row.append_text(chip_row)
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base)
            for seg in row.render(self.app.console)
        ]
        return Strip(segments).crop_extend(0, width, base)

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", None)
        if isinstance(y, int):
            index = int(self.scroll_y) + y
            if 0 <= index < len(self.excerpts):
                self.post_message(self.Picked(index))


def _mark(excerpt: Excerpt, reviewed: set[int], seen: set[int]) -> str:
    if excerpt.id in reviewed:
        return "✓"
    if not excerpt.codable:
        return " "
    return "○" if excerpt.id in seen else "·"


def _chips(codebook: Codebook, codes: list[tuple[str, tuple[int, int] | None]]) -> Text:
    from coder.tui.widgets.chips import chips

    return chips(codebook, codes)
