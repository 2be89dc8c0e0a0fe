"""``NewCodeScreen``: the small form ctrl+n opens on the coding screen to create a code.

A label in each of the codebook's languages (the project's language first; one is enough),
the parent in the tree, an optional description, and whether to apply the new code to the
excerpt (or span) at once. Enter in a field or ctrl+s creates it; Escape leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from coder.domain.codebook import Codebook
from coder.domain.keys import NEW_CODE_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen

TOP = "(top level)"


@dataclass(frozen=True, slots=True)
class NewCodeRequest:
    """What the form asks for."""

    labels: dict[str, str]
    """Label per language (empty ones left out)."""
    parent: str | None
    """The parent code, None for a top-level code."""
    description: str = ""
    """What the code means (may be empty)."""
    apply: bool = True
    """Apply it to the current excerpt (or span) at once."""
    proposal: bool = field(default=False)
    """A coder's proposal to the lead rather than a codebook change."""


def languages_first(book: Codebook, language: str) -> list[str]:
    """The codebook's languages with ``language`` first (when the codebook has it)."""
    return sorted(book.languages, key=lambda lang: lang != language)


class NewCodeScreen(CoderModalScreen[NewCodeRequest | None]):
    """The new-code form; dismisses with a ``NewCodeRequest`` or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(NEW_CODE_KEYS)

    def __init__(
        self,
        book: Codebook,
        language: str,
        *,
        parent: str | None = None,
        label: str = "",
        where: str = "excerpt",
        proposal: bool = False,
    ) -> None:
        super().__init__()
        self.book = book
        self.language = language
        self.parent_id = parent
        self.label = label
        self.where = where
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        title = "Propose a new code (the lead decides)" if self.proposal else "New code"
        languages = languages_first(self.book, self.language)
        options = [(TOP, TOP)] + [
            ("  " * depth + code.label_in(self.language), code.id)
            for depth, code in self.book.walk()
            if not code.retired
        ]
        with Vertical(id="dialog"):
            yield Label(title, id="title")
            for lang in languages:
                yield Label(f"Label ({lang})")
                yield Input(
                    self.label if lang == languages[0] else "",
                    placeholder="one label is enough" if lang != languages[0] else "",
                    id=f"label-{lang}",
                    classes="label",
                )
            yield Label("Parent")
            yield Select(options, value=self.parent_id or TOP, allow_blank=False, id="parent")
            yield Label("Description (optional)")
            yield Input(placeholder="what the code means", id="description")
            yield Checkbox(f"Apply it to this {self.where} now", value=True, id="apply")
            yield Label("Enter or ctrl+s creates it · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query(".label").first(Input).focus()

    def request(self) -> NewCodeRequest | None:
        """The form's content, or None while no label is given."""
        labels = {
            str(box.id).removeprefix("label-"): box.value.strip()
            for box in self.query(".label").results(Input)
            if box.value.strip()
        }
        if not labels:
            return None
        parent = self.query_one("#parent", Select).value
        return NewCodeRequest(
            labels,
            None if parent == TOP or not isinstance(parent, str) else parent,
            self.query_one("#description", Input).value.strip(),
            self.query_one("#apply", Checkbox).value,
            self.proposal,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        request = self.request()
        if request is None:
            self.notify("give the code a label", severity="warning")
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)
