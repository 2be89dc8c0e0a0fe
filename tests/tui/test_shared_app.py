"""The app as ``coder serve`` runs it (shared mode): the name is asked every time, never kept."""

from __future__ import annotations

from pathlib import Path

from coder.tui.app import make_app
from coder.tui.local_state import remember_coder, remembered_coder
from coder.tui.screens.home_screen import HomeScreen
from coder.tui.screens.name_screen import NameScreen
from coder.tui.web_session import main

SIZE = (110, 36)


async def test_shared_app_asks_each_time_and_remembers_nothing(project_dir: Path) -> None:
    remember_coder(project_dir, "Kari")  # the server machine's own coder, from `coder open`
    for name in ("Bjørn Ås", "Åse"):
        app = make_app(project_dir, shared=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, NameScreen)  # not Kari: another person may be here
            await pilot.press(*name, "enter")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and app.coder == name
            app.switch_coder()
            await pilot.pause()
            await pilot.press(*"Eva", "enter")
            await pilot.pause()
            assert app.coder == "Eva"
        assert remembered_coder(project_dir) == "Kari"


def test_web_session_wants_one_project_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
    assert main([str(tmp_path / "nowhere")]) == 1
    assert "error:" in capsys.readouterr().err
