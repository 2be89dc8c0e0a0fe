"""For project leads: per-code agreement coloured by Krippendorff's thresholds.

This screen shows every coder's work, so it only opens in lead mode (``coder open --lead`` or
``coder agree --tui``); coders working blind never reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from coder.domain.keys import AGREEMENT_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen

if TYPE_CHECKING:
    from coder.agreement.agreement_row import AgreementRow
    from coder.agreement.excerpt_report import ExcerptReport

FLAG_STYLES = {
    "ok": Style(color="green", bold=True),
    "tentative": Style(color="yellow", bold=True),
    "discard": Style(color="red", bold=True),
    "undefined": Style(dim=True),
}
REPLICATES = 500


def _number(coefficient: Any) -> str:
    return "—" if coefficient.value is None else f"{coefficient.value:.3f}"


def _interval(coefficient: Any) -> str:
    ci = coefficient.ci
    if ci is None or ci.low is None or ci.high is None:
        return ""
    return f"[{ci.low:.2f}, {ci.high:.2f}]"


class AgreementScreen(CoderScreen[None]):
    """The per-code table; Enter walks the disagreements of the highlighted code."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(AGREEMENT_KEYS)

    def __init__(self, coders: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.coders = coders
        self.report: ExcerptReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Computing agreement…", id="agreement-summary")
        yield LoadingIndicator(id="agreement-loading")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-units")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "agreement (lead view: all coders)"
        self.query_one(DataTable).display = False
        self.compute()

    def on_screen_resume(self) -> None:
        if self.report is not None:
            self.compute()  # consensus decisions do not change agreement, but codings may have

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """The report takes seconds on a large project: a worker with a progress line."""
        from coder.agreement.report import agreement_report

        app = self.coder_app

        def progress(stage: str, done: int, total: int) -> None:
            share = f" {100 * done // total}%" if total else ""
            app.call_from_thread(self._progress, f"Computing agreement: {stage}{share}")

        try:
            report = agreement_report(
                app.project, coders=self.coders, bootstrap=REPLICATES, progress=progress
            )
        except Exception as exc:  # a CoderError or too few coders: show it, do not crash
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._show, report)

    def _progress(self, text: str) -> None:
        self.query_one("#agreement-summary", Static).update(text)

    def _failed(self, message: str) -> None:
        self.query_one("#agreement-loading").display = False
        self.query_one("#agreement-summary", Static).update(Text(message, Style(color="red")))

    def _show(self, report: Any) -> None:
        self.report = report
        self.query_one("#agreement-loading").display = False
        table = self.query_one(DataTable)
        table.display = True
        table.clear(columns=True)
        coders = list(report.coders)
        table.add_columns(
            "Code",
            "Label",
            "Units",
            *(f"% {c}" for c in coders),
            "Agree",
            "κ",
            "α",
            "α CI",
            "AC1",
            "Flag",
        )
        language = self.coder_app.language
        book = self.coder_app.project.codebook
        for row in (*report.codes, report.overall):
            label = (
                book.code(row.id).label_in(language)
                if row.id and book.has_code(row.id)
                else "all codes (pooled)"
            )
            table.add_row(*self._cells(row, coders, label), key=row.id or "__overall__")
        table.focus()
        left_out = len(report.excluded)
        self.query_one("#agreement-summary", Static).update(
            f"Unit: excerpt · coders: {', '.join(coders)} · {report.units} excerpts reviewed by "
            f"every coder compared · {left_out} codable excerpt(s) left out (not reviewed by all)"
        )
        self.query_one("#agreement-units", Static).update(
            "Flags: α ≥ .800 ok · .667–.800 tentative · < .667 discard (Krippendorff). "
            f"CI: {REPLICATES} bootstrap replicates, seed 0. Enter: walk disagreements."
        )

    def _cells(self, row: AgreementRow, coders: list[str], label: str) -> list[Any]:
        prevalence = row.prevalence
        shares = [
            "—" if prevalence.get(c) is None else f"{100 * (prevalence[c] or 0):.0f}"
            for c in coders
        ]
        flag = row.flag
        return [
            label[:28],
            str(row.units),
            *shares,
            _number(row.percent_agreement),
            _number(row.kappa),
            Text(_number(row.alpha), FLAG_STYLES.get(flag, Style())),
            _interval(row.alpha),
            _number(row.ac1),
            Text(flag, FLAG_STYLES.get(flag, Style())),
        ]

    def action_adjudicate(self) -> None:
        from coder.tui.screens.adjudication_screen import AdjudicationScreen

        table = self.query_one(DataTable)
        if self.report is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key is None or key == "__overall__":
            self.notify("choose one code to walk its disagreements", severity="warning")
            return
        self.app.push_screen(AdjudicationScreen(str(key), tuple(self.report.coders)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_adjudicate()

    def action_recompute(self) -> None:
        self.query_one("#agreement-loading").display = True
        self.compute()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
