"""Pilot tests of the case x code matrix on the reports screen: a cell opens its segments."""

from __future__ import annotations

from pathlib import Path

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from coder.project.project import Project
from coder.store.operations import apply_code, set_rating
from coder.store.queries import load_excerpts
from coder.tui.app import make_app
from coder.tui.screens.reports_screen import ReportsScreen
from coder.tui.screens.retrieval_screen import RetrievalScreen
from support.lead_projects import settle

SIZE = (140, 40)
BULLYING = "risk.psychosocial.bullying"
SES = "risk.ses"


def code_two_cases(folder: Path) -> dict[str, list[int]]:
    """kari: bullying on 3 of ung01's turns and 1 of ung03's, ses on ung03's first; rates
    ung01 trembling, ung03 steady. ola: bullying on ung01's 5th turn."""
    with Project.open(folder) as project:
        ids = {
            tid: [e.id for e in load_excerpts(project, tid) if e.codable]
            for tid in ("ung01", "ung03")
        }
        for excerpt_id in ids["ung01"][:3] + ids["ung03"][:1]:
            apply_code(project, "kari", excerpt_id, BULLYING)
        apply_code(project, "kari", ids["ung03"][0], SES)
        apply_code(project, "ola", ids["ung01"][4], BULLYING)
        set_rating(project, "kari", "ung01", "relational_robustness", "trembling")
        set_rating(project, "kari", "ung03", "relational_robustness", "steady")
    return ids


async def ready(app: object, pilot: object) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await settle(app)
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_cell_opens_its_segments(project_dir: Path) -> None:
    ids = code_two_cases(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await ready(app, pilot)
        await pilot.press("m")
        await ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.matrix is not None
        frame = screen.matrix.frame
        # blind: kari's own units only; grouped by her ratings, steady before trembling
        assert list(frame["relational_robustness"]) == ["steady", "trembling"]
        assert list(frame["case"]) == ["ung03", "ung01"]
        assert list(frame[BULLYING]) == [1, 3] and list(frame[SES]) == [1, 0]
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        column = list(frame.columns).index(BULLYING)
        table.focus()
        table.cursor_coordinate = Coordinate(1, column)
        await pilot.press("enter")
        await ready(app, pilot)
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen) and retrieval.retrieval is not None
        assert retrieval.case == "ung01"
        found = [(s.case_id, s.excerpt_id, s.coder) for s in retrieval.retrieval.segments]
        assert found == [("ung01", excerpt_id, "kari") for excerpt_id in ids["ung01"][:3]]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("e")
        await pilot.pause()
    (sheet,) = (project_dir / "reports").glob("matrix-*.xlsx")
    from openpyxl import load_workbook

    values = [list(row) for row in load_workbook(sheet)["matrix"].iter_rows(values_only=True)]
    assert ["Stødig", "ung03", 1, 1, 1] in [row[:5] for row in values]
    assert (project_dir / "reports" / sheet.name.replace(".xlsx", ".csv")).is_file()


async def test_a_lead_matrix_counts_every_coder(project_dir: Path) -> None:
    code_two_cases(project_dir)
    app = make_app(project_dir, coder="lead", lead=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_reports()
        await ready(app, pilot)
        await pilot.press("m")
        await ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.matrix is not None
        frame = screen.matrix.frame
        # ola's unit on ung01 has no rating of his own: it sits under not rated
        rows = list(
            zip(frame["relational_robustness"], frame["case"], frame[BULLYING], strict=True)
        )
        assert rows == [
            ("steady", "ung03", 1),
            ("trembling", "ung01", 3),
            ("not_rated", "ung01", 1),
        ]
