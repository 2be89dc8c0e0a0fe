"""Every memo of this coder (excerpt, code, case and project memos): browse, jump, write.

Enter on an excerpt memo jumps to the excerpt (in its transcript); on another memo it opens it
for editing. ``p`` writes the project memo, ``c`` the memo on this transcript's case, ``d``
the memo on the code whose definition is shown.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from coder.domain.keys import MEMO_LIST_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderModalScreen
from coder.tui.screens.memo_screen import MemoScreen, MemoTarget

Jump = tuple[str, int]
"""(transcript id, excerpt id) to go to."""


class MemoListScreen(CoderModalScreen[Jump | None]):
    """Dismisses with an excerpt to jump to, or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(MEMO_LIST_KEYS)

    def __init__(self, case_id: str | None = None, code_id: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.code_id = code_id
        self.memos: list[dict[str, object]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Your memos (excerpt, code, case, project)", id="title")
            yield OptionList(id="memos")
            yield Static("", id="memo-preview")
            yield Label(
                "Enter jump to the excerpt / edit · p project memo · c case memo · "
                "d memo on the code shown · Esc close",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        """Read the memos again and list them."""
        from coder.store.coder_view import coder_memo_list

        app = self.coder_app
        assert app.coder is not None
        self.memos = coder_memo_list(app.project, app.coder)
        options = self.query_one(OptionList)
        options.clear_options()
        for index, memo in enumerate(self.memos):
            options.add_option(Option(self._row(memo), id=str(index)))
        if not self.memos:
            self.query_one("#memo-preview", Static).update(
                Text("No memos yet: m on an excerpt, or p / c / d here.", Style(dim=True))
            )
        else:
            options.highlighted = 0

    def _where(self, memo: dict[str, object]) -> str:
        book = self.coder_app.project.codebook
        kind = memo["kind"]
        if kind == "excerpt":
            return f"{memo['transcript_id']} #{memo['seq']}"
        if kind == "code":
            code = str(memo["code_id"])
            return (
                book.code(code).label_in(self.coder_app.language) if book.has_code(code) else code
            )
        if kind == "case":
            return f"case {memo['case_id']}"
        return "project"

    def _row(self, memo: dict[str, object]) -> Text:
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append(f"{memo['kind']:<8}", Style(dim=True))
        row.append(f"{self._where(memo)}: ", Style(bold=True))
        row.append(" ".join(str(memo["text"]).split()))
        return row

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        memo = self.memos[int(event.option.id or 0)]
        preview = Text(f"{self._where(memo)}\n", Style(bold=True))
        preview.append(str(memo["text"]))
        self.query_one("#memo-preview", Static).update(preview)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        memo = self.memos[int(event.option.id or 0)]
        if memo["kind"] == "excerpt":
            self.dismiss((str(memo["transcript_id"]), int(str(memo["excerpt_id"]))))
            return
        target = MemoTarget(
            self._where(memo),
            code_id=None if memo["code_id"] is None else str(memo["code_id"]),
            case_id=None if memo["case_id"] is None else str(memo["case_id"]),
        )
        self._edit(target)

    def _edit(self, target: MemoTarget) -> None:
        self.app.push_screen(MemoScreen(target), lambda _changed: self.reload())

    def action_project_memo(self) -> None:
        self._edit(MemoTarget("the project"))

    def action_case_memo(self) -> None:
        if self.case_id is None:
            self.notify("this transcript has no case", severity="warning")
            return
        self._edit(MemoTarget(f"case {self.case_id}", case_id=self.case_id))

    def action_code_memo(self) -> None:
        if self.code_id is None:
            self.notify("no code is shown: apply or highlight one first", severity="warning")
            return
        label = self.coder_app.project.codebook.code(self.code_id).label_in(self.coder_app.language)
        self._edit(MemoTarget(f"the code {label}", code_id=self.code_id))

    def action_close(self) -> None:
        self.dismiss(None)
