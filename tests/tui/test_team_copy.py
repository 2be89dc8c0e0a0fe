"""A joined hand-out opens in the app as its coder, who codes at once (issue 16.1)."""

from __future__ import annotations

from pathlib import Path

from coder.project.project import Project
from coder.tui.app import make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.home_screen import HomeScreen
from support.team_projects import copy_for, lead_project
from support.team_rows import coder_rows

SIZE = (120, 36)


async def test_the_app_on_a_joined_copy_starts_as_its_coder_and_codes(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    root = copy.root
    copy.close()
    app = make_app(root)  # no --coder: the copy knows whose it is
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.coder == "ada"
        await pilot.press(*"t1", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        await pilot.press("j", "1")
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.project.close()
    with Project.open(root) as reopened:
        assert len(coder_rows(reopened, "ada")["codings"]) == 1
