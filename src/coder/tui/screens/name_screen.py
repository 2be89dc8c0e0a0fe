"""Asks the coder's name on first start; it is then remembered for the project."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from coder.domain.coders import RESERVED_CODERS, check_name
from coder.errors import CoderError
from coder.tui.screens.base import CoderModalScreen


class NameScreen(CoderModalScreen[str | None]):
    """A single input; Enter accepts, Escape quits."""

    BINDINGS = [("escape", "dismiss(None)", "Quit")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Who is coding? Your name is stored with your codings.", id="title")
            yield Label(
                "Coding is blind: you will see only your own codings and ratings.",
                classes="hint",
            )
            yield Input(placeholder="Your name, e.g. Kari", id="name")
            yield Label("", id="problem", classes="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            name = check_name(event.value)
        except CoderError as exc:
            self.query_one("#problem", Label).update(str(exc))
            return
        if name in RESERVED_CODERS:
            self.query_one("#problem", Label).update(f"'{name}' is reserved; choose your own name")
            return
        self.dismiss(name)
