"""The codebook's prose in the project's language: definition panel and rating screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from coder.tui.app import make_app
from coder.tui.widgets.definition_panel import DefinitionPanel
from support.config import set_setting
from support.lead_projects import open_coding

SIZE = (110, 36)


def set_language(project_dir: Path, language: str) -> None:
    set_setting(project_dir / "coder.toml", "project", "language", language)


async def definition_and_level(project_dir: Path) -> tuple[str, str]:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        book = app.project.codebook
        screen.query_one(DefinitionPanel).show(book.code("risk.ses"))
        await pilot.pause()
        shown = str(screen.query_one(DefinitionPanel).content)
        await pilot.press("r")
        await pilot.pause()
        levels = app.screen.query_one("#attr-relational_robustness", OptionList)
        first = str(levels.get_option_at_index(0).prompt)
    return shown, first


async def test_bokmaal_project_shows_bokmaal_prose(project_dir: Path) -> None:
    shown, level = await definition_and_level(project_dir)
    assert "Den unge vokste opp i en husholdning med dårlig råd" in shown
    assert "Brukes når utdraget beskriver familiens økonomi" in shown
    assert "The young person grew up" not in shown
    assert "Gode, trygge relasjoner" in level


async def test_english_project_shows_english_prose(project_dir: Path) -> None:
    set_language(project_dir, "en")
    shown, level = await definition_and_level(project_dir)
    assert "The young person grew up in a household with little money" in shown
    assert "Good, secure relationships" in level
