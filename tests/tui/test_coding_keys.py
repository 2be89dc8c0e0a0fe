"""Pilot tests: every key action of the coding TUI, asserting the database afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static, TextArea
from tui_helpers import codings_of, reviewed_seqs, rows

from coder.domain.settings import ProjectSettings
from coder.project.project import Project
from coder.store.operations import apply_code, set_rating
from coder.tui.app import CoderApp, make_app
from coder.tui.local_state import remembered_coder
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.help_screen import HelpScreen
from coder.tui.screens.home_screen import HomeScreen
from coder.tui.screens.name_screen import NameScreen
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView

SIZE = (110, 36)


async def open_coding(app: CoderApp, pilot, transcript: str = "ung01") -> CodingScreen:  # type: ignore[no-untyped-def]
    """From home, filter to a transcript and open it; wait for the worker to load it."""
    assert isinstance(app.screen, HomeScreen)
    await pilot.press(*transcript)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def seq(screen: CodingScreen) -> int:
    assert screen.session is not None
    return screen.session.current.seq


async def test_name_is_asked_then_remembered(project_dir: Path) -> None:
    app = make_app(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"Bjørn Ås", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert remembered_coder(project_dir) == "Bjørn Ås"
    again = make_app(project_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.coder == "Bjørn Ås" and isinstance(again.screen, HomeScreen)


async def test_name_screen_refuses_reserved_and_invalid_names(project_dir: Path) -> None:
    app = make_app(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"model", "enter")
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*["backspace"] * 5, *"  ", "enter")
        assert isinstance(app.screen, NameScreen)
    assert remembered_coder(project_dir) is None


async def test_home_lists_filters_and_opens(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        first = table.get_row_at(0)
        assert first[0] == "ung01" and first[1] == "ung01" and first[2] == "0/20"
        await pilot.press("0", "3")
        assert table.row_count == 1 and table.get_row_at(0)[0] == "ung03"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen) and app.screen.transcript_id == "ung03"


async def test_moving_saves_position_and_enter_resumes_there(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        start = seq(screen)
        assert start == 3  # the first codable excerpt (1 is the header, 2 the interviewer)
        await pilot.press("j", "j", "down")  # interviewer turns (4, 6, 8) are skipped
        assert seq(screen) == 9
        await pilot.press("k")
        assert seq(screen) == 7
    assert reviewed_seqs(project_dir, "kari", "ung01") == []  # moving is not reviewing
    position = rows(project_dir, "SELECT excerpt_seq FROM positions")
    assert position == [(7,)]
    again = make_app(project_dir, coder="kari")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = again.screen
        assert isinstance(home, HomeScreen)  # never straight into the coding screen
        assert "Enter resumes ung01 at excerpt 7" in str(
            home.query_one("#home-status", Static).render()
        )
        await pilot.press("enter")
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, CodingScreen)  # resumed where the coder left off
        assert seq(again.screen) == 7


async def test_hotkey_toggles_code_and_enter_in_tree(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("1")
        assert codings_of(project_dir, "kari") == [
            ("ung01", 3, "disconnect.relational", None, None, "manual")
        ]
        await pilot.press("4", "1")
        assert codings_of(project_dir, "kari") == [
            ("ung01", 3, "reconnect.relational", None, None, "manual")
        ]
        tree = screen.query_one(CodeTree)
        tree.select_code("risk.somatic")
        tree.focus()
        await pilot.press("enter")
        assert ("ung01", 3, "risk.somatic", None, None, "manual") in codings_of(project_dir, "kari")
        assert tree.counts["risk.somatic"] == 1
    assert reviewed_seqs(project_dir, "kari", "ung01") == [3]  # coding counts as looking at it


async def test_span_mode_codes_only_the_selected_words(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        excerpt = screen.session.current  # type: ignore[union-attr]
        await pilot.press("s", "right", "right", "shift+right")
        assert screen.span is not None
        await pilot.press("j")  # moving is off in span mode
        assert seq(screen) == 3
        await pilot.press("8")
        assert screen.span is None
    (found,) = codings_of(project_dir, "kari")
    words = excerpt.text.split()
    start, end = int(found[3]), int(found[4])  # type: ignore[call-overload]
    text = rows(project_dir, "SELECT text FROM transcripts WHERE id = 'ung01'")[0][0]
    assert found[2] == "risk.psychosocial.loneliness"
    assert text[start:end] == " ".join(words[1:3]) or text[start:end].split() == words[1:3]  # type: ignore[index]
    assert excerpt.start <= start < end <= excerpt.end


async def test_escape_leaves_span_mode_without_coding(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("s", "right", "escape")
        assert screen.span is None and isinstance(app.screen, CodingScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert codings_of(project_dir, "kari") == []


async def test_undo_and_redo(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("2", "j", "3")
        assert len(codings_of(project_dir, "kari")) == 2
        await pilot.press("u")
        assert codings_of(project_dir, "kari") == [
            ("ung01", 3, "disconnect.self_worth", None, None, "manual")
        ]
        await pilot.press("u")
        assert codings_of(project_dir, "kari") == []
        assert seq(screen) == 3  # undo took the cursor to where the change was
        await pilot.press("ctrl+r")
        assert codings_of(project_dir, "kari") == [
            ("ung01", 3, "disconnect.self_worth", None, None, "manual")
        ]
        assert screen.session.codes_of(screen.session.current) == [("disconnect.self_worth", None)]  # type: ignore[union-attr]


async def test_next_and_previous_unreviewed(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("space", "space", "1", "j")  # 3 and 5 "no code", 7 coded
        assert seq(screen) == 9
        await pilot.press("home")
        assert seq(screen) == 3  # the first codable excerpt
        await pilot.press("n")
        assert seq(screen) == 9  # 3, 5 and 7 are reviewed; 9 was only passed over
        await pilot.press("N")
        assert seq(screen) == 9  # nothing unreviewed before it
        await pilot.press("end", "N")
        last = screen.session.edge_codable(1)  # type: ignore[union-attr]
        assert screen.session.index < last  # type: ignore[union-attr]
        assert screen.session.current.id not in screen.session.reviewed  # type: ignore[union-attr]


async def test_memo_is_written_edited_and_deleted(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot)
        await pilot.press("m")
        await pilot.press(*"Sterk påkobling - æøå", "ctrl+s")
        assert rows(project_dir, "SELECT text FROM memos") == [("Sterk påkobling - æøå",)]
        await pilot.press("m")
        area = app.screen.query_one(TextArea)
        assert area.text == "Sterk påkobling - æøå"
        area.text = "Endret"
        await pilot.press("ctrl+s")
        assert rows(project_dir, "SELECT text FROM memos") == [("Endret",)]
        await pilot.press("m")
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        assert rows(project_dir, "SELECT text FROM memos") == []
        await pilot.press("m", *"avbrutt", "ctrl+g")  # discard
        assert rows(project_dir, "SELECT text FROM memos") == []
        await pilot.press("m", *"Esc lagrer", "escape")  # Esc never throws typing away
        assert rows(project_dir, "SELECT text FROM memos") == [("Esc lagrer",)]


async def test_rating_picker_sets_each_attribute(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot)
        await pilot.press("r")
        levels = app.screen.query_one("#attr-relational_robustness", OptionList)
        assert levels.has_focus
        prompt = str(levels.get_option_at_index(0).prompt)
        assert "Stødig" in prompt and len(prompt) > 40  # the level's definition is shown
        await pilot.press("down", "enter")
        await pilot.pause()
        assert rows(project_dir, "SELECT attribute, value FROM case_ratings") == [
            ("relational_robustness", "wavering")
        ]
        age = app.screen.query_one("#attr-age", Input)
        age.focus()
        age.value = "17"
        await pilot.press("enter")
        await pilot.pause()
        assert ("age", "17") in rows(project_dir, "SELECT attribute, value FROM case_ratings")
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)


async def test_search_across_transcripts_and_jump(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot, "ung01")
        await pilot.press("slash", *"BARNEVERN")
        await app.workers.wait_for_complete()
        await pilot.pause()
        hits = app.screen.query_one("#hits", OptionList)
        assert hits.option_count > 0
        search = app.screen
        target = search.hits[0]  # type: ignore[attr-defined]
        assert target.transcript_id == "ung03"  # only the trembling interview mentions it
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.transcript_id == "ung03"
        assert screen.session is not None and screen.session.current.id == target.excerpt_id
        text = screen.session.current.text.casefold()
        assert "barnevern" in text


async def test_search_handles_norwegian_letters_in_any_case(
    project: Project, project_dir: Path
) -> None:
    from coder.store.search import search_text

    lower = search_text(project, "følte")
    upper = search_text(project, "FØLTE")
    assert lower and [h.excerpt_id for h in lower] == [h.excerpt_id for h in upper]


async def test_help_lists_every_binding(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from coder.domain.keys import ALL_KEYS

        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        for static in app.screen.query("Static"):
            console.print(static.content)
        shown = console.export_text()
        for spec in ALL_KEYS:
            assert spec.id in shown
        assert "disconnect.relational" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen)


async def palette_searched(app: CoderApp, pilot: Pilot[None]) -> None:
    """Wait (for the palette's search workers, not for a time) until its hits are listed."""
    from textual.command import CommandPalette

    await pilot.pause()  # the last key's Input.Changed has started a search
    assert isinstance(app.screen, CommandPalette)
    group = CommandPalette._GATHER_COMMANDS_GROUP
    await app.workers.wait_for_complete([w for w in app.workers if w.group == group])
    await pilot.pause()  # the hits reach the list


async def test_command_palette_runs_area_verb_entries(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"coding: next unreviewed")
        await palette_searched(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert seq(screen) == 5


async def test_keys_are_remappable(project_dir: Path) -> None:

    with Project.open(project_dir) as opened:
        settings: ProjectSettings = opened.settings.model_copy(
            update={"keymap": {"coding.next": "ctrl+n"}}
        )
        opened.settings = settings
        app = CoderApp(opened, "kari")
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_coding(app, pilot)
            await pilot.press("j")
            assert seq(screen) == 3
            await pilot.press("ctrl+n")
            assert seq(screen) == 5


async def test_blind_coding_shows_only_this_coders_work(
    project_dir: Path, project: Project
) -> None:
    first = project.store.engine  # another coder's codings and ratings exist in the same project
    assert first is not None
    excerpt_id = rows(project_dir, "SELECT id FROM excerpts WHERE transcript_id='ung01' AND seq=3")[
        0
    ][0]
    apply_code(project, "ola", int(excerpt_id), "disconnect.relational")  # type: ignore[call-overload]
    set_rating(project, "ola", "ung01", "relational_robustness", "steady")
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[4] == "—"  # ola's rating is not shown
        screen = await open_coding(app, pilot)
        assert screen.session is not None
        assert screen.session.codes_of(screen.session.current) == []
        assert screen.query_one(CodeTree).counts["disconnect.relational"] == 0
        listing = screen.query_one(ExcerptList)
        assert listing.codes_of(screen.session.current) == []


async def test_interviewer_turns_are_not_codable(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        screen.go_to(1)  # excerpt 2 is the interviewer's question (as if clicked)
        assert seq(screen) == 2 and not screen.session.current.codable  # type: ignore[union-attr]
        await pilot.press("1")
    assert codings_of(project_dir, "kari") == []


async def test_every_action_is_committed_at_once(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot)
        await pilot.press("5")
        # a separate connection sees it while the app is still running
        assert codings_of(project_dir, "kari") == [
            ("ung01", 3, "reconnect.participation", None, None, "manual")
        ]


async def test_coder_option_is_for_one_session(project_dir: Path) -> None:
    first = make_app(project_dir, coder="kari")
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert remembered_coder(project_dir) == "kari"
    other = make_app(project_dir, coder="ola")
    async with other.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert other.coder == "ola"
    assert remembered_coder(project_dir) == "kari"  # a lead's one-off --coder changes nothing


async def test_switch_coder_from_the_palette(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.switch_coder()
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"ola", "enter")
        await pilot.pause()
        assert app.coder == "ola" and isinstance(app.screen, HomeScreen)
    assert remembered_coder(project_dir) == "ola"


async def test_escape_in_the_code_tree_returns_to_the_excerpts(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("tab")
        assert screen.query_one(CodeTree).has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, CodingScreen) and screen.query_one(ExcerptList).has_focus


async def test_current_codes_are_named_and_marked_in_the_tree(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        await pilot.press("7")
        tree = screen.query_one(CodeTree)
        assert tree.applied == {"risk.psychosocial.bullying"}
        view = screen.query_one(ExcerptView)
        assert "Your codes:" in view.content.plain and "Mobbing" in view.content.plain
        await pilot.press("j")
        assert tree.applied == set()
