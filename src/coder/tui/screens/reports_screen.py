"""Reports: code frequencies, co-occurrence and codes by relational robustness; exported as CSV.

A coder sees reports of their own codings only; in lead mode they cover every human coder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from coder.domain.keys import REPORT_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen

if TYPE_CHECKING:
    from coder.export.reports import Report


class ReportsScreen(CoderScreen[None]):
    """One report at a time in a table; keys switch report and export it."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(REPORT_KEYS)

    def __init__(self, name: str = "frequencies") -> None:
        super().__init__()
        self.report_name = name
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="reports-title")
        yield LoadingIndicator(id="reports-loading")
        yield DataTable(id="reports-table", zebra_stripes=True)
        yield Static("", id="reports-note", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        app = self.coder_app
        whose = "every human coder (lead view)" if app.lead else f"your codings only ({app.coder})"
        self.sub_title = f"reports · {whose}"
        self.compute(self.report_name)

    def action_show(self, name: str) -> None:
        self.report_name = name
        self.query_one("#reports-loading").display = True
        self.compute(name)

    def _selection(self) -> Any:
        from coder.export.coder_selection import CoderSelection

        app = self.coder_app
        if app.lead or app.coder is None:
            return CoderSelection()
        return CoderSelection(names=(app.coder,))

    @work(thread=True, exclusive=True, group="reports")
    def compute(self, name: str) -> None:
        """Reports read every coding: a worker, with the loading indicator showing."""
        from coder.export.reports import build_report

        app = self.coder_app
        try:
            report = build_report(
                app.project, name, selection=self._selection(), language=app.language
            )
        except Exception as exc:  # a CoderError (e.g. nothing coded yet): say it, do not crash
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._show, report)

    def _failed(self, message: str) -> None:
        self.query_one("#reports-loading").display = False
        self.query_one("#reports-title", Static).update(message)

    def _show(self, report: Report) -> None:
        self.report = report
        self.query_one("#reports-loading").display = False
        self.query_one("#reports-title", Static).update(report.title)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        frame = report.frame.reset_index() if report.frame.index.name else report.frame
        table.add_columns(*(str(column) for column in frame.columns))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if value is None else str(value) for value in row))
        self.query_one("#reports-note", Static).update(
            f"{len(frame)} rows · f frequencies · c co-occurrence · t by robustness · "
            "e export CSV (UTF-8, to the project's reports/ folder)"
        )

    def action_export(self) -> None:
        from coder.export.reports import save_report

        if self.report is None:
            return
        folder = self.coder_app.project.root / "reports"
        folder.mkdir(exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = save_report(self.report, folder / f"{self.report.name}-{stamp}.csv")
        self.notify(f"exported {path}", timeout=6)

    def action_back(self) -> None:
        self.app.pop_screen()
