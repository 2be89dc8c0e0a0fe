"""Pilot tests of the full-transcript reading view (issue 11.11): T opens it on the excerpt
being coded, the keys move through every turn, Enter codes where the cursor is, Esc does not
move; the margin holds the coder's own codes only; only rows on screen are painted."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import codings_of

from coder.project.project import Project
from coder.store.coder_view import load_position
from coder.store.operations import apply_code
from coder.store.queries import load_excerpts
from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.home_screen import HomeScreen
from coder.tui.screens.reading_screen import ReadingScreen
from coder.tui.widgets.transcript_reader import CURRENT, TranscriptReader

SIZE = (120, 36)
LONELINESS = "risk.psychosocial.loneliness"  # hotkey 8
BULLYING = "risk.psychosocial.bullying"  # hotkey 7
RELATIONAL = "disconnect.relational"  # hotkey 1


async def open_coding(app: CoderApp, pilot, transcript: str = "ung01") -> CodingScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, HomeScreen)
    await pilot.press(*transcript, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def screen_rows(reader: TranscriptReader) -> list[str]:
    """The reader's rows as painted now, top to bottom."""
    return [reader.render_line(y).text for y in range(reader.scrollable_content_region.height)]


def label(app: CoderApp, code_id: str) -> str:
    return app.project.codebook.code(code_id).label_in(app.language)


def rows_of(reader: TranscriptReader, index: int) -> list[str]:
    """The painted rows of one excerpt's block (it must be on screen)."""
    layout = reader.layout_now()
    top = layout.tops[index] - int(reader.scroll_y)
    height = layout.blocks[index].rows
    assert top >= 0 and top + height <= reader.scrollable_content_region.height, "not on screen"
    return [reader.render_line(y).text for y in range(top, top + height)]


async def test_reading_view_shows_every_turn_and_enter_codes_under_the_cursor(
    project_dir: Path,
) -> None:
    with Project.open(project_dir) as project:
        excerpts = load_excerpts(project, "ung01")
        codable = [e for e in excerpts if e.codable]
        apply_code(project, "ola", codable[1].id, BULLYING)  # another coder: never shown
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("8")  # kari's own code on the first codable excerpt
        await pilot.press("j")
        start = session.index
        current = session.current
        assert current.id == codable[1].id
        await pilot.press("T")
        reading = app.screen
        assert isinstance(reading, ReadingScreen)
        reader = reading.query_one(TranscriptReader)
        assert reader.cursor == start and reader.has_focus
        block = rows_of(reader, start)
        assert block[0].lstrip(CURRENT + " ").startswith(f"{current.seq} {current.speaker}: ")
        assert current.text.split()[0] in block[0]
        assert all(row.startswith(CURRENT) for row in block[:-1])  # where kari was is marked
        shown = "\n".join(screen_rows(reader))
        assert label(app, BULLYING) not in shown  # ola's coding: blind
        assert f"excerpt {current.seq} of {len(excerpts)}" in reading.sub_title
        # the turns before it are there too: the interviewer's question and kari's code
        first = session.index_of(codable[0].id)
        assert first is not None and first < start - 1
        before = rows_of(reader, first)
        assert excerpts[first].text.split()[0] in before[0]
        assert label(app, LONELINESS) in before[0].split("│")[1]
        assert not before[0].startswith(CURRENT)
        asked = excerpts[start - 1]
        assert asked.speaker == "Intervjuer" and not asked.codable
        assert rows_of(reader, start - 1)[0].lstrip().startswith(f"{asked.seq} Intervjuer: ")

        await pilot.press("j", "j")  # the next turn (the interviewer's), then a participant's
        target = excerpts[start + 2]
        assert reader.cursor == start + 2 and target.codable
        assert f"excerpt {target.seq} of" in reading.sub_title
        await pilot.press("enter")
        assert isinstance(app.screen, CodingScreen)
        assert session.current.id == target.id
        await pilot.press("1")  # the hotkey codes the excerpt the reading view chose
    assert ("ung01", target.seq, RELATIONAL, None, None, "manual") in codings_of(
        project_dir, "kari"
    )
    with Project.open(project_dir) as project:
        assert load_position(project, "kari", "ung01") == target.seq


async def test_escape_goes_back_without_moving_and_keys_reach_both_ends(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        session = screen.session
        assert session is not None
        await pilot.press("j", "j")
        where = session.current.id
        await pilot.press("T")
        reader = app.screen.query_one(TranscriptReader)
        await pilot.press("end")
        last = session.excerpts[-1]
        assert reader.cursor == len(session.excerpts) - 1
        assert any(last.text.split()[-1] in row for row in screen_rows(reader))
        await pilot.press("home")
        assert reader.cursor == 0 and reader.scroll_y == 0
        await pilot.press("pagedown")
        assert reader.cursor > 1  # a page of rows on, not one excerpt
        await pilot.press("c")  # back to where the coder was
        assert reader.cursor == session.index
        await pilot.press("end", "escape")
        assert isinstance(app.screen, CodingScreen)
        assert session.current.id == where  # Esc does not move
        await pilot.press("T")
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("s")  # not a key of the reading view: nothing happens
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("escape", "s", "T")  # span mode: the reading view waits
        assert isinstance(app.screen, CodingScreen) and app.screen.span is not None


async def test_a_click_moves_the_cursor(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(app, pilot)
        await pilot.press("home", "T")
        reader = app.screen.query_one(TranscriptReader)
        layout = reader.layout_now()
        row = layout.tops[3] - int(reader.scroll_y)
        assert await pilot.click(TranscriptReader, offset=(10, row))
        assert reader.cursor == 3
        assert f"excerpt {reader.excerpts[3].seq} of" in app.screen.sub_title


def long_interview(turns: int) -> str:
    lines = []
    for number in range(1, turns + 1):
        if number % 2:
            lines.append(f"Intervjuer: Spørsmål nummer {number}, hva skjedde da?")
        else:
            lines.append(
                f"Deltaker: Svar nummer {number}. Jeg følte meg ensom på skolen, og det var "
                "mye mobbing i gymtimene, særlig i åttende; ingen voksne så det."
            )
    return "\n\n".join(lines) + "\n"


async def test_a_long_transcript_paints_only_the_rows_on_screen(
    project_dir: Path, write_transcript
) -> None:  # type: ignore[no-untyped-def]
    from coder.store.importer import import_transcript

    path = write_transcript(project_dir, "lang.txt", long_interview(3000))
    with Project.open(project_dir) as project:
        import_transcript(project, path)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot, "lang")
        assert screen.session is not None and len(screen.session.excerpts) == 3000
        await pilot.press("T")
        reader = app.screen.query_one(TranscriptReader)
        await pilot.pause()
        height = reader.scrollable_content_region.height
        assert reader.layout_now().height > 3000 * 2  # every turn has its rows
        assert 0 < reader.painted <= 2 * height
        await pilot.press("end")
        await pilot.pause()
        assert "Svar nummer 3000." in "\n".join(screen_rows(reader))
        assert reader.painted <= 4 * height  # the first page and the last, nothing between
