"""Home: transcripts with case, this coder's progress and rating; type to filter, Enter opens."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from coder.domain.keys import HOME_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen


class HomeScreen(CoderScreen[None]):
    """The transcript list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings(HOME_KEYS),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("pagedown", "cursor(10)", show=False),
        Binding("pageup", "cursor(-10)", show=False),
    ]

    _rows: tuple[list[Any], dict[str, tuple[int, int]], dict[str, dict[str, str]]] | None = None
    """Transcripts, this coder's progress and ratings, as last read."""

    def __init__(self, *, resume: bool = True) -> None:
        super().__init__()
        self.resume = resume
        """Highlight the transcript the coder worked in last (Enter resumes it there)."""
        self.last: tuple[str, int | None] | None = None
        """That transcript and the excerpt number where the coder left it."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Type to filter transcripts (id or case)…", id="filter")
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Transcript", "Case", "Reviewed", "Progress", "Robustness")
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        from coder.store.coder_view import last_transcript, load_position

        app = self.coder_app
        box = self.query_one(Input)
        if box.value:
            box.value = ""  # a filter typed to open one transcript should not hide the rest
        last = last_transcript(app.project, app.coder) if app.coder and self.resume else None
        self.last = None
        if last is not None and app.coder:
            self.last = (last, load_position(app.project, app.coder, last))
        self.refresh_rows()
        table = self.query_one(DataTable)
        if last is not None and table.row_count:
            with contextlib.suppress(KeyError, RowDoesNotExist):  # the row may be filtered out
                table.move_cursor(row=table.get_row_index(last))

    def refresh_rows(self, *, reload: bool = True) -> None:
        """Redraw the rows; ``reload`` reads progress and ratings again (they change as the
        coder works), without it the last reading is filtered (typing in the filter box)."""
        from coder.store.coder_view import coder_progress, coder_ratings
        from coder.store.queries import list_transcripts

        app = self.coder_app
        assert app.coder is not None
        query = self.query_one(Input).value.strip().casefold()
        if reload or self._rows is None:
            self._rows = (
                list_transcripts(app.project),
                coder_progress(app.project, app.coder),
                coder_ratings(app.project, app.coder),
            )
        transcripts, progress, ratings = self._rows
        try:
            spec = app.project.codebook.attribute("relational_robustness")
        except KeyError:
            spec = None
        table = self.query_one(DataTable)
        current = table.cursor_row
        table.clear()
        shown = 0
        for info in transcripts:
            case = info.case_id or ""
            if query and query not in info.id.casefold() and query not in case.casefold():
                continue
            done, total = progress.get(info.id, (0, info.codable))
            rating = ratings.get(case, {}).get("relational_robustness") if spec else None
            level = spec.level(rating) if spec and rating else None
            label = level.label_in(app.language) if level else "—"
            table.add_row(
                info.id, case or "—", f"{done}/{total}", _bar(done, total), label, key=info.id
            )
            shown += 1
        table.move_cursor(row=min(current, max(0, table.row_count - 1)))
        where = ""
        if self.last is not None and not query:
            transcript, seq = self.last
            at = f" at excerpt {seq}" if seq is not None else ""
            where = f" · Enter resumes {transcript}{at}"
        self.query_one("#home-status", Static).update(
            f"{shown} transcript(s) · coder {app.coder}{where} · Enter opens · ? help"
            " · ctrl+p commands"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_rows(reload=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_open()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.notify("No transcript matches the filter", severity="warning")
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key is not None:
            self.coder_app.open_transcript(str(key))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_reports(self) -> None:
        self.coder_app.open_reports()

    def action_search(self) -> None:
        from coder.tui.screens.search_screen import SearchScreen

        self.app.push_screen(SearchScreen())


def _bar(done: int, total: int, width: int = 10) -> Text:
    if not total:
        return Text("—")
    filled = round(width * done / total)
    return Text("█" * filled + "░" * (width - filled) + f" {100 * done / total:3.0f}%")
