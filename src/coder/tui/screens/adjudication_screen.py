"""Walk the excerpts where coders disagree (on one code, or on all codes) and decide each.

One key records the consensus (``y`` apply, ``d`` don't), ``n`` a note on the decision. The
decision goes to the separate ``consensus`` layer; each coder's own codings stay as they are.
The status line shows how far this walk and the current code have come.
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
from coder.tui.screens.decision_walk import undecided_after
from coder.tui.widgets.chips import chip_style
from coder.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from coder.agreement.adjudication import Disagreement


class AdjudicationScreen(CoderScreen[None]):
    """One disagreement at a time: the excerpt, each coder's codes side by side, the decision."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(ADJUDICATE_KEYS)

    def __init__(self, codes: tuple[str, ...] | str, coders: tuple[str, ...]) -> None:
        super().__init__()
        self.codes = (codes,) if isinstance(codes, str) else codes
        self.coders = coders
        self.items: list[Disagreement] = []
        self.index = 0

    @property
    def code(self) -> str:
        """The code of the current disagreement (the only code in a one-code walk)."""
        return self.items[self.index].code if self.items else self.codes[0]

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

        project = self.coder_app.project
        found = [item for code in self.codes for item in disagreements(project, code, self.coders)]
        if len(self.codes) > 1:  # one walk in reading order: transcript, excerpt, code
            order = {code: index for index, code in enumerate(self.codes)}
            found.sort(key=lambda d: (d.transcript_id, d.seq, order[d.code]))
        self.items = found
        book = project.codebook
        self.sub_title = (
            f"consensus on {book.code(self.codes[0]).label_in(self.coder_app.language)}"
            if len(self.codes) == 1
            else f"consensus on all {len(self.codes)} codes"
        )
        self.index = next((i for i, item in enumerate(self.items) if item.decision is None), 0)
        self.redraw()

    def _definition(self, code_id: str) -> Text:
        code = self.coder_app.project.codebook.code(code_id)
        language = self.coder_app.language
        definition = Text()
        definition.append(code.label_in(language), Style(bold=True))
        definition.append(f"  {code.id}", Style(dim=True))
        for title, body in (
            ("", code.text_in("description", language)),
            ("Use when: ", code.text_in("use_when", language)),
            ("Don't use when: ", code.text_in("dont_use_when", language)),
        ):
            if body:
                definition.append("\n")
                definition.append(title, Style(bold=True))
                definition.append(body, Style(dim=True))
        return definition

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
            codes.update(Text("The coders agree on every excerpt they all reviewed here."))
            text.update("")
            status.message = f"{', '.join(self.codes[:3])} · nothing to adjudicate"
            return
        item = self.items[self.index]
        self.query_one("#adjudication-definition", Static).update(self._definition(item.code))
        if len(self.codes) > 1:
            mine = [other for other in self.items if other.code == item.code]
            done = sum(1 for other in mine if other.decision is not None)
            progress += f" · {item.code}: {done}/{len(mine)}"
        codes.update(self._codes_table(item))
        self.query_one("#adjudication-memos", Static).update(self._memos(item.excerpt_id))
        body = Text()
        body.append(
            f"{item.transcript_id} · excerpt {item.seq} · {item.speaker or '—'}\n", Style(bold=True)
        )
        body.append(item.text)
        if item.note:
            body.append("\nNote: ", Style(bold=True))
            body.append(item.note, Style(italic=True))
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
            self.coder_app.project,
            item.excerpt_id,
            item.code,
            apply,
            coders=self.coders,
            note=item.note,
        )
        self.items[self.index] = replace(item, decision=apply)
        following = self._undecided_after(self.index)
        if following is not None:
            self.index = following
        self.redraw("recorded")

    def _undecided_after(self, index: int) -> int | None:
        return undecided_after(self.items, index)

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

    def action_note(self) -> None:
        """A note on the current decision (recorded with it; kept for the decision to come)."""
        from coder.tui.screens.note_screen import NoteScreen

        if not self.items:
            return
        item = self.items[self.index]

        def noted(text: str | None) -> None:
            from dataclasses import replace

            from coder.agreement.adjudication import record_consensus

            if text is None:
                return
            current = self.items[self.index] = replace(self.items[self.index], note=text)
            if current.decision is not None:  # re-record the same decision with the note
                record_consensus(
                    self.coder_app.project,
                    current.excerpt_id,
                    current.code,
                    current.decision,
                    coders=self.coders,
                    note=text,
                )
            self.redraw("note kept" if current.decision is None else "note recorded")

        title = f"Note on {item.code}, {item.transcript_id} excerpt {item.seq}"
        self.app.push_screen(NoteScreen(title, item.note), noted)

    def action_back(self) -> None:
        self.app.pop_screen()
