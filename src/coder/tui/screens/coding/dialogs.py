"""``Dialogs``: the memo, rating and search dialogs opened from the coding screen, and home."""

from __future__ import annotations

from coder.tui.screens.coding.base import CodingScreenBase


class Dialogs(CodingScreenBase):
    """``m`` memo, ``M`` all memos, ``r`` rating, ``/`` search, ``T`` the whole transcript,
    Esc home."""

    def action_memo(self) -> None:
        from coder.tui.screens.memo_screen import MemoScreen

        session = self.session
        if session is not None:
            self.app.push_screen(MemoScreen(session.current), self._memo_done)

    def action_memo_list(self) -> None:
        from coder.tui.screens.memo_list_screen import MemoListScreen
        from coder.tui.widgets.definition_panel import DefinitionPanel

        session = self.session
        if session is None:
            return
        shown = self.query_one(DefinitionPanel).code_id
        self.app.push_screen(MemoListScreen(session.case_id, shown), self._memo_jump)

    def _memo_jump(self, jump: tuple[str, int] | None) -> None:
        self.reload_memos()
        if jump is None:
            self.redraw()
            return
        transcript, excerpt_id = jump
        if transcript == self.transcript_id:
            self.go_to_excerpt(excerpt_id)
        else:
            self.coder_app.open_transcript(transcript, excerpt_id)

    def _memo_done(self, changed: bool | None) -> None:
        if changed:
            self.reload_memos()
            self.redraw("memo saved")

    def action_rate(self) -> None:
        from coder.tui.screens.rating_screen import RatingScreen

        session = self.session
        if session is None:
            return
        if session.case_id is None:
            self.redraw("this transcript has no case to rate")
            return
        self.app.push_screen(RatingScreen(session.case_id))

    def action_search(self) -> None:
        from coder.tui.screens.search_screen import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_read_transcript(self) -> None:
        from coder.tui.screens.reading_screen import ReadingScreen

        session = self.session
        if session is not None:
            self.app.push_screen(ReadingScreen(session), self._read_done)

    def _read_done(self, index: int | None) -> None:
        """Back from the reading view: at the excerpt Enter chose, or where the coder was."""
        if index is not None and self.session is not None and index != self.session.index:
            self.go_to(index)
            self.redraw(f"excerpt {self.session.current.seq}, from the reading view")
        else:
            self.redraw()

    def action_home(self) -> None:
        self.app.pop_screen()  # leaving is not reviewing: the mark stays as it is
