"""Search text across all transcripts (any case, æ ø å); Enter jumps to the excerpt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, LoadingIndicator, OptionList
from textual.widgets.option_list import Option

from coder.tui.screens.base import CoderModalScreen

if TYPE_CHECKING:
    from coder.store.search import SearchHit


class SearchScreen(CoderModalScreen[None]):
    """An input and the hits; search runs in a worker as you type."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "focus_hits", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Search all transcripts (any case; æ, ø, å as typed)", id="title")
            yield Input(placeholder="Words to find…", id="query")
            yield LoadingIndicator(id="searching")
            yield OptionList(id="hits")
            yield Label("", id="count", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#searching").display = False
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if len(event.value.strip()) >= 2:
            self.query_one("#searching").display = True
            self.run_search(event.value)
        else:
            self.query_one(OptionList).clear_options()
            self.query_one("#count", Label).update("type at least two characters")

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        from coder.store.search import search_text

        app = self.coder_app
        hits = search_text(app.project, query)
        app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_one(Input).value:
            return
        self.hits = hits
        self.query_one("#searching").display = False
        options = []
        for index, hit in enumerate(hits):
            prompt = Text()
            prompt.append(f"{hit.transcript_id} {hit.seq:>4}  ", Style(bold=True))
            snippet = Text(hit.snippet)
            snippet.highlight_words([query.strip()], Style(reverse=True), case_sensitive=False)
            prompt.append_text(snippet)
            options.append(Option(prompt, id=str(index)))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        more = " (first 500)" if len(hits) >= 500 else ""
        self.query_one("#count", Label).update(
            f"{len(hits)} hit(s){more} · ↓ to the list, Enter opens"
        )

    def action_focus_hits(self) -> None:
        self.query_one(OptionList).focus()

    def on_input_submitted(self) -> None:
        if self.hits:
            self._open(0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(int(event.option.id or 0))

    def _open(self, index: int) -> None:
        hit = self.hits[index]
        app = self.coder_app
        self.dismiss(None)
        app.open_transcript(hit.transcript_id, hit.excerpt_id, found=self.query_one(Input).value)

    def action_close(self) -> None:
        self.dismiss(None)
