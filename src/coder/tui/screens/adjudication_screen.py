"""Walk the excerpts where coders disagree on one code and record the consensus with one key.

The decision goes to the separate ``consensus`` layer; each coder's own codings stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from coder.domain.keys import ADJUDICATE_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen
from coder.tui.widgets.chips import chip_style
from coder.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from coder.agreement.adjudication import Disagreement


class AdjudicationScreen(CoderScreen[None]):
    """One disagreement at a time: the excerpt, each coder's codes side by side, the decision."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(ADJUDICATE_KEYS)

    def __init__(self, code: str, coders: tuple[str, ...]) -> None:
        super().__init__()
        self.code = code
        self.coders = coders
        self.items: list[Disagreement] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="adjudication"):
            yield Static("", id="adjudication-definition")
            yield Static("", id="adjudication-codes")
            yield Static("", id="adjudication-text")
            yield Static("", id="adjudication-memos")
        yield StatusLine(id="adjudication-status")
        yield Footer()

    def on_mount(self) -> None:
        from coder.agreement.adjudication import disagreements

        self.items = disagreements(self.coder_app.project, self.code, self.coders)
        book = self.coder_app.project.codebook
        self.sub_title = f"consensus on {book.code(self.code).label_in(self.coder_app.language)}"
        first = next((i for i, item in enumerate(self.items) if item.decision is None), 0)
        self.index = first
        code = book.code(self.code)
        definition = Text()
        definition.append(code.label_in(self.coder_app.language), Style(bold=True))
        for title, body in (
            ("", code.description),
            ("Use when: ", code.use_when),
            ("Don't use when: ", code.dont_use_when),
        ):
            if body:
                definition.append("\n")
                definition.append(title, Style(bold=True))
                definition.append(body, Style(dim=True))
        self.query_one("#adjudication-definition", Static).update(definition)
        self.redraw()

    def _memos(self, excerpt_id: int) -> Text:
        """The compared coders' memos on the excerpt (what a lead needs to decide)."""
        from coder.store.queries import find_memos

        text = Text()
        for memo in find_memos(self.coder_app.project, excerpt_id=excerpt_id):
            if memo["coder"] in self.coders:
                text.append(f"Memo by {memo['coder']}: ", Style(bold=True))
                text.append(str(memo["text"]) + "\n", Style(italic=True))
        return text

    def redraw(self, message: str = "") -> None:
        codes = self.query_one("#adjudication-codes", Static)
        text = self.query_one("#adjudication-text", Static)
        status = self.query_one(StatusLine)
        decided = sum(1 for item in self.items if item.decision is not None)
        progress = f"{decided}/{len(self.items)} decided"
        if not self.items:
            codes.update(Text("The coders agree on every excerpt they all reviewed for this code."))
            text.update("")
            status.message = f"{self.code} · nothing to adjudicate"
            return
        item = self.items[self.index]
        codes.update(self._codes_table(item))
        self.query_one("#adjudication-memos", Static).update(self._memos(item.excerpt_id))
        body = Text()
        body.append(
            f"{item.transcript_id} · excerpt {item.seq} · {item.speaker or '—'}\n", Style(bold=True)
        )
        body.append(item.text)
        text.update(body)
        decision = {None: "undecided", True: "consensus: APPLY", False: "consensus: don't apply"}[
            item.decision
        ]
        status.message = (
            f"{self.code} · {self.index + 1}/{len(self.items)} · {decision} · {progress}"
            + (f" · {message}" if message else "")
        )

    def _codes_table(self, item: Disagreement) -> Table:
        book = self.coder_app.project.codebook
        table = Table(expand=True, title=f"Each coder's codes on this excerpt ({self.code} marked)")
        table.add_column("Coder", no_wrap=True)
        table.add_column(self.code, no_wrap=True)
        table.add_column("All their codes here")
        for name in self.coders:
            has = name in item.applied_by
            chips = Text()
            for code_id in item.codes.get(name, ()):
                style = chip_style(book, code_id) if code_id == self.code else Style(dim=True)
                chips.append(f" {code_id} ", style)
                chips.append(" ")
            table.add_row(name, Text("yes" if has else "no", Style(bold=has)), chips)
        return table

    def action_decide(self, apply: bool) -> None:
        from dataclasses import replace

        from coder.agreement.adjudication import record_consensus

        if not self.items:
            return
        item = self.items[self.index]
        record_consensus(
            self.coder_app.project, item.excerpt_id, self.code, apply, coders=self.coders
        )
        self.items[self.index] = replace(item, decision=apply)
        following = self._undecided_after(self.index)
        if following is not None:
            self.index = following
        self.redraw("recorded")

    def _undecided_after(self, index: int) -> int | None:
        count = len(self.items)
        for offset in range(1, count + 1):
            probe = (index + offset) % count
            if self.items[probe].decision is None:
                return probe
        return None

    def action_step(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(self.index + step, len(self.items) - 1))
            self.redraw()

    def action_next_undecided(self) -> None:
        following = self._undecided_after(self.index)
        if following is None:
            self.redraw("every disagreement has a decision")
        else:
            self.index = following
            self.redraw()

    def action_back(self) -> None:
        self.app.pop_screen()
