"""Pilot tests of the reports screen: own codings only for coders, export to CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from textual.widgets import DataTable

from coder.project.project import Project
from coder.store.operations import apply_code
from coder.tui.app import make_app
from coder.tui.screens.reports_screen import ReportsScreen

SIZE = (140, 40)


def code_some(folder: Path) -> None:
    with Project.open(folder) as project, project.store.engine.connect() as conn:
        ids = [
            int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM excerpts WHERE codable LIMIT 4")
        ]
    with Project.open(folder) as project:
        for excerpt_id in ids:
            apply_code(project, "kari", excerpt_id, "risk.psychosocial.bullying")
        apply_code(project, "ola", ids[0], "reconnect.relational")


async def test_reports_show_own_codings_and_export(project_dir: Path) -> None:
    code_some(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.report is not None
        frame = screen.report.frame
        assert list(frame.columns) == ["code", "label", "kari"]  # blind: nobody else's column
        bullying = frame[frame["code"] == "risk.psychosocial.bullying"]["kari"].iloc[0]
        assert bullying == 4
        table = screen.query_one(DataTable)
        assert table.row_count == len(frame)
        await pilot.press("e")
        await pilot.pause()
    exported = list((project_dir / "reports").glob("frequencies-*.csv"))
    assert len(exported) == 1
    with exported[0].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) >= 2 and "ola" not in " ".join(rows[0])


async def test_lead_reports_cover_every_coder(project_dir: Path) -> None:
    code_some(project_dir)
    app = make_app(project_dir, coder="kari", lead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.open_reports()
        await pilot.pause()  # the screen is mounted and its report worker started
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.report is not None
        assert {"kari", "ola"} <= set(screen.report.frame.columns)
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report is not None and screen.report.name == "crosstab"
