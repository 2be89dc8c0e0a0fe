"""``CodingScreenBase``: the state the coding screen's parts share, and its drawing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder.tui.screens.base import CoderScreen
from coder.tui.session import CodingSession
from coder.tui.span_selection import SpanSelection
from coder.tui.suggestions import SuggestionService
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView
from coder.tui.widgets.status_line import StatusLine
from coder.tui.widgets.suggestion_panel import SuggestionPanel


class CodingScreenBase(CoderScreen[None]):
    """One transcript, one coder: the session, the span, the suggestions and ``redraw``."""

    def __init__(self, transcript_id: str, excerpt_id: int | None = None) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.start_excerpt = excerpt_id
        self.session: CodingSession | None = None
        self.span: SpanSelection | None = None
        self.memo_ids: set[int] = set()
        self.memo_texts: dict[int, str] = {}
        """Excerpt id -> this coder's memo on it (shown under the excerpt)."""
        self.suggestions: SuggestionService | None = None
        self.last_message = ""
        self.found: tuple[int, str] | None = None
        """(excerpt id, words) a search opened: highlighted while that excerpt is shown."""

    def show_found(self, excerpt_id: int, words: str | None) -> None:
        """Highlight a search's words in an excerpt (until the coder searches again)."""
        self.found = (excerpt_id, words.strip()) if words and words.strip() else None

    def _found_in(self, excerpt_id: int, text: str) -> list[tuple[int, int]]:
        if self.found is None or self.found[0] != excerpt_id:
            return []
        words = self.found[1].casefold()
        folded = text.casefold()
        spans, at = [], folded.find(words)
        while at >= 0:
            spans.append((at, at + len(words)))
            at = folded.find(words, at + len(words))
        return spans

    if TYPE_CHECKING:
        # each room calls the others only through these (defined in the module named)

        def go_to(self, index: int) -> None: ...  # navigation

        def go_to_excerpt(self, excerpt_id: int) -> None: ...  # navigation

        def reload_memos(self) -> None: ...  # coding_actions

        def toggle_code(self, code_id: str) -> None: ...  # coding_actions

        def suggest_ahead(self, index: int) -> object: ...  # workers

        def retrain(self) -> object: ...  # workers

        def find_uncertain(self) -> object: ...  # workers

        def loaded(  # the screen
            self, session: CodingSession, memos: dict[int, str], rejected: set[tuple[int, str]]
        ) -> None: ...

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
        shown = self.visible_suggestions()
        highlights = [(r.start, r.end) for r in shown[0].reasons] if shown else []
        self.query_one(ExcerptView).show(
            previous,
            session.current,
            following,
            session.codes_of(session.current),
            selection=self.span.range if self.span else None,
            highlights=highlights,
            found=self._found_in(session.current.id, session.current.text),
            memo=self.memo_texts.get(session.current.id),
        )
        tree = self.query_one(CodeTree)
        tree.set_applied({c for c, _ in session.codes_of(session.current)})
        self._draw_suggestions(shown)
        if shown and not tree.has_focus:  # the definition follows the top suggestion
            book = self.coder_app.project.codebook
            self.query_one(DefinitionPanel).show(book.code(shown[0].code_id), why="suggested")
        mode = (
            "SPAN: ←/→ word, ↓/↑ sentence, End all, shift+←/→ start; hotkey codes; Esc leaves · "
            if self.span
            else ""
        )
        progress = f"{session.reviewed_count}/{session.codable_count} reviewed"
        status = self.query_one(StatusLine)
        status.message = f"{mode}{message}" if message else mode.removesuffix(" · ")
        status.context = (
            f"{session.transcript_id} {session.current.seq}/{len(session.excerpts)} · "
            f"{progress} · {self.coder_app.coder}"
        )

    def _draw_suggestions(self, shown: list[Any]) -> None:
        session, service = self.session, self.suggestions
        if session is None or service is None:
            return
        panel = self.query_one(SuggestionPanel)
        if not session.current.codable:
            panel.show_message("— (not codable)")
        elif service.error:
            panel.show_message(service.error)
        elif session.current.id in service.cache:
            panel.show(shown, service.model_note(shown, session.current.id))
        elif service.ready:
            panel.show_message("computing…")

    def visible_suggestions(self) -> list[Any]:
        """The suggestions shown for the current excerpt (none applied, none rejected)."""
        session, service = self.session, self.suggestions
        if session is None or service is None or not session.current.codable:
            return []
        applied = {code for code, _ in session.codes_of(session.current)}
        return service.visible(session.current.id, applied)

    def refresh_current_row(self) -> None:
        """Repaint the cursor's row of the excerpt list (its codes or marks changed)."""
        session = self.session
        if session is not None:
            self.query_one(ExcerptList).refresh_row(session.index)

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
