"""Pilot tests: memos on the coding screen, the memo list, drafts, and the dialog's keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, OptionList, TextArea
from tui_helpers import rows

from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.memo_list_screen import MemoListScreen
from coder.tui.screens.memo_screen import MemoScreen
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_view import ExcerptView

SIZE = (120, 36)


async def open_transcript(app: CoderApp, pilot, name: str = "ung01") -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*name, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def memos(folder: Path) -> list[tuple[object, ...]]:
    return rows(folder, "SELECT excerpt_id, code_id, case_id, text FROM memos ORDER BY id")


async def test_the_memo_text_is_on_the_coding_screen(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(app, pilot)
        await pilot.press("m", *"sier mye om skolen", "ctrl+s")
        assert "✎ Your memo: sier mye om skolen" in screen.query_one(ExcerptView).content.plain
        await pilot.press("j")
        assert "Your memo" not in screen.query_one(ExcerptView).content.plain
        await pilot.press("k")
        assert "sier mye om skolen" in screen.query_one(ExcerptView).content.plain


async def test_escape_does_what_the_dialog_says(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(app, pilot)
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MemoScreen)
        hints = " ".join(str(label.render()) for label in dialog.query(Label))
        assert "Esc save and close" in hints and "ctrl+g discard changes" in hints
        await pilot.press(*"lagres med Esc", "escape")
        assert memos(project_dir)[-1][3] == "lagres med Esc"
        await pilot.press("m", *" og mer", "ctrl+g")  # discard: the saved text stays
        assert memos(project_dir)[-1][3] == "lagres med Esc"


async def test_a_half_typed_memo_survives_closing_the_terminal(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(app, pilot)
        await pilot.press("m", *"halvskrevet tanke om Ø")
        # the terminal is closed here: the app ends without a save or a discard
    assert memos(project_dir) == []  # a draft is not a memo (not in exports or agreement)
    draft = project_dir / ".coder" / "memo-drafts.json"
    assert draft.stat().st_mode & 0o777 == 0o600
    again = make_app(project_dir, coder="kari")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await again.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("m")
        assert again.screen.query_one(TextArea).text == "halvskrevet tanke om Ø"
        await pilot.press("ctrl+s")
    assert [m[3] for m in memos(project_dir)] == ["halvskrevet tanke om Ø"]
    assert "halvskrevet" not in draft.read_text(encoding="utf-8")  # saved: the draft is gone


async def test_the_memo_list_holds_every_kind_and_jumps(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(app, pilot, "ung03")
        await pilot.press("j", "m", *"på ung03", "ctrl+s", "7")  # excerpt memo; Mobbing shown
        assert screen.session is not None
        target = screen.session.current
        await pilot.press("escape")  # home, then ung01
        screen = await open_transcript(app, pilot, "ung01")
        await pilot.press("M")
        assert isinstance(app.screen, MemoListScreen)
        await pilot.press("p", *"prosjektnotat", "ctrl+s")
        await pilot.press("c", *"om saken", "ctrl+s")
        shown = screen.query_one(DefinitionPanel).code_id  # the code whose definition is up
        await pilot.press("d", *"kodenotat", "ctrl+s")
        await pilot.pause()
        kinds = [(m[0] is not None, m[1], m[2]) for m in memos(project_dir)]
        assert kinds == [
            (True, None, None),
            (False, None, None),
            (False, None, "ung01"),
            (False, shown, None),
        ]
        assert shown is not None
        listing = app.screen.query_one(OptionList)
        texts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("excerpt" in t and "ung03" in t and "på ung03" in t for t in texts)
        assert any("project" in t and "prosjektnotat" in t for t in texts)
        assert any("case ung01" in t and "om saken" in t for t in texts)
        excerpt_row = next(i for i, t in enumerate(texts) if "på ung03" in t)
        listing.highlighted = excerpt_row
        await pilot.press("enter")  # jump: to ung03, at the memo's excerpt
        await app.workers.wait_for_complete()
        await pilot.pause()
        jumped = app.screen
        assert isinstance(jumped, CodingScreen) and jumped.transcript_id == "ung03"
        assert jumped.session is not None and jumped.session.current.id == target.id
