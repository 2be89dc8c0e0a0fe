"""Pilot tests of the lead's agreement screen and the consensus walk-through."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable
from tui_helpers import codings_of, rows

from coder.project.project import Project
from coder.store.operations import apply_code, mark_reviewed
from coder.tui.app import make_app
from coder.tui.screens.adjudication_screen import AdjudicationScreen
from coder.tui.screens.agreement_screen import AgreementScreen

SIZE = (140, 40)


def two_coders(folder: Path) -> list[int]:
    """ada and bo review excerpts 3, 5, 7, 9 of ung01 and disagree on two of them."""
    with Project.open(folder) as project, project.store.engine.connect() as conn:
        ids = [
            int(r[0])
            for r in conn.exec_driver_sql(
                "SELECT id FROM excerpts WHERE transcript_id='ung01' AND seq IN (3,5,7,9) ORDER BY seq"
            )
        ]
    with Project.open(folder) as project:
        for coder in ("ada", "bo"):
            for excerpt_id in ids:
                mark_reviewed(project, coder, excerpt_id)
        apply_code(project, "ada", ids[0], "disconnect.relational")
        apply_code(project, "bo", ids[0], "disconnect.relational")
        apply_code(project, "ada", ids[1], "disconnect.relational")  # bo did not
        apply_code(project, "bo", ids[2], "disconnect.relational")  # ada did not
    return ids


async def settle(app) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    for _ in range(3):
        await app._animator.wait_until_complete()


async def test_agreement_table_and_consensus_walk(project_dir: Path) -> None:
    ids = two_coders(project_dir)
    app = make_app(project_dir, agreement=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.report is not None
        table = screen.query_one(DataTable)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]  # type: ignore[arg-type]
        assert "disconnect.relational" in keys and "__overall__" in keys
        row = next(r for r in screen.report.codes if r.id == "disconnect.relational")
        assert row.units == 4 and row.present == {"ada": 2, "bo": 2}
        table.move_cursor(row=keys.index("disconnect.relational"))
        await pilot.press("enter")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, AdjudicationScreen)
        assert [item.excerpt_id for item in walk.items] == [ids[1], ids[2]]
        await pilot.press("y")  # consensus: apply on excerpt 5
        await pilot.press("d")  # consensus: do not apply on excerpt 7
        assert [item.decision for item in walk.items] == [True, False]
    assert codings_of(project_dir, "consensus") == [
        ("ung01", 5, "disconnect.relational", None, None, "consensus")
    ]
    # each coder's own codings are untouched
    assert [c[1] for c in codings_of(project_dir, "ada")] == [3, 5]
    assert [c[1] for c in codings_of(project_dir, "bo")] == [3, 7]
    decided = rows(project_dir, "SELECT count(*) FROM events WHERE kind = 'consensus.decide'")
    assert decided == [(2,)]


async def test_coders_never_reach_the_agreement_screen(project_dir: Path) -> None:
    two_coders(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_agreement()
        await pilot.pause()
        assert not isinstance(app.screen, AgreementScreen)
