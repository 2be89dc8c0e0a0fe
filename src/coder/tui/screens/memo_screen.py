"""The coder's memo on an excerpt: ctrl+s saves, Escape cancels, saving empty deletes it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, TextArea

from coder.domain.keys import MEMO_KEYS
from coder.domain.transcript import Excerpt
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen


class MemoScreen(CoderModalScreen[bool]):
    """Edit one memo; dismisses True when something was saved or deleted."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(MEMO_KEYS)

    def __init__(self, excerpt: Excerpt) -> None:
        super().__init__()
        self.excerpt = excerpt
        self.memo_id: int | None = None
        self.original = ""

    def compose(self) -> ComposeResult:
        from coder.store.coder_view import coder_memo_on_excerpt

        app = self.coder_app
        assert app.coder is not None
        found = coder_memo_on_excerpt(app.project, app.coder, self.excerpt.id)
        if found is not None:
            self.memo_id, self.original = found
        with Vertical(id="dialog"):
            yield Label(
                f"Memo on excerpt {self.excerpt.seq} ({self.excerpt.speaker or '—'})", id="title"
            )
            yield TextArea(self.original, id="memo", soft_wrap=True)
            yield Label(
                "ctrl+s save · Esc cancel · save an empty memo to delete it", classes="hint"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        from coder.store.operations import add_memo, delete_memo, edit_memo

        app = self.coder_app
        assert app.coder is not None
        text = self.query_one(TextArea).text.strip()
        changed = False
        if self.memo_id is None and text:
            add_memo(app.project, app.coder, text, excerpt_id=self.excerpt.id)
            changed = True
        elif self.memo_id is not None and not text:
            delete_memo(app.project, app.coder, self.memo_id)
            changed = True
        elif self.memo_id is not None and text != self.original:
            changed = edit_memo(app.project, app.coder, self.memo_id, text)
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self.dismiss(False)
