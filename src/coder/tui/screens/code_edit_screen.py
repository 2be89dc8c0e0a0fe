"""``CodeEditScreen``: change the code under the tree cursor (ctrl+b on the coding screen).

Its labels and definitions (in the app's language where the file has them per language), its
place in the tree, and the restructuring: merge it into the one code ticked below, split it
into the codes ticked (each coding goes where the coder picks, in ``SplitScreen``), or retire
it. The form dismisses with a ``CodeChange``; the coding screen makes it through
``CodebookEditor`` (YAML written back, codings moved in one transaction, undo with ``u``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList

from coder.domain.codebook import PROSE_FIELDS, Code, Codebook
from coder.domain.keys import CODE_EDIT_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen
from coder.tui.screens.new_code_screen import TOP, languages_first

ChangeKind = Literal["edit", "merge", "split", "retire"]
TITLES = {"description": "Description", "use_when": "Use when", "dont_use_when": "Don't use when"}


@dataclass(frozen=True, slots=True)
class CodeChange:
    """What the form asks for."""

    kind: ChangeKind
    """``edit`` (labels, definitions, parent), ``merge``, ``split`` or ``retire``."""
    code: str
    """The code changed."""
    labels: dict[str, str] = field(default_factory=dict)
    """Changed labels, per language."""
    texts: dict[str, str] = field(default_factory=dict)
    """Changed definition fields (in ``language``)."""
    language: str | None = None
    """The language of ``texts``."""
    parent: str | None | Literal[False] = False
    """A new parent (None: the top level); False: not moved."""
    targets: tuple[str, ...] = ()
    """Merge or split into these codes."""


class CodeEditScreen(CoderModalScreen[CodeChange | None]):
    """The form; dismisses with a ``CodeChange`` or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(CODE_EDIT_KEYS)

    def __init__(self, book: Codebook, code: Code, language: str, codings: int) -> None:
        super().__init__()
        self.book = book
        self.code = code
        self.language = language
        self.codings = codings

    def compose(self) -> ComposeResult:
        code, lang = self.code, self.language
        with VerticalScroll(id="dialog"):
            yield Label(
                f"Change {code.label_in(lang)} ({code.id}): {self.codings} coding(s), all coders",
                id="title",
            )
            for language in languages_first(self.book, lang):
                yield Label(f"Label ({language})")
                yield Input(code.label.get(language, ""), id=f"label-{language}")
            for name in PROSE_FIELDS:
                yield Label(f"{TITLES[name]} ({lang})")
                yield Input(code.text_in(name, lang), id=f"text-{name}")
            yield Label("Parent")
            options = [(TOP, TOP)] + [
                ("  " * depth + other.label_in(lang), other.id)
                for depth, other in self.book.walk()
                if not other.retired and other.id != code.id
            ]
            yield Select(options, value=code.parent or TOP, allow_blank=False, id="parent")
            with Vertical(id="targets-box"):
                yield Label("Merge into (tick one) / split into (tick several): space ticks")
                yield SelectionList[str](
                    *(
                        (other.label_in(lang), other.id)
                        for other in self.book.active_codes
                        if other.id != code.id
                    ),
                    id="targets",
                )
            yield Label(
                "ctrl+s save · ctrl+g merge · ctrl+l split · ctrl+t retire · Esc cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _targets(self) -> tuple[str, ...]:
        return tuple(self.query_one("#targets", SelectionList).selected)

    def action_save(self) -> None:
        code, lang = self.code, self.language
        labels = {
            str(box.id).removeprefix("label-"): box.value.strip()
            for box in self.query(Input)
            if str(box.id).startswith("label-") and box.value.strip()
        }
        labels = {k: v for k, v in labels.items() if code.label.get(k) != v}
        texts = {
            name: self.query_one(f"#text-{name}", Input).value.strip()
            for name in PROSE_FIELDS
            if self.query_one(f"#text-{name}", Input).value.strip() != code.text_in(name, lang)
        }
        chosen = self.query_one("#parent", Select).value
        parent = None if chosen == TOP or not isinstance(chosen, str) else chosen
        moved: str | None | Literal[False] = parent if parent != code.parent else False
        if not labels and not texts and moved is False:
            self.notify("nothing changed", severity="warning")
            return
        language = lang if lang in self.book.languages else self.book.language
        self.dismiss(CodeChange("edit", code.id, labels, texts, language, moved))

    def action_merge(self) -> None:
        targets = self._targets()
        if len(targets) != 1:
            self.notify("tick exactly one code to merge into", severity="warning")
            return
        self.dismiss(CodeChange("merge", self.code.id, targets=targets))

    def action_split(self) -> None:
        targets = self._targets()
        if not targets:
            self.notify("tick the codes to split into", severity="warning")
            return
        self.dismiss(CodeChange("split", self.code.id, targets=targets))

    def action_retire(self) -> None:
        self.dismiss(CodeChange("retire", self.code.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
