"""Pilot tests: the definition where the eye is, and status messages that keep labels whole."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.status_line import StatusLine, fit


async def open_transcript(app: CoderApp, pilot, name: str) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*name, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


async def until_suggestions(app: CoderApp, pilot, screen: CodingScreen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if screen.visible_suggestions():
            return
        await pilot.press("j")
    raise AssertionError("no excerpt with suggestions")


async def test_the_definition_follows_the_code_just_applied(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(app, pilot, "ung01")
        code = app.project.codebook.by_hotkey("7")
        assert code is not None
        await pilot.press("7")
        panel = screen.query_one(DefinitionPanel)
        assert panel.code_id == code.id and "(applied)" in panel.essentials.plain


async def test_the_definition_follows_the_top_suggestion(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(app, pilot, "ung03")
        await until_suggestions(app, pilot, screen)
        top = screen.visible_suggestions()[0]
        assert screen.query_one(DefinitionPanel).code_id == top.code_id


async def test_use_dont_use_and_example_fit_unscrolled_at_120x40(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(app, pilot, "ung01")
        panel = screen.query_one(DefinitionPanel)
        width = panel.scrollable_content_region.width
        height = panel.scrollable_content_region.height
        options = app.console.options.update_width(width)
        for code in app.project.codebook.codable_codes:
            panel.show(code)
            text = panel.essentials.plain
            assert ("Use when: " in text) == bool(code.use_when)
            assert ("Don't use: " in text) == bool(code.dont_use_when)
            assert ("Example: " in text) == bool(code.examples)
            lines = app.console.render_lines(panel.essentials, options, pad=False)
            assert len(lines) <= height, f"{code.id}: {len(lines)} lines, {height} shown"


async def test_the_definition_is_readable_at_80x24(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(app, pilot, "ung01")
        await pilot.press("7")
        panel = screen.query_one(DefinitionPanel)
        assert panel.scrollable_content_region.width >= 45  # lines of words, not of letters
        assert panel.scrollable_content_region.height >= 6


def test_status_keeps_labels_whole_and_drops_the_position_first() -> None:
    names = ["Risiko › Dårlig mental helse", "Frakobling › Relasjonelle forhold", "Mobbing"]
    message = "accepted 3 on excerpt 9: " + ", ".join(names)
    context = "ung01 9/41 · 4/20 reviewed · kari"
    assert (
        fit(message, context, 200).startswith(message)
        and context in fit(message, "", 200) + context
    )
    assert fit(message, context, 110) == message  # the position goes first
    cut = fit(message, context, 70)
    assert cell_len(cut) <= 70 and cut.endswith("…(+2)")
    assert cut == "accepted 3 on excerpt 9: Risiko › Dårlig mental helse, …(+2)"
    assert fit("", context, 80) == context


async def test_accept_all_reports_every_code_it_accepted(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(app, pilot, "ung03")
        await until_suggestions(app, pilot, screen)
        above = [s.code_id for s in screen.visible_suggestions() if s.above_threshold]
        await pilot.press("A")
        names = [screen.code_name(code) for code in above]
        status = screen.query_one(StatusLine)
        line = str(status.render())
        shown = line.split(": ", 1)[1].split(", ") if ": " in line else []
        for item in shown:  # whatever the status line shows is a whole name
            assert item in names or item.startswith("…(+"), (item, names)
        if len(names) > 1:
            notes = list(app._notifications)
            assert any(all(name in note.message for name in names) for note in notes)
        else:
            assert names[0] in status.message
