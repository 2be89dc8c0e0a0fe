"""A project in a language the codebook has no labels in (Danish, Swedish) codes in Bokmål labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from coder.tui.app import make_app
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from support.config import set_setting
from support.lead_projects import open_coding

SIZE = (110, 36)


@pytest.mark.parametrize("language", ["da", "sv"])
async def test_labels_fall_back_to_the_codebooks_first_language(
    project_dir: Path, language: str
) -> None:
    set_setting(project_dir / "coder.toml", "project", "language", language)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        assert app.project.settings.language == language
        assert app.language == "nb"
        screen = await open_coding(app, pilot)
        tree = screen.query_one(CodeTree)
        labels = [str(node.label) for node in tree._code_nodes.values()]
        assert any("Lav sosioøkonomisk status" in label for label in labels), labels
        assert not any("Low socio-economic status" in label for label in labels)
        screen.query_one(DefinitionPanel).show(app.project.codebook.code("risk.ses"))
        await pilot.pause()
        shown = str(screen.query_one(DefinitionPanel).content)
        # the Bokmål label, then the other language's (English), not Bokmål twice
        assert shown.startswith("Lav sosioøkonomisk status / Low socio-economic status"), shown
        await pilot.press("r")
        await pilot.pause()
        levels = app.screen.query_one("#attr-relational_robustness", OptionList)
        assert "Stødig" in str(levels.get_option_at_index(0).prompt)
