"""``SplitScreen``: where each coding of a code being split goes, picked coding by coding.

Every coding of the code (all coders: splitting is the lead's, or a lone coder's) is a row with
its coder and the excerpt's text; a digit sends the highlighted coding to that target and moves
on; "the rest go to" sends every coding not picked to one code (or all of them, when nothing is
picked). ctrl+s splits; a coding with nowhere to go keeps the split from happening.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Select
from textual.widgets.option_list import Option

from coder.domain.keys import SPLIT_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen

EACH = "(pick each)"


class SplitScreen(CoderModalScreen[dict[int, str] | None]):
    """Dismisses with coding id -> target code for every coding, or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(SPLIT_KEYS)

    def __init__(
        self, code_id: str, targets: dict[str, str], rows: list[tuple[int, str, str]]
    ) -> None:
        """``targets``: code id -> label, in key order; ``rows``: (coding id, coder, text)."""
        super().__init__()
        self.code_id = code_id
        self.targets = targets
        self.rows = rows
        self.chosen: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        keys = " · ".join(f"{n} {label}" for n, label in enumerate(self.targets.values(), 1))
        with Vertical(id="dialog"):
            yield Label(f"Split {self.code_id}: {len(self.rows)} coding(s)", id="title")
            yield Label(f"A digit sends the highlighted coding: {keys}")
            yield OptionList(*(self._option(i) for i in range(len(self.rows))), id="codings")
            yield Label("The rest go to")
            options = [(EACH, EACH), *((label, code) for code, label in self.targets.items())]
            yield Select(options, value=EACH, allow_blank=False, id="rest")
            yield Label("ctrl+s splits · Esc cancels", classes="hint")

    def _option(self, index: int) -> Option:
        coding_id, coder, text = self.rows[index]
        target = self.chosen.get(coding_id)
        mark = f"→ {self.targets[target]}" if target else "→ ?"
        snippet = " ".join(text.split())[:70]
        return Option(f"{mark:<24} {coder}: {snippet}", id=str(coding_id))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_pick(self, number: int) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is None or not 1 <= number <= len(self.targets):
            return
        coding_id = self.rows[index][0]
        self.chosen[coding_id] = list(self.targets)[number - 1]
        listing.replace_option_prompt_at_index(index, self._option(index).prompt)
        if index + 1 < len(self.rows):
            listing.highlighted = index + 1

    def assignment(self) -> dict[int, str] | None:
        """Every coding's target, or None while some coding has none."""
        rest = self.query_one("#rest", Select).value
        out = {}
        for coding_id, _, _ in self.rows:
            target = self.chosen.get(coding_id) or (rest if isinstance(rest, str) else None)
            if target is None or target == EACH:
                return None
            out[coding_id] = target
        return out

    def action_save(self) -> None:
        chosen = self.assignment()
        if chosen is None:
            self.notify("some codings have no code to go to: pick one, or set the rest")
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
