"""The lead's agreement screen: aligned columns, told-apart labels, the CLI's intervals,
progress per code, one walk over all codes, notes on decisions, case ratings and their
consensus, and "too few units" for small figures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from textual.widgets import DataTable, Input
from tui_helpers import rows

from coder.cli import run
from coder.project.project import Project
from coder.store.operations import apply_code, set_rating
from coder.tui.app import make_app
from coder.tui.screens.adjudication_screen import AdjudicationScreen
from coder.tui.screens.agreement_screen import AgreementScreen, code_labels
from coder.tui.screens.rating_consensus_screen import RatingConsensusScreen
from support.lead_projects import settle, two_coders

CODE = "disconnect.relational"
SIZE = (140, 40)


def cells(table: DataTable, key: str) -> list[str]:  # type: ignore[type-arg]
    return [str(cell) for cell in table.get_row(key)]


def header(table: DataTable) -> list[str]:  # type: ignore[type-arg]
    return [str(column.label) for column in table.columns.values()]


def test_duplicate_labels_are_told_apart_by_their_parent(project_dir: Path) -> None:
    with Project.open(project_dir) as project:
        labels = code_labels(project.codebook, "nb")
    assert labels["disconnect.relational"] != labels["reconnect.relational"]
    assert labels["disconnect.relational"].startswith("Relasjonelle forhold (")
    assert labels["risk.ses"] == "Lav sosioøkonomisk status"  # unique labels stay as they are


async def test_columns_intervals_progress_and_walk_all(project_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ids = two_coders(project_dir)
    with Project.open(project_dir) as project:  # a second code with one disagreement
        apply_code(project, "ada", ids[3], "risk.ses")
    app = make_app(project_dir, agreement=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.report is not None
        table = screen.query_one("#agreement-table", DataTable)
        names = header(table)
        row = cells(table, CODE)
        assert len(row) == len(names)  # every column has its cell: nothing shifted
        assert row[names.index("Code")] == CODE
        assert row[names.index("Label")].startswith("Relasjonelle forhold (")
        assert row[names.index("Units")] == "4"
        assert row[names.index("Decided")] == "0/2"
        tui_interval = row[names.index("α CI")]

        await pilot.press("w")  # one walk over every code's disagreements
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, AdjudicationScreen)
        assert sorted((item.code, item.excerpt_id) for item in walk.items) == sorted(
            [(CODE, ids[1]), (CODE, ids[2]), ("risk.ses", ids[3])]
        )
        assert walk.code == CODE
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"bo overså det", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.press("escape")
        await pilot.pause()
        await settle(app)
        await pilot.pause()
        table = screen.query_one("#agreement-table", DataTable)
        assert cells(table, CODE)[header(table).index("Decided")] == "1/2"

    payload = rows(project_dir, "SELECT payload FROM events WHERE kind = 'consensus.decide'")
    assert json.loads(str(payload[0][0]))["note"] == "bo overså det"

    capsys.readouterr()
    assert run(["--project", str(project_dir), "agree", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ci = next(c for c in data["codes"] if c["id"] == CODE)["alpha"]["ci"]
    assert tui_interval == f"[{ci['low']:.2f}, {ci['high']:.2f}]"  # same bootstrap as the CLI

    out = project_dir / "wide.csv"
    assert (
        run(["--project", str(project_dir), "export", "wide", "-o", str(out), "--consensus"]) == 0
    )
    wide = pd.read_csv(out, dtype=str, keep_default_na=False)
    noted = wide[wide["consensus_note"] != ""]
    assert list(noted["consensus_note"]) == [f"{CODE}: bo overså det"]


async def test_case_ratings_agreement_too_few_and_consensus(project_dir: Path) -> None:
    two_coders(project_dir)
    with Project.open(project_dir) as project:
        set_rating(project, "ada", "ung01", "relational_robustness", "steady")
        set_rating(project, "bo", "ung01", "relational_robustness", "wavering")
    app = make_app(project_dir, agreement=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        cases = screen.query_one("#agreement-cases", DataTable)
        names = header(cases)
        row = cells(cases, "relational_robustness")
        assert row[names.index("Cases")] == "1"
        assert row[names.index("α")] == "too few"  # one case: not alpha 0.000
        cases.focus()
        await pilot.press("enter")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, RatingConsensusScreen)
        assert [(i.case_id, i.ratings) for i in walk.items] == [
            ("ung01", {"ada": "steady", "bo": "wavering"})
        ]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen.query_one(Input), Input)
        await pilot.press(*"begge deler", "enter")
        await pilot.pause()
        await pilot.press("2")  # the second level: wavering
        await pilot.pause()
        assert walk.items[0].decision == "wavering"
    ratings = rows(
        project_dir,
        "SELECT r.value FROM case_ratings r JOIN coders c ON c.id = r.coder_id "
        "WHERE c.name = 'consensus' AND r.case_id = 'ung01'",
    )
    assert ratings == [("wavering",)]
    out = project_dir / "cases.out.csv"
    assert (
        run(["--project", str(project_dir), "export", "cases", "-o", str(out), "--consensus"]) == 0
    )
    table = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("case")
    assert table.loc["ung01", "rr_consensus"] == "wavering"
