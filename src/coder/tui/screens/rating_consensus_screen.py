"""Walk the cases coders rated differently on an attribute and set the consensus rating.

For relational robustness (steady / wavering / trembling): each coder's rating side by side,
the level definitions, a digit sets the consensus level, backspace clears it, ``n`` a note.
The rating goes to the ``consensus`` layer; the coders' own ratings stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from coder.domain.keys import RATING_CONSENSUS_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen
from coder.tui.screens.decision_walk import undecided_after
from coder.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from coder.agreement.rating_consensus import RatingDisagreement
    from coder.domain.codebook import AttributeSpec


class RatingConsensusScreen(CoderScreen[None]):
    """One case at a time: every coder's rating, the levels, the consensus so far."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(RATING_CONSENSUS_KEYS)

    def __init__(self, attribute: str, coders: tuple[str, ...]) -> None:
        super().__init__()
        self.attribute = attribute
        self.coders = coders
        self.items: list[RatingDisagreement] = []
        self.notes: dict[str, str] = {}
        self.index = 0

    @property
    def spec(self) -> AttributeSpec:
        return self.coder_app.project.codebook.attribute(self.attribute)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="rating-consensus"):
            yield Static("", id="rating-consensus-levels")
            yield Static("", id="rating-consensus-ratings")
        yield StatusLine(id="rating-consensus-status")
        yield Footer()

    def on_mount(self) -> None:
        from coder.agreement.rating_consensus import rating_disagreements

        self.items = rating_disagreements(self.coder_app.project, self.attribute, self.coders)
        self.sub_title = f"consensus on {self.spec.label_in(self.coder_app.language)}"
        self.index = next((i for i, item in enumerate(self.items) if item.decision is None), 0)
        self.query_one("#rating-consensus-levels", Static).update(self._levels())
        self.redraw()

    def _levels(self) -> Text:
        language = self.coder_app.language
        text = Text(self.spec.label_in(language), Style(bold=True))
        for rank, level in enumerate(self.spec.levels, start=1):
            text.append(f"\n{rank}. {level.label_in(language)}", Style(bold=True))
            definition = level.definition_in(language)
            if definition:
                text.append(f"  {definition}", Style(dim=True))
        return text

    def _label(self, value: str | None) -> str:
        if value is None:
            return "—"
        level = self.spec.level(value)
        return level.label_in(self.coder_app.language) if level else value

    def redraw(self, message: str = "") -> None:
        shown = self.query_one("#rating-consensus-ratings", Static)
        status = self.query_one(StatusLine)
        decided = sum(1 for item in self.items if item.decision is not None)
        if not self.items:
            shown.update(Text("Every case all compared coders rated was rated alike."))
            status.message = f"{self.attribute} · nothing to decide"
            return
        item = self.items[self.index]
        table = Table(expand=True, title=f"Case {item.case_id}: each coder's rating")
        table.add_column("Coder", no_wrap=True)
        table.add_column("Rating")
        for name in self.coders:
            table.add_row(name, self._label(item.ratings.get(name)))
        table.add_row(Text("consensus", Style(bold=True)), Text(self._label(item.decision)))
        note = self.notes.get(item.case_id, "")
        if note:
            table.caption = f"Note: {note}"
        shown.update(table)
        status.message = (
            f"{self.attribute} · case {self.index + 1}/{len(self.items)} · "
            f"{decided}/{len(self.items)} decided · digit: set the level"
            + (f" · {message}" if message else "")
        )

    def _record(self, value: str | None) -> None:
        from dataclasses import replace

        from coder.agreement.rating_consensus import record_rating_consensus

        if not self.items:
            return
        item = self.items[self.index]
        record_rating_consensus(
            self.coder_app.project,
            item.case_id,
            self.attribute,
            value,
            coders=self.coders,
            note=self.notes.get(item.case_id, ""),
        )
        self.items[self.index] = replace(item, decision=value)
        if value is not None:
            following = self._undecided_after(self.index)
            if following is not None:
                self.index = following
        self.redraw("recorded" if value is not None else "cleared")

    def on_key(self, event: events.Key) -> None:
        """A digit sets that level (1 = the first)."""
        if event.character and event.character.isdigit():
            rank = int(event.character)
            if 1 <= rank <= len(self.spec.levels):
                event.stop()
                self._record(self.spec.levels[rank - 1].id)

    def _undecided_after(self, index: int) -> int | None:
        return undecided_after(self.items, index)

    def action_step(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(self.index + step, len(self.items) - 1))
            self.redraw()

    def action_next_undecided(self) -> None:
        following = self._undecided_after(self.index) if self.items else None
        if following is None:
            self.redraw("every case has a consensus rating")
        else:
            self.index = following
            self.redraw()

    def action_clear(self) -> None:
        self._record(None)

    def action_note(self) -> None:
        from coder.tui.screens.note_screen import NoteScreen

        if not self.items:
            return
        item = self.items[self.index]

        def noted(text: str | None) -> None:
            if text is None:
                return
            self.notes[item.case_id] = text
            current = self.items[self.index]
            if current.decision is not None:
                self._record(current.decision)
            else:
                self.redraw("note kept")

        title = f"Note on {self.attribute}, case {item.case_id}"
        self.app.push_screen(NoteScreen(title, self.notes.get(item.case_id, "")), noted)

    def action_back(self) -> None:
        self.app.pop_screen()
