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

from coder.agreement.bootstrap import DEFAULT_REPLICATES
from coder.agreement.result import TOO_FEW
from coder.domain.keys import AGREEMENT_KEYS
from coder.errors import CoderError
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen

if TYPE_CHECKING:
    from coder.agreement.adjudication import AdjudicationProgress
    from coder.agreement.agreement_row import AgreementRow
    from coder.agreement.case_report import AttributeAgreement, CaseReport
    from coder.agreement.excerpt_report import ExcerptReport
    from coder.agreement.model_report import ModelReport
    from coder.domain.codebook import Codebook

FLAG_STYLES = {
    "ok": Style(color="green", bold=True),
    "tentative": Style(color="yellow", bold=True),
    "discard": Style(color="red", bold=True),
    "undefined": Style(dim=True),
}
REPLICATES = DEFAULT_REPLICATES
"""The same bootstrap as `coder agree` (replicates and seed 0), so both show the same intervals."""
SEED = 0
OVERALL = "__overall__"
COLUMNS = ("Code", "Label", "Units")
"""The first columns of the per-code table; every row has a cell for each column."""


def _number(coefficient: Any) -> str:
    if coefficient.value is None:
        return "too few" if (coefficient.reason or "").startswith(TOO_FEW) else "—"
    return f"{coefficient.value:.3f}"


