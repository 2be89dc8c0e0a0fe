"""Pilot: a code the model is no better than chance on is not suggested, and the panel says why."""

from __future__ import annotations

from pathlib import Path

from coder.agreement.model_agreement import measure_model
from coder.codebook import load_codebook
from coder.suggest.analyser import Analyser
from coder.suggest.model import Example, SuggestModel
from coder.suggest.model_folder import ModelFolder
from coder.tui.app import make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.widgets.suggestion_panel import SuggestionPanel

SIZE = (140, 40)
WELFARE = "risk.child_welfare"


def save_measured_model(project_dir: Path) -> None:
    """kari's model, measured at chance on child welfare: she never applied it on 30 held-out
    excerpts where the model suggested it on 6 (kappa 0, interval [0, 0])."""
    book = load_codebook(project_dir / "codebooks" / "relational-robustness.yaml")
    analyser = Analyser(book, "nb")
    texts = ["Vi gikk på kino.", "Det var en fin dag.", "Jeg liker fotball."] * 4
    examples = [Example(a, frozenset(), group=i) for i, a in enumerate(analyser.analyse_all(texts))]
    codes = [code.id for code in book.codable_codes]
    model = SuggestModel.train(examples, codes, analyser.matcher.codes)
    pairs = [({WELFARE} if i < 6 else set(), set()) for i in range(30)]
    measured = measure_model([WELFARE], {"kari": pairs}, folds=3, replicates=200)
    assert measured.withheld(WELFARE)
    model.meta["measured"] = measured.to_dict()
    ModelFolder(project_dir, coder="kari").save(model)


async def test_panel_says_why_a_code_is_withheld(project_dir: Path) -> None:
    save_measured_model(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"ung03", "enter")
        for _ in range(40):
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodingScreen) and screen.session is not None
            service = screen.suggestions
            current = screen.session.current
            if service is not None and WELFARE in service.withheld.get(current.id, ()):
                break
            await pilot.press("j")
        else:
            raise AssertionError("no ung03 excerpt where child welfare was withheld")
        assert "barnevernet" in current.text or "fosterhjem" in current.text
        assert WELFARE not in {s.code_id for s in screen.visible_suggestions()}
        shown = str(screen.query_one(SuggestionPanel).content)
        assert f"{WELFARE}: no suggestions, the model is no better than chance" in shown
        assert "with kari" in shown


async def test_agreement_screen_shows_the_model_per_code_and_coder(project_dir: Path) -> None:
    from textual.widgets import DataTable, Static

    from coder.project.project import Project
    from coder.store.operations import mark_reviewed
    from coder.suggest import train_project_model
    from coder.tui.screens.agreement_screen import AgreementScreen

    with Project.open(project_dir) as project, project.store.engine.connect() as conn:
        ids = [
            int(r[0])
            for r in conn.exec_driver_sql("SELECT id FROM excerpts WHERE transcript_id='ung03'")
        ]
    with Project.open(project_dir) as project:
        for coder in ("ada", "bo"):
            for excerpt_id in ids:
                mark_reviewed(project, coder, excerpt_id)  # reviewed, nothing applied
        train_project_model(project)
    app = make_app(project_dir, agreement=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.model_report is not None
        table = screen.query_one("#agreement-model", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        agreement = screen.model_report.agreement
        assert len(rows) == len(agreement.rows) > 0
        assert {(str(r[0]), str(r[1])) for r in rows} == {
            (row.code, row.coder) for row in agreement.rows
        }
        # nobody applied child welfare, but its indicators fire in ung03: withheld, and shown so
        welfare = [r for r in rows if r[0] == WELFARE]
        assert {str(r[1]) for r in welfare} == {"ada", "bo"}
        assert all(str(r[7]) == "chance · withheld" for r in welfare)
        summary = str(screen.query_one("#agreement-model-summary", Static).render())
        assert "held-out" in summary and "never saw it" in summary
