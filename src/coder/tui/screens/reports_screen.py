"""Reports: code frequencies, co-occurrence, codes by relational robustness and the case x code
matrix; exported as CSV (the matrix also as .xlsx).

A coder sees reports of their own codings only (and ratings from cases.csv or their own); in
lead mode they cover every human coder. On the matrix (grouped by relational robustness), Enter
on a cell opens the retrieval screen on that code and case.
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
    from coder.export.case_matrix import CaseMatrix
    from coder.export.reports import Report


class ReportsScreen(CoderScreen[None]):
    """One report at a time in a table; keys switch report and export it."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(REPORT_KEYS)

    def __init__(self, name: str = "frequencies") -> None:
        super().__init__()
        self.report_name = name
        self.report: Report | None = None
        self.matrix: CaseMatrix | None = None
        """The case x code matrix, when that is the report shown."""

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
        matrix = None
        try:
            if name == "matrix":
                matrix, report = self._matrix()
            else:
                report = build_report(
                    app.project, name, selection=self._selection(), language=app.language
                )
        except Exception as exc:  # a CoderError (e.g. nothing coded yet): say it, do not crash
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._show, report, matrix)

    def _matrix(self) -> tuple[CaseMatrix, Report]:
        """The case x code matrix by relational robustness, and it as a ``Report``."""
        from coder.export.case_matrix import case_matrix
        from coder.export.reports import Report
        from coder.export.retrieval import rating_attribute

        app = self.coder_app
        by = rating_attribute(app.project)
        matrix = case_matrix(
            app.project, self._selection(), by=by, language=app.language, blind=not app.lead
        )
        return matrix, Report("matrix", matrix.title, matrix.frame, {"by": by}, matrix.notes)

    def _failed(self, message: str) -> None:
        self.query_one("#reports-loading").display = False
        self.query_one("#reports-title", Static).update(message)

    def _show(self, report: Report, matrix: CaseMatrix | None = None) -> None:
        self.report = report
        self.matrix = matrix
        self.query_one("#reports-loading").display = False
        self.query_one("#reports-title", Static).update(report.title)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        frame = report.frame.reset_index() if report.frame.index.name else report.frame
        names = matrix.labels if matrix is not None else {}
        table.add_columns(*(names.get(str(column), str(column)) for column in frame.columns))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if value is None else str(value) for value in row))
        self.query_one("#reports-note", Static).update(
            f"{len(frame)} rows · f frequencies · c co-occurrence · t by robustness · "
            "m case x code matrix (Enter on a cell: its segments) · "
            "e export (CSV, the matrix also .xlsx; to the project's reports/ folder)"
        )

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """On the matrix, a code's cell opens its segments (that code, that case)."""
        matrix = self.matrix
        if matrix is None or self.report is None or self.report.name != "matrix":
            return
        column = str(matrix.frame.columns[event.coordinate.column])
        if column not in matrix.codes:
            return
        case = str(matrix.frame["case"].iloc[event.coordinate.row])
        self.coder_app.open_retrieval(column, case=case)

    def action_export(self) -> None:
        from coder.export.reports import save_report

        if self.report is None:
            return
        folder = self.coder_app.project.root / "reports"
        folder.mkdir(exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        if self.matrix is not None and self.report.name == "matrix":
            from coder.export.matrix_writer import save_matrix

            paths = [
                save_matrix(self.matrix, folder / f"matrix-{stamp}{s}") for s in (".xlsx", ".csv")
            ]
            self.notify("exported " + ", ".join(str(path) for path in paths), timeout=6)
            return
        path = save_report(self.report, folder / f"{self.report.name}-{stamp}.csv")
        self.notify(f"exported {path}", timeout=6)

    def action_back(self) -> None:
        self.app.pop_screen()
