"""Help: every binding with its id (for ``[keymap]``) and every code hotkey."""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from coder.domain.keys import (
    ADJUDICATE_KEYS,
    AGREEMENT_KEYS,
    APP_KEYS,
    CODE_EDIT_KEYS,
    CODING_KEYS,
    HOME_KEYS,
    MEMO_KEYS,
    MEMO_LIST_KEYS,
    NEW_CODE_KEYS,
    PRIVACY_KEYS,
    RATING_CONSENSUS_KEYS,
    READING_KEYS,
    REPORT_KEYS,
    RETRIEVE_KEYS,
    SPAN_KEYS,
    SPLIT_KEYS,
    TREE_KEYS,
    KeySpec,
)
from coder.tui.screens.base import CoderModalScreen
from coder.tui.widgets.chips import chip_style


class HelpScreen(CoderModalScreen[None]):
    """Scrollable tables of keys."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.coder_app
        keymap = {k: v for k, v in app.project.settings.keymap.items()}
        with VerticalScroll(id="dialog"):
            yield Label("Keys  (remap in coder.toml [keymap] by binding id)", id="title")
            for title, specs in (
                (
                    "Everywhere",
                    APP_KEYS + (KeySpec("app.palette", "ctrl+p", "", "Command palette"),),
                ),
                ("Home", HOME_KEYS),
                ("Coding", CODING_KEYS),
                ("Span mode (s)", SPAN_KEYS),
                ("Reading the whole transcript (T; Enter codes the excerpt there)", READING_KEYS),
                (
                    "Code tree (Tab; arrows move, Enter toggles, Enter on a group folds it)",
                    TREE_KEYS,
                ),
                ("New code (ctrl+n; Enter in a field creates it)", NEW_CODE_KEYS),
                ("Change a code (ctrl+b; leads, or a coder alone)", CODE_EDIT_KEYS),
                ("Split a code: where each coding goes (a digit picks)", SPLIT_KEYS),
                ("Memo (m)", MEMO_KEYS),
                ("All your memos (M; Enter jumps to an excerpt memo)", MEMO_LIST_KEYS),
                ("Reports (ctrl+t)", REPORT_KEYS),
                (
                    "Retrieval (ctrl+g; Enter runs the query, Enter on a segment opens it)",
                    RETRIEVE_KEYS,
                ),
                ("Agreement (leads)", AGREEMENT_KEYS),
                ("Consensus walk-through (leads)", ADJUDICATE_KEYS),
                ("Pseudonymisation review (coder privacy review)", PRIVACY_KEYS),
                (
                    "Consensus on case ratings (leads; a digit sets the level)",
                    RATING_CONSENSUS_KEYS,
                ),
            ):
                yield Static(_table(title, specs, keymap))
            yield Static(self._codes())

    def _codes(self) -> Table:
        app = self.coder_app
        book = app.project.codebook
        table = Table(
            title="Code hotkeys (toggle on the excerpt, or on the span in span mode)", expand=True
        )
        table.add_column("Key", no_wrap=True)
        table.add_column("Code")
        table.add_column("Id", style="dim")
        for code in book.active_codes:
            if code.hotkey:
                table.add_row(
                    Text(f" {code.hotkey} ", chip_style(book, code.id)),
                    code.label_in(app.language),
                    code.id,
                )
        return table

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step * 3, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def _table(title: str, specs: tuple[KeySpec, ...], keymap: dict[str, str]) -> Table:
    table = Table(title=title, expand=True, title_style=Style(bold=True))
    table.add_column("Keys", no_wrap=True)
    table.add_column("Does")
    table.add_column("Binding id", style="dim", no_wrap=True)
    for spec in specs:
        keys = keymap.get(spec.id, spec.keys)
        table.add_row(_pretty(keys), spec.description, spec.id)
    return table


def _pretty(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter"}
    return ", ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))