def code_labels(book: Codebook, language: str) -> dict[str, str]:
    """Each codable code's label; a label shared by several codes gets its parent's too."""
    labels = {code.id: code.label_in(language) for code in book.codable_codes}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for code in book.codable_codes:
        if counts[labels[code.id]] > 1 and code.parent and book.has_code(code.parent):
            labels[code.id] = f"{labels[code.id]} ({book.code(code.parent).label_in(language)})"
    return labels


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
        self.case_report: CaseReport | None = None
        self.progress: dict[str, AdjudicationProgress] = {}
        self.model_report: ModelReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Computing agreement…", id="agreement-summary")
        yield LoadingIndicator(id="agreement-loading")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-units")
        yield DataTable(id="agreement-cases", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-model-summary")
        yield DataTable(id="agreement-model", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "agreement (lead view: all coders)"
        self.query_one("#agreement-table", DataTable).display = False
        self.query_one("#agreement-cases", DataTable).display = False
        self.query_one("#agreement-model", DataTable).display = False
        self.compute()

    def on_screen_resume(self) -> None:
        if self.report is not None:
            self.compute()  # consensus decisions do not change agreement, but codings may have

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """The report takes seconds on a large project: a worker with a progress line."""
        from coder.agreement.adjudication import progress_by_code
        from coder.agreement.model_report import model_report
        from coder.agreement.report import agreement_report, case_report

        app = self.coder_app

        def progress(stage: str, done: int, total: int) -> None:
            share = f" {100 * done // total}%" if total else ""
            app.call_from_thread(self._progress, f"Computing agreement: {stage}{share}")

        try:
            report = agreement_report(
                app.project,
                coders=self.coders,
                bootstrap=REPLICATES,
                seed=SEED,
                progress=progress,
            )
            done = progress_by_code(app.project, report.coders)
        except CoderError as exc:  # too few coders, unknown coder: show it, do not crash
            app.call_from_thread(self._failed, str(exc))
            return
        try:
            cases: CaseReport | None = case_report(
                app.project, coders=self.coders, bootstrap=REPLICATES, seed=SEED
            )
        except CoderError:  # nobody rated a case yet: the per-code table stands alone
            cases = None
        try:
            measured = model_report(app.project)
        except CoderError:  # a damaged model folder: the human comparison still stands
            measured = None
        app.call_from_thread(self._show, report, cases, done, measured)

    def _progress(self, text: str) -> None:
        self.query_one("#agreement-summary", Static).update(text)

    def _failed(self, message: str) -> None:
        self.query_one("#agreement-loading").display = False
        self.query_one("#agreement-summary", Static).update(Text(message, Style(color="red")))

    def _show(
        self,
        report: Any,
        cases: CaseReport | None,
        progress: dict[str, AdjudicationProgress],
        measured: ModelReport | None = None,
    ) -> None:
        self.report, self.case_report, self.progress = report, cases, progress
        self.model_report = measured
        self.query_one("#agreement-loading").display = False
        table = self.query_one("#agreement-table", DataTable)
        table.display = True
        table.clear(columns=True)
        coders = list(report.coders)
        table.add_columns(
            *COLUMNS,
            *(f"% {c}" for c in coders),
            "Agree",
            "κ",
            "α",
            "α CI",
            "AC1",
            "Flag",
            "Decided",
        )
        labels = code_labels(self.coder_app.project.codebook, self.coder_app.language)
        for row in (*report.codes, report.overall):
            label = labels.get(row.id or "", row.id or "") if row.id else "all codes (pooled)"
            table.add_row(*self._cells(row, coders, label), key=row.id or OVERALL)
        if cases is not None:
            self._show_cases(cases)
        self._show_model(measured)
        table.focus()
        left_out = len(report.excluded)
        self.query_one("#agreement-summary", Static).update(
            f"Unit: excerpt · coders: {', '.join(coders)} · {report.units} excerpts reviewed by "
            f"every coder compared · {left_out} codable excerpt(s) left out (not reviewed by all)"
        )
        self.query_one("#agreement-units", Static).update(
            "Flags: α ≥ .800 ok · .667–.800 tentative · < .667 discard (Krippendorff). "
            f"CI: {REPLICATES} bootstrap replicates, seed {SEED} (as `coder agree`). "
            "Enter: walk this code's disagreements · w: walk all codes · Tab: case ratings."
        )

    def _show_cases(self, cases: CaseReport) -> None:
        """Case-level agreement (relational robustness); Enter walks the cases rated apart."""
        table = self.query_one("#agreement-cases", DataTable)
        table.clear(columns=True)
        table.add_columns("Attribute", "Label", "Cases", "Agree", "κ", "α", "α CI", "AC", "Flag")
        for item in cases.attributes:
            table.add_row(*self._case_cells(item), key=item.attribute)
        table.display = bool(cases.attributes)

    def _show_model(self, measured: ModelReport | None) -> None:
        """The suggestion model as a coder: held-out kappa and AC1 with each human coder."""
        from coder.agreement.model_report import interval, verdict

        summary = self.query_one("#agreement-model-summary", Static)
        table = self.query_one("#agreement-model", DataTable)
        table.clear(columns=True)
        if measured is None:
            summary.update(
                "Model as a coder: no measured model yet (train one: coder suggest --train)."
            )
            table.display = False
            return
        summary.update(measured.statement())
        table.add_columns("Code", "Coder", "Excerpts", "κ", "κ CI", "AC1", "AC1 CI", "Verdict")
        agreement = measured.agreement
        for row in agreement.rows:
            mark = verdict(agreement, row)
            style = Style(color="red") if agreement.withheld(row.code) else Style()
            table.add_row(
                row.code,
                row.coder,
                str(row.units),
                "—" if row.kappa is None else f"{row.kappa:.3f}",
                interval(row.kappa_low, row.kappa_high),
                "—" if row.ac1 is None else f"{row.ac1:.3f}",
                interval(row.ac1_low, row.ac1_high),
                Text(mark, style),
                key=f"{row.code}\x1f{row.coder}",
            )
        table.display = True

    def _case_cells(self, item: AttributeAgreement) -> list[Any]:
        flag = item.flag
        return [
            item.attribute,
            item.label[:28],
            str(item.units),
            _number(item.percent_agreement),
            _number(item.kappa),
            Text(_number(item.alpha), FLAG_STYLES.get(flag, Style())),
            _interval(item.alpha),
            _number(item.ac),
            Text(flag, FLAG_STYLES.get(flag, Style())),
        ]

    def _cells(self, row: AgreementRow, coders: list[str], label: str) -> list[Any]:
        prevalence = row.prevalence
        shares = [
            "—" if prevalence.get(c) is None else f"{100 * (prevalence[c] or 0):.0f}"
            for c in coders
        ]
        flag = row.flag
        done = self.progress.get(row.id or "")
        decided = "" if done is None else f"{done.decided}/{done.disagreeing}"
        return [
            row.id or "all codes",
            label[:36],
            str(row.units),
            *shares,
            _number(row.percent_agreement),
            _number(row.kappa),
            Text(_number(row.alpha), FLAG_STYLES.get(flag, Style())),
            _interval(row.alpha),
            _number(row.ac1),
            Text(flag, FLAG_STYLES.get(flag, Style())),
            decided,
        ]

    def action_adjudicate(self) -> None:
        from coder.tui.screens.adjudication_screen import AdjudicationScreen

        if self.focused is self.query_one("#agreement-cases", DataTable):
            self._walk_ratings()
            return
        table = self.query_one("#agreement-table", DataTable)
        if self.report is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key is None or key == OVERALL:
            self.action_walk_all()
            return
        self.app.push_screen(AdjudicationScreen((str(key),), tuple(self.report.coders)))

    def action_walk_all(self) -> None:
        """Every disagreement of every code, in transcript order."""
        from coder.tui.screens.adjudication_screen import AdjudicationScreen

        if self.report is None:
            return
        codes = tuple(row.id for row in self.report.codes if row.id)
        self.app.push_screen(AdjudicationScreen(codes, tuple(self.report.coders)))

    def _walk_ratings(self) -> None:
        from coder.tui.screens.rating_consensus_screen import RatingConsensusScreen

        table = self.query_one("#agreement-cases", DataTable)
        if self.case_report is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key is not None:
            self.app.push_screen(RatingConsensusScreen(str(key), tuple(self.case_report.coders)))

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
