"""Pilot tests: context around the excerpt (search hits, list width, the reading view)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import FOUND, ExcerptView


async def open_transcript(app: CoderApp, pilot, name: str = "ung01") -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*name, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def found_words(view: ExcerptView) -> list[str]:
    """The text of every span shown in the search-hit style."""
    plain = view.content.plain
    return [plain[s.start : s.end] for s in view.content.spans if s.style == FOUND]


async def test_a_search_hit_is_highlighted_in_the_opened_excerpt(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_transcript(app, pilot)
        await pilot.press("slash", *"BARNEVERN")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#hits", OptionList).option_count > 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.transcript_id == "ung03"
        view = screen.query_one(ExcerptView)
        hits = found_words(view)
        assert hits and all(hit.casefold() == "barnevern" for hit in hits)
        await pilot.press("j")  # elsewhere, nothing is highlighted
        assert found_words(view) == []


async def test_the_excerpt_list_shows_more_than_25_characters_at_120(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(app, pilot)
        assert screen.session is not None
        await pilot.press("1", "7")  # two chips on the row take room from the text
        listing = screen.query_one(ExcerptList)
        index = screen.session.index
        row = "".join(s.text for s in listing.render_line(index - int(listing.scroll_y)))
        shown = row.split(": ", 1)[1].split("…")[0]
        body = " ".join(screen.session.current.text.split())
        assert len(shown) > 25 and body.startswith(shown), row
