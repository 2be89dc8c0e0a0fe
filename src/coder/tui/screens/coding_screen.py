"""The coding screen: excerpt list, the excerpt in context, the code tree and its definition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Tree

from coder.domain.keys import CODING_KEYS, SPAN_KEYS
from coder.errors import CoderError
from coder.tui.bindings import bindings
from coder.tui.session import CodingSession
from coder.tui.span_selection import SpanSelection
from coder.tui.suggestions import SuggestionService
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView
from coder.tui.widgets.status_line import StatusLine
from coder.tui.widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from coder.tui.app import CoderApp


def freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's view.

    A full collection otherwise walks every object of textual, spaCy and the loaded transcript
    and pauses a keystroke for 40-70 ms; frozen objects are long-lived anyway.
    """
    import gc

    gc.freeze()  # no collect() first: that would be the very pause this avoids


MOVES = {
    "move",
    "move_to_end",
    "unreviewed",
    "span",
    "memo",
    "rate",
    "search",
    "accept_suggestion",
    "accept_all",
    "reject_suggestion",
    "most_uncertain",
}


class CodingScreen(Screen[None]):
    """One transcript, one coder. Every action is committed before the screen redraws."""

    BINDINGS: ClassVar[list[Binding]] = [*bindings(CODING_KEYS), *bindings(SPAN_KEYS)]  # type: ignore[assignment]

    def __init__(self, transcript_id: str, excerpt_id: int | None = None) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.start_excerpt = excerpt_id
        self.session: CodingSession | None = None
        self.span: SpanSelection | None = None
        self.memo_ids: set[int] = set()
        self.suggestions: SuggestionService | None = None
        self.last_message = ""

    @property
    def coder_app(self) -> CoderApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.coder_app
        book = app.project.codebook
        yield Header()
        with Horizontal(id="coding"):
            yield ExcerptList(book, id="excerpts")
            with Vertical(id="right"):
                yield ExcerptView(book, app.language, id="excerpt")
                yield SuggestionPanel(book, app.language, id="suggestions")
                with Horizontal(id="codes"):
                    yield CodeTree(book, app.language, id="tree")
                    yield DefinitionPanel(book, app.language, id="definition")
        yield LoadingIndicator(id="loading")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#coding").display = False
        self.load_session()

    @work(thread=True, exclusive=True, group="load")
    def load_session(self) -> None:
        """Load the transcript in a worker (large transcripts take more than 100 ms)."""
        app = self.coder_app
        assert app.coder is not None
        try:
            session = CodingSession.open(app.project, app.coder, self.transcript_id)
            from coder.store.coder_view import coder_memo_excerpts

            memos = coder_memo_excerpts(app.project, app.coder, self.transcript_id)
        except CoderError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._loaded, session, memos)

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8)
        self.app.pop_screen()

    def _loaded(self, session: CodingSession, memos: set[int]) -> None:
        self.session = session
        self.memo_ids = memos
        if self.start_excerpt is not None:
            index = session.index_of(self.start_excerpt)
            if index is not None:
                session.index = index
        self.query_one("#loading").display = False
        self.query_one("#coding").display = True
        listing = self.query_one(ExcerptList)
        listing.load(session.excerpts, session.codes_of, session.reviewed, self.memo_ids)
        listing.cursor = session.index
        listing.focus()
        self.query_one(CodeTree).set_counts(session.code_counts)
        self.sub_title = f"{session.transcript_id} · case {session.case_id or '—'}"
        app = self.coder_app
        assert app.coder is not None
        panel = self.query_one(SuggestionPanel)
        if app.project.settings.coding.suggestions:
            self.suggestions = SuggestionService(app.project, app.coder)
            panel.show_message("loading the language pipeline…")
        else:
            panel.display = False
        self.redraw()
        listing.call_after_refresh(listing.scroll_to_cursor)
        listing.call_after_refresh(freeze_heap)
        # the screen paints first; the language pipeline (seconds of spaCy) loads after
        self.call_after_refresh(lambda: self.suggest_ahead(session.index))

    # -- drawing ----------------------------------------------------------------------------

    def redraw(self, message: str | None = None) -> None:
        """Redraw the excerpt view and the status line for the cursor.

        ``message`` replaces the status message; None keeps the last one (a background redraw,
        such as suggestions arriving, must not wipe what the coder's last key did).
        """
        session = self.session
        if session is None:
            return
        if message is None:
            message = self.last_message
        self.last_message = message
        index = session.index
        previous = session.excerpts[index - 1] if index > 0 else None
        following = session.excerpts[index + 1] if index + 1 < len(session.excerpts) else None
        shown = self._visible_suggestions()
        highlights = [(r.start, r.end) for r in shown[0].reasons] if shown else []
        self.query_one(ExcerptView).show(
            previous,
            session.current,
            following,
            session.codes_of(session.current),
            selection=self.span.range if self.span else None,
            highlights=highlights,
        )
        self.query_one(CodeTree).set_applied({c for c, _ in session.codes_of(session.current)})
        panel = self.query_one(SuggestionPanel)
        service = self.suggestions
        if service is None:
            pass
        elif not session.current.codable:
            panel.show_message("— (not codable)")
        elif service is not None and service.error:
            panel.show_message(service.error)
        elif service is not None and session.current.id in service.cache:
            panel.show(shown)
        elif service is not None and service.ready:
            panel.show_message("computing…")
        mode = (
            "SPAN: ←/→ end, shift+←/→ start, a hotkey codes the span, Esc leaves · "
            if self.span
            else ""
        )
        progress = f"{session.reviewed_count}/{session.codable_count} reviewed"
        self.query_one(StatusLine).message = (
            f"{mode}{session.transcript_id} {session.current.seq}/{len(session.excerpts)} · "
            f"{progress} · {self.coder_app.coder}" + (f" · {message}" if message else "")
        )

    def refresh_current_row(self) -> None:
        session = self.session
        if session is not None:
            self.query_one(ExcerptList).refresh_row(session.index)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("span_"):
            return self.span is not None
        blocked_in_span = MOVES | {"home", "undo", "redo", "focus_tree"}
        return not (self.span is not None and action in blocked_in_span)

    def action_move(self, step: int) -> None:
        """Move by codable excerpts; interviewer turns stay visible as context."""
        if self.session is not None:
            self._go(self.session.step_codable(step))

    def action_move_to_end(self, direction: int) -> None:
        if self.session is not None:
            self._go(self.session.edge_codable(direction))

    def action_reviewed_next(self) -> None:
        """Mark the excerpt reviewed ("looked, no code") and move to the next one."""
        session = self.session
        if session is None:
            return
        old = session.index
        target = session.step_codable(1)
        session.move_to(target, reviewed=True)
        listing = self.query_one(ExcerptList)
        listing.refresh_row(old)
        listing.cursor = session.index
        self.redraw("marked reviewed")
        if session.index != old:
            self.suggest_ahead(session.index)

    def action_unreview(self) -> None:
        session = self.session
        if session is not None and session.unmark_reviewed():
            self.refresh_current_row()
            self.redraw("reviewed mark taken back")

    def action_scroll_excerpt(self, step: int) -> None:
        self.query_one(ExcerptView).scroll_relative(y=step * 3, animate=False)

    def action_unreviewed(self, step: int) -> None:
        if self.session is None:
            return
        index = self.session.next_unreviewed(step)
        if index is None:
            self.redraw("no unreviewed excerpt " + ("after this" if step > 0 else "before this"))
        else:
            self._go(index)

    def _go(self, index: int) -> None:
        session = self.session
        assert session is not None
        old = session.index
        try:
            moved = session.move_to(index)
        except CoderError as exc:
            self.notify(str(exc), severity="error")
            return
        if moved:
            listing = self.query_one(ExcerptList)
            listing.refresh_row(old)
            listing.cursor = session.index
            self.redraw("")
            self.suggest_ahead(session.index)

    def go_to_excerpt(self, excerpt_id: int) -> None:
        """Move to an excerpt of this transcript (from search)."""
        if self.session is not None:
            index = self.session.index_of(excerpt_id)
            if index is not None:
                self._go(index)

    def toggle_code(self, code_id: str) -> None:
        """Toggle a code on the current excerpt, or on the span in span mode."""
        session = self.session
        if session is None:
            return
        code = self.coder_app.project.codebook.code(code_id)
        if not code.codable:
            self.redraw(f"{code.label_in(self.coder_app.language)} is a group heading")
            return
        span = self.span.range if self.span else None
        try:
            applied = session.toggle(code_id, span)
        except CoderError as exc:
            self.notify(str(exc), severity="warning")
            return
        if self.span is not None:
            self.span = None
            self.refresh_bindings()
        self.query_one(CodeTree).update_count(code_id, session.code_counts[code_id])
        self.refresh_current_row()
        verb = "applied" if applied else "removed"
        where = " to the span" if span else ""
        self.redraw(f"{verb} {self.code_name(code_id)}{where}")
        self.retrain()

    def code_name(self, code_id: str) -> str:
        """``Group › Label`` in the project language (two codes may share a label)."""
        book = self.coder_app.project.codebook
        if not book.has_code(code_id):
            return code_id
        code = book.code(code_id)
        label = code.label_in(self.coder_app.language)
        if code.parent is None:
            return label
        return f"{book.code(code.parent).label_in(self.coder_app.language)} › {label}"

    def on_key(self, event: events.Key) -> None:
        """A code's hotkey toggles it (checked before ordinary bindings)."""
        if self.session is None or event.character is None or len(event.character) != 1:
            return
        code = self.coder_app.project.codebook.by_hotkey(event.character)
        if code is not None:
            event.stop()
            event.prevent_default()
            self.toggle_code(code.id)

    def on_excerpt_list_picked(self, message: ExcerptList.Picked) -> None:
        if self.span is None:
            self._go(message.index)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data is not None:
            self.toggle_code(event.node.data)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        code_id = event.node.data
        book = self.coder_app.project.codebook
        self.query_one(DefinitionPanel).show(book.code(code_id) if code_id else None)

    def action_focus_tree(self) -> None:
        tree = self.query_one(CodeTree)
        if tree.has_focus:
            self.query_one(ExcerptList).focus()
        else:
            tree.focus()

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        from coder.store.history import redo
        from coder.store.history import undo as undo_step

        session = self.session
        if session is None:
            return
        app = self.coder_app
        assert app.coder is not None
        step = (undo_step if undo else redo)(app.project, app.coder)
        if step is None:
            self.redraw("nothing to " + ("undo" if undo else "redo"))
            return
        excerpt_id = step.payload.get("excerpt") or step.payload.get("excerpt_id")
        if isinstance(excerpt_id, int):
            session.reload_excerpt(excerpt_id)
            index = session.index_of(excerpt_id)
            if index is not None:
                self._go(index)
                self.query_one(ExcerptList).refresh_row(index)
            if step.kind.startswith("memo."):
                self._reload_memos()
        code_id = step.payload.get("code")
        if isinstance(code_id, str):
            self.query_one(CodeTree).update_count(code_id, session.code_counts[code_id])
        what = self.code_name(code_id) if isinstance(code_id, str) else step.kind
        self.redraw(("undid " if undo else "redid ") + what)

    def _reload_memos(self) -> None:
        from coder.store.coder_view import coder_memo_excerpts

        app = self.coder_app
        assert app.coder is not None
        self.memo_ids.clear()
        self.memo_ids.update(coder_memo_excerpts(app.project, app.coder, self.transcript_id))
        self.query_one(ExcerptList).refresh()

    # -- suggestions ------------------------------------------------------------------------

    def _visible_suggestions(self) -> list[Any]:
        session, service = self.session, self.suggestions
        if session is None or service is None or not session.current.codable:
            return []
        applied = {code for code, _ in session.codes_of(session.current)}
        return service.visible(session.current.id, applied)

    @work(thread=True, exclusive=True, group="suggest")
    def suggest_ahead(self, index: int) -> None:
        """Suggestions for the current excerpt, then the next few (never on the UI thread)."""
        session, service = self.session, self.suggestions
        if session is None or service is None:
            return
        app = self.coder_app
        current = session.excerpts[index]
        try:
            loaded = service.ready
            service.compute([current])
            if not loaded:
                freeze_heap()  # spaCy's and the model's objects live as long as the screen
            app.call_from_thread(self._suggestions_ready, current.id)
            service.record_shown(current.id)
            service.compute(session.excerpts[index + 1 : index + 9])
        except Exception as exc:  # no pipeline, a broken model: say so, keep coding
            service.error = f"unavailable ({exc})"
            app.call_from_thread(self._suggestions_ready, current.id)

    def _suggestions_ready(self, excerpt_id: int) -> None:
        if self.session is not None and self.session.current.id == excerpt_id:
            self.redraw()

    @work(thread=True, exclusive=True, group="train")
    def retrain(self) -> None:
        """Retrain the model in the background after enough new codings."""
        service = self.suggestions
        if service is None or not service.ready:
            return
        try:
            if service.retrain_if_due() and self.session is not None:
                self.coder_app.call_from_thread(self.redraw, "suggestion model retrained")
                self.suggest_ahead(self.session.index)
        except Exception as exc:
            self.coder_app.call_from_thread(
                self.notify, f"retraining failed: {exc}", severity="warning"
            )

    def action_accept_suggestion(self) -> None:
        shown = self._visible_suggestions()
        if not shown:
            self.redraw("no suggestion to accept")
            return
        self._accept([shown[0]])

    def action_accept_all(self) -> None:
        chosen = [s for s in self._visible_suggestions() if s.above_threshold]
        if not chosen:
            self.redraw("no suggestion above its threshold")
            return
        self._accept(chosen)

    def _accept(self, chosen: list[Any]) -> None:
        from coder.domain.transcript import Origin

        session = self.session
        if session is None:
            return
        for suggestion in chosen:
            try:
                session.toggle(suggestion.code_id, origin=Origin.SUGGESTION)
            except CoderError as exc:
                self.notify(str(exc), severity="warning")
                return
            self.query_one(CodeTree).update_count(
                suggestion.code_id, session.code_counts[suggestion.code_id]
            )
        self.refresh_current_row()
        names = ", ".join(self.code_name(s.code_id) for s in chosen)
        self.redraw(f"accepted {names}")
        self.retrain()

    def action_reject_suggestion(self) -> None:
        session, service = self.session, self.suggestions
        shown = self._visible_suggestions()
        if session is None or service is None or not shown:
            self.redraw("no suggestion to reject")
            return
        service.reject(session.current.id, shown[0].code_id)
        self.redraw(f"rejected {self.code_name(shown[0].code_id)}")

    def action_most_uncertain(self) -> None:
        self.redraw("finding the excerpt the model is least sure about…")
        self._find_uncertain()

    @work(thread=True, exclusive=True, group="uncertain")
    def _find_uncertain(self) -> None:
        service, session = self.suggestions, self.session
        if service is None or session is None:
            return
        excerpt_id = service.most_uncertain(session.transcript_id)
        if excerpt_id is None:
            self.coder_app.call_from_thread(self.redraw, "no unreviewed excerpt left")
        else:
            self.coder_app.call_from_thread(self.go_to_excerpt, excerpt_id)

    # -- span mode --------------------------------------------------------------------------

    def action_span(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.current.codable:
            self.redraw("this excerpt is not codable")
            return
        self.span = SpanSelection.start(session.current.text, session.current.start)
        self.refresh_bindings()
        self.redraw("")

    def action_span_end(self, step: int) -> None:
        if self.span is not None:
            self.span = self.span.move_end(step)
            self.redraw()

    def action_span_start(self, step: int) -> None:
        if self.span is not None:
            self.span = self.span.move_start(step)
            self.redraw()

    def action_span_cancel(self) -> None:
        self.span = None
        self.refresh_bindings()
        self.redraw("left span mode")

    # -- dialogs ------------------------------------------------------------------------------

    def action_memo(self) -> None:
        from coder.tui.screens.memo_screen import MemoScreen

        session = self.session
        if session is not None:
            self.app.push_screen(MemoScreen(session.current), self._memo_done)

    def _memo_done(self, changed: bool | None) -> None:
        if changed:
            self._reload_memos()
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

    def action_home(self) -> None:
        if self.session is not None:
            self.session.mark_current_reviewed()
        self.app.pop_screen()
