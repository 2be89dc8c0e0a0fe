"""Pilot tests: what makes an excerpt reviewed, accidental keys, and undo in order (issue 11).

Each test asserts the database (a fresh connection), not only the screen.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import codings_of, reviewed_seqs

from coder.errors import ConfigError
from coder.project.project import Project
from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.confirm_screen import ConfirmScreen
from coder.tui.screens.home_screen import HomeScreen
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.status_line import StatusLine

SIZE = (120, 36)


async def open_ung01(app: CoderApp, pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*"ung01", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def row_text(screen: CodingScreen, index: int) -> str:
    listing = screen.query_one(ExcerptList)
    return "".join(segment.text for segment in listing._render_row(index, 60, False))


async def test_navigation_alone_never_reviews(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        # however long each excerpt is on screen: j/k/Home/End/n/PgDn review nothing
        await pilot.press("j", "j", "k", "end", "home", "n", "pagedown")
        assert reviewed_seqs(project_dir, "kari", "ung01") == []
        await pilot.press("home", "space")  # "looked at it, no code" on 3
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3]
        await pilot.press("4")  # coding 5 reviews it
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3, 5]
        # the list tells reviewed (✓) from only seen (○) and never shown (·)
        index = {e.seq: i for i, e in enumerate(screen.session.excerpts)}
        assert "✓" in row_text(screen, index[3])[:7]
        assert "○" in row_text(screen, index[7])[:7]  # passed over with j: seen, not reviewed
        assert "·" in row_text(screen, index[9])[:7]  # never under the cursor
        await pilot.press("k", "backspace")  # take 3's mark back
        assert reviewed_seqs(project_dir, "kari", "ung01") == [5]
        assert "○" in row_text(screen, index[3])[:7]
        await pilot.press("j", "escape")  # leaving is not reviewing either
        assert isinstance(app.screen, HomeScreen)
    assert reviewed_seqs(project_dir, "kari", "ung01") == [5]


async def test_rest_has_no_codes_asks_then_marks_in_one_undoable_step(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        codable = [e.seq for e in screen.session.excerpts if e.codable]
        await pilot.press("1", "j", "j")  # 3 coded; now on 7
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # refused: nothing happens
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3]
        await pilot.press("ctrl+e")
        await pilot.press("y")
        assert isinstance(app.screen, CodingScreen)
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3, *[s for s in codable if s >= 7]]
        rest = len([s for s in codable if s >= 7])
        assert f"marked {rest} excerpts reviewed" in screen.query_one(StatusLine).message
        await pilot.press("u")  # one step takes all of them back, the code stays
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3]
        assert len(codings_of(project_dir, "kari")) == 1


async def test_undo_walks_every_action_in_order(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        await pilot.press("2", "j", "space")  # code 3, then "no code" on 5
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3, 5]
        await pilot.press("u")  # the last action: 5's reviewed mark, not 3's code
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3]
        assert len(codings_of(project_dir, "kari")) == 1
        assert screen.session is not None and screen.session.current.seq == 5
        await pilot.press("u")  # then the code, with the mark it brought
        assert codings_of(project_dir, "kari") == []
        assert reviewed_seqs(project_dir, "kari", "ung01") == []
        await pilot.press("ctrl+r", "ctrl+r")  # redo both, in order
        assert len(codings_of(project_dir, "kari")) == 1
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3, 5]
        await pilot.press("home", "backspace", "u")  # unmarking is a step too
        assert reviewed_seqs(project_dir, "kari", "ung01") == [3, 5]


async def test_start_is_at_home_so_typed_keys_never_code(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_ung01(app, pilot)
        await pilot.press("j")
    again = make_app(project_dir, coder="kari")
    async with again.run_test(size=SIZE) as pilot:
        # keys typed while the app starts: a filter, as the coder meant it, not hotkeys
        await pilot.press("0", "3", "1")
        await pilot.pause()
        assert isinstance(again.screen, HomeScreen)
    assert codings_of(project_dir, "kari") == []


async def test_a_mistyped_hotkey_says_what_it_did_and_u_undoes_it(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        await pilot.press("7")
        message = screen.query_one(StatusLine).message
        label = app.project.codebook.code(codings_of(project_dir, "kari")[0][2]).label_in("nb")  # type: ignore[arg-type]
        assert f"› {label} to excerpt 3" in message and "u undoes" in message
        await pilot.press("u")
        assert codings_of(project_dir, "kari") == []
        assert "undid" in screen.query_one(StatusLine).message


async def test_hotkeys_are_text_in_the_filter_and_the_dialogs(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        await pilot.press("slash", *"1234 mobbing", "escape")  # search box
        await pilot.press("m", *"1 2 3", "ctrl+s")  # memo text
        await pilot.press("r", "escape")
        assert isinstance(app.screen, CodingScreen) and screen.session is not None
    assert codings_of(project_dir, "kari") == []


def test_old_coder_toml_with_review_dwell_ms_is_told_what_to_do(project_dir: Path) -> None:
    config = project_dir / "coder.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[coding]\n", "[coding]\nreview_dwell_ms = 400\n"), "utf-8")
    try:
        Project.open(project_dir)
    except ConfigError as exc:
        message = str(exc)
    else:
        raise AssertionError("an old review_dwell_ms line was accepted silently")
    line = text.splitlines().index("[coding]") + 2
    assert f"coder.toml:{line}" in message
    assert "review_dwell_ms is no longer used" in message and "delete this line" in message
