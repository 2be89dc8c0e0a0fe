"""The coder's memo on an excerpt, a code, a case or the project.

The keys are the dialog's own words: ctrl+s saves, Esc saves and closes, ctrl+g discards the
changes; saving an empty memo deletes it. What is typed is kept as a draft at every change
(``.coder/memo-drafts.json``, owner-only), so closing the terminal mid-sentence loses nothing:
the next time the memo is opened the draft comes back, and saving or discarding ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, TextArea

from coder.domain.keys import MEMO_KEYS
from coder.domain.transcript import Excerpt
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen


@dataclass(frozen=True, slots=True)
class MemoTarget:
    """What a memo is about: one excerpt, code or case, or (none) the project."""

    title: str
    """How the dialog names it."""
    excerpt_id: int | None = None
    code_id: str | None = None
    case_id: str | None = None

    @classmethod
    def of_excerpt(cls, excerpt: Excerpt) -> MemoTarget:
        return cls(f"excerpt {excerpt.seq} ({excerpt.speaker or '—'})", excerpt_id=excerpt.id)

    @property
    def key(self) -> str:
        """A stable name for the draft file."""
        if self.excerpt_id is not None:
            return f"excerpt:{self.excerpt_id}"
        if self.code_id is not None:
            return f"code:{self.code_id}"
        return f"case:{self.case_id}" if self.case_id is not None else "project"


class MemoScreen(CoderModalScreen[bool]):
    """Edit one memo; dismisses True when something was saved or deleted."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(MEMO_KEYS)

    def __init__(self, target: Excerpt | MemoTarget) -> None:
        super().__init__()
        self.target = target if isinstance(target, MemoTarget) else MemoTarget.of_excerpt(target)
        self.memo_id: int | None = None
        self.original = ""
        self.restored = False

    def compose(self) -> ComposeResult:
        from coder.store.coder_view import coder_memo_for, coder_memo_on_excerpt
        from coder.tui.local_state import memo_draft

        app = self.coder_app
        assert app.coder is not None
        target = self.target
        if target.excerpt_id is not None:
            found = coder_memo_on_excerpt(app.project, app.coder, target.excerpt_id)
        else:
            found = coder_memo_for(
                app.project, app.coder, code_id=target.code_id, case_id=target.case_id
            )
        if found is not None:
            self.memo_id, self.original = found
        draft = memo_draft(app.project.root, app.coder, target.key)
        self.restored = draft is not None and draft != self.original
        with Vertical(id="dialog"):
            yield Label(f"Memo on {target.title}", id="title")
            if self.restored:
                yield Label("restored what you typed last time and did not save", classes="hint")
            text = draft if draft is not None and self.restored else self.original
            yield TextArea(text, id="memo", soft_wrap=True)
            yield Label(self._hint(), classes="hint")

    def _hint(self) -> str:
        """The keys as they are bound (a remapped key is named as remapped)."""
        keymap = self.coder_app.project.settings.keymap
        names = {"escape": "Esc", "ctrl+s": "ctrl+s", "ctrl+g": "ctrl+g"}
        parts = []
        for spec in MEMO_KEYS:
            key = keymap.get(spec.id, spec.keys).split(",")[0].strip()
            parts.append(f"{names.get(key, key)} {spec.description.lower()}")
        return " · ".join(parts) + " · saving an empty memo deletes it"

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        from coder.tui.local_state import save_memo_draft

        app = self.coder_app
        assert app.coder is not None
        text = event.text_area.text
        draft = None if text == self.original else text
        save_memo_draft(app.project.root, app.coder, self.target.key, draft)

    def _end_draft(self) -> None:
        from coder.tui.local_state import save_memo_draft

        app = self.coder_app
        assert app.coder is not None
        save_memo_draft(app.project.root, app.coder, self.target.key, None)

    def action_save(self) -> None:
        from coder.store.operations import add_memo, delete_memo, edit_memo

        app = self.coder_app
        assert app.coder is not None
        text = self.query_one(TextArea).text.strip()
        target = self.target
        changed = False
        if self.memo_id is None and text:
            add_memo(
                app.project,
                app.coder,
                text,
                excerpt_id=target.excerpt_id,
                code_id=target.code_id,
                case_id=target.case_id,
            )
            changed = True
        elif self.memo_id is not None and not text:
            delete_memo(app.project, app.coder, self.memo_id)
            changed = True
        elif self.memo_id is not None and text != self.original:
            changed = edit_memo(app.project, app.coder, self.memo_id, text)
        self._end_draft()
        self.dismiss(changed)

    def action_cancel(self) -> None:
        self._end_draft()
        self.dismiss(False)
