"""The coding screen: excerpt list, the excerpt in context, the code tree and its definition.

Its parts live in ``coder.tui.screens.coding`` (navigation, coding actions, span mode,
suggestions, workers, dialogs); this module lays out the widgets and puts the parts together.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, LoadingIndicator

from coder.domain.keys import CODING_KEYS, SPAN_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.coding.codebook_actions import CodebookActions
from coder.tui.screens.coding.coding_actions import CodingActions
from coder.tui.screens.coding.dialogs import Dialogs
from coder.tui.screens.coding.navigation import Navigation
from coder.tui.screens.coding.span_mode import SpanMode
from coder.tui.screens.coding.suggestion_actions import SuggestionActions
from coder.tui.screens.coding.workers import Workers, freeze_heap
from coder.tui.session import CodingSession
from coder.tui.suggestions import SuggestionService
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView
from coder.tui.widgets.status_line import StatusLine
from coder.tui.widgets.suggestion_panel import SuggestionPanel

MOVES = {
    "move",
    "move_to_end",
    "unreviewed",
    "rest_reviewed",
    "span",
    "memo",
    "rate",
    "search",
    "accept_suggestion",
    "accept_all",
    "reject_suggestion",
    "most_uncertain",
    "read_transcript",
}
"""Actions span mode blocks (the selection belongs to the excerpt under the cursor)."""


class CodingScreen(
    Navigation, CodingActions, CodebookActions, SpanMode, SuggestionActions, Workers, Dialogs
):
    """One transcript, one coder. Every action is committed before the screen redraws."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(CODING_KEYS), *bindings(SPAN_KEYS)]

    def compose(self) -> ComposeResult:
        app = self.coder_app
        self.show_own_proposals()
        book = app.project.codebook
        yield Header()
        with Horizontal(id="coding"):
            with Vertical(id="left"):
                yield ExcerptList(book, id="excerpts")
                yield CodeTree(book, app.language, id="tree")
            with Vertical(id="right"):
                yield ExcerptView(book, app.language, id="excerpt")
                yield SuggestionPanel(book, app.language, id="suggestions")
                yield DefinitionPanel(book, app.language, id="definition")
        yield LoadingIndicator(id="loading")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#coding").display = False
        self.load_session()
        self.watch_codebook()

    def loaded(
        self, session: CodingSession, memos: dict[int, str], rejected: set[tuple[int, str]]
    ) -> None:
        """Put a session loaded by the worker on screen (``rejected``: earlier rejections)."""
        self.session = session
        self.memo_texts = memos
        self.memo_ids = set(memos)
        if self.start_excerpt is not None:
            index = session.index_of(self.start_excerpt)
            if index is not None:
                session.index = index
        self.query_one("#loading").display = False
        self.query_one("#coding").display = True
        listing = self.query_one(ExcerptList)
        listing.load(
            session.excerpts, session.codes_of, session.reviewed, self.memo_ids, session.seen
        )
        listing.cursor = session.index
        listing.focus()
        self.query_one(CodeTree).set_counts(session.code_counts)
        self.sub_title = f"{session.transcript_id} · case {session.case_id or '—'}"
        app = self.coder_app
        assert app.coder is not None
        panel = self.query_one(SuggestionPanel)
        if app.project.settings.coding.suggestions:
            self.suggestions = SuggestionService(app.project, app.coder, rejected=rejected)
            panel.show_message("loading the language pipeline…")
        else:
            panel.display = False
        self.redraw()
        listing.call_after_refresh(listing.scroll_to_cursor)
        listing.call_after_refresh(freeze_heap)
        # the screen paints first; the language pipeline (seconds of spaCy) loads after
        self.call_after_refresh(lambda: self.suggest_ahead(session.index))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("span_"):
            return self.span is not None
        blocked_in_span = MOVES | {"home", "undo", "redo", "focus_tree"}
        return not (self.span is not None and action in blocked_in_span)
