"""The full-transcript reading view: every turn in order, codes in the margin, Enter codes.

Opened from the coding screen (``T``) on the excerpt being coded, which stays marked while the
cursor moves. Enter goes back to the coding screen at the excerpt under the cursor; Esc goes
back without moving. Blind like the coding screen: the margin holds only the coder's own codes
(the session loads nobody else's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header

from coder.domain.keys import READING_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen
from coder.tui.widgets.transcript_reader import TranscriptReader

if TYPE_CHECKING:
    from coder.tui.session import CodingSession


class ReadingScreen(CoderScreen[int | None]):
    """Dismisses with the excerpt index to code next, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(READING_KEYS)

    def __init__(self, session: CodingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        app = self.coder_app
        yield Header()
        yield TranscriptReader(app.project.codebook, app.language, id="reader")
        yield Footer()

    def on_mount(self) -> None:
        session = self.session
        reader = self.query_one(TranscriptReader)
        reader.load(session.excerpts, session.codes_of, session.index)
        reader.focus()
        reader.call_after_refresh(reader.scroll_to_cursor)
        self._title()

    def _title(self) -> None:
        session, reader = self.session, self.query_one(TranscriptReader)
        excerpt = session.excerpts[reader.cursor]
        self.title = f"Reading {session.transcript_id}"
        self.sub_title = (
            f"excerpt {excerpt.seq} of {len(session.excerpts)} · "
            f"you were at {session.current.seq} · Enter codes here, Esc goes back"
        )

    def on_transcript_reader_moved(self) -> None:
        self._title()

    def _move_to(self, index: int) -> None:
        reader = self.query_one(TranscriptReader)
        reader.cursor = max(0, min(index, len(self.session.excerpts) - 1))

    def action_move(self, step: int) -> None:
        self._move_to(self.query_one(TranscriptReader).cursor + step)

    def action_page(self, direction: int) -> None:
        """A page of rows on: the cursor goes to the excerpt that many rows away."""
        reader = self.query_one(TranscriptReader)
        layout = reader.layout_now()
        height = max(1, reader.scrollable_content_region.height - 1)
        row = layout.tops[reader.cursor] + direction * height
        self._move_to(layout.block_at(row)[0])

    def action_edge(self, direction: int) -> None:
        self._move_to(0 if direction < 0 else len(self.session.excerpts) - 1)

    def action_back_to_current(self) -> None:
        self._move_to(self.session.index)

    def action_scroll_rows(self, rows: int) -> None:
        reader = self.query_one(TranscriptReader)
        reader.scroll_relative(y=rows, animate=False)

    def action_code_here(self) -> None:
        self.dismiss(self.query_one(TranscriptReader).cursor)

    def action_back(self) -> None:
        self.dismiss(None)
