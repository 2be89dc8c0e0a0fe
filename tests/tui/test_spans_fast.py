"""Pilot tests: spans faster than word by word (sentence, to the end) and by mouse."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import codings_of

from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.span_selection import SpanSelection
from coder.tui.widgets.excerpt_view import ExcerptView

SIZE = (120, 36)


async def open_ung01(app: CoderApp, pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*"ung01", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def test_sentences_and_ends() -> None:
    text = "Jeg sluttet. Det var tungt, ærlig talt! Så begynte jeg igjen"
    span = SpanSelection.start(text, 100)
    one = span.move_end_by_sentence(1)
    assert text[one.words[one.first][0] : one.words[one.last][1]] == "Jeg sluttet."
    two = one.move_end_by_sentence(1)
    assert text[two.words[two.last][1] - 5 : two.words[two.last][1]] == "talt!"
    assert two.move_end_by_sentence(-1) == one
    whole = span.to_end()
    assert whole.range == (100, 100 + len(text))
    assert whole.move_start(3).from_start().range == whole.range
    picked = span.covering(text.index("tungt"), text.index("tungt") + 2)
    assert text[picked.range[0] - 100 : picked.range[1] - 100] == "tungt,"


async def test_span_by_sentence_and_to_the_end_then_code(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        excerpt = screen.session.current
        await pilot.press("s", "down")  # the first sentence, in one key
        assert screen.span is not None
        start, end = screen.span.range
        sentence = excerpt.text[: end - excerpt.start]
        assert sentence.rstrip().endswith((".", "!", "?", "…")) and len(sentence.split()) > 2
        await pilot.press("end", "1")  # to the end of the excerpt, then code it
    [coding] = codings_of(project_dir, "kari")
    assert coding[2] == "disconnect.relational"
    assert coding[3] is None and coding[4] is None  # the whole excerpt is stored as no span


async def test_a_mouse_drag_selects_words_and_a_hotkey_codes_them(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        excerpt = screen.session.current
        view = screen.query_one(ExcerptView)
        words = excerpt.text.split()
        first = excerpt.text.index(words[2])
        last = excerpt.text.index(words[4]) + len(words[4]) - 1
        (x1, y1), (x2, y2) = view.cell_of(first + 1), view.cell_of(last)
        # content cells -> widget offsets (the view has one column of padding on the left)
        await pilot.mouse_down(ExcerptView, offset=(x1 + 1, y1))
        await pilot.mouse_up(ExcerptView, offset=(x2 + 1, y2))
        await pilot.pause()
        assert screen.span is not None
        start, end = screen.span.range
        assert excerpt.text[start - excerpt.start : end - excerpt.start] == " ".join(words[2:5])
        await pilot.press("1")
    [coding] = codings_of(project_dir, "kari")
    assert coding[3] == start and coding[4] == end
