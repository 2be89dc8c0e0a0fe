"""Pilot tests of the suggestions panel: accept (a, A), reject (x), shown suggestions stored."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import codings_of, rows

from coder.tui.app import make_app
from coder.tui.screens.coding_screen import CodingScreen

SIZE = (140, 40)


async def open_with_suggestions(app, pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    """Open ung03 and move on until the panel shows suggestions (computed in a worker)."""
    await pilot.press(*"ung03", "enter")
    for _ in range(30):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        if screen.visible_suggestions():
            return screen
        await pilot.press("j")
    raise AssertionError("no excerpt with suggestions in ung03")


async def test_accept_reject_and_record(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        session = screen.session
        assert session is not None
        excerpt = session.current
        shown = screen.visible_suggestions()
        top = shown[0]
        assert top.reasons and all(0 <= r.start < r.end <= len(excerpt.text) for r in top.reasons)
        # the reason's words are really in the excerpt
        assert any(excerpt.text[r.start : r.end].strip() for r in top.reasons)
        await pilot.press("a")
        assert (excerpt.id, top.code_id) in {
            (e, c) for e, codes in session.codes.items() for c, _ in codes
        }
        second = screen.visible_suggestions()
        if second:
            await pilot.press("x")
            assert second[0].code_id not in {s.code_id for s in screen.visible_suggestions()}
            rejected = rows(
                project_dir, "SELECT payload FROM events WHERE kind = 'suggestion.reject'"
            )
            assert len(rejected) == 1 and second[0].code_id in str(rejected[0][0])
        await app.workers.wait_for_complete()
    mine = codings_of(project_dir, "kari")
    assert ("ung03", excerpt.seq, top.code_id, None, None, "suggestion") in mine
    model = rows(
        project_dir,
        "SELECT count(*) FROM codings c JOIN coders k ON k.id = c.coder_id WHERE k.name = 'model'",
    )
    assert model[0][0] >= 1  # what the model showed is stored under the coder `model`


async def test_accept_all_above_threshold_and_nothing_without_a_key(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        session = screen.session
        assert session is not None
        assert codings_of(project_dir, "kari") == []  # shown, never applied without a keystroke
        above = [s.code_id for s in screen.visible_suggestions() if s.above_threshold]
        assert above, screen.visible_suggestions()
        await pilot.press("A")
        applied = {code for code, _ in session.codes_of(session.current)}
        assert set(above) <= applied


async def test_most_uncertain_jumps_to_an_unreviewed_excerpt(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        session = screen.session
        assert session is not None
        start = session.current.id
        await pilot.press("space")  # reviewed: the jump must not come back here
        await pilot.press("ctrl+u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert session.current.id != start
        assert session.current.codable and session.current.id not in session.reviewed
        service = screen.suggestions
        assert service is not None
        expected = service.most_uncertain(session.transcript_id)
        # nothing changed since the jump, so the ranking still puts this excerpt first
        assert expected == session.current.id


async def test_a_rejected_suggestion_stays_rejected_after_a_restart(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        assert screen.session is not None
        excerpt = screen.session.current
        top = screen.visible_suggestions()[0]
        await pilot.press("x")
        await app.workers.wait_for_complete()
    again = make_app(project_dir, coder="kari")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # home offers the transcript and excerpt where kari was
        for _ in range(30):
            await again.workers.wait_for_complete()
            await pilot.pause()
            screen = again.screen
            assert isinstance(screen, CodingScreen) and screen.session is not None
            assert screen.session.current.id == excerpt.id
            if screen.suggestions is not None and excerpt.id in screen.suggestions.cache:
                break
        else:
            raise AssertionError("suggestions never computed after the restart")
        assert top.code_id not in {s.code_id for s in screen.visible_suggestions()}


async def test_u_takes_a_rejection_back_and_ctrl_r_rejects_again(project_dir: Path) -> None:
    from coder.tui.widgets.status_line import StatusLine
    from coder.tui.widgets.suggestion_panel import SuggestionPanel

    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        session = screen.session
        assert session is not None
        excerpt = session.current
        top = screen.visible_suggestions()[0]
        label = app.project.codebook.code(top.code_id).label_in(app.language)
        panel = screen.query_one(SuggestionPanel)

        def top_line() -> str:  # the panel's first line: what a/x act on
            return panel.content.plain.split("\n")[0]

        assert "a/x" in top_line() and label in top_line()
        await pilot.press("x")
        assert top.code_id not in {s.code_id for s in screen.visible_suggestions()}
        assert label not in top_line()
        await pilot.press("j")  # away from it: undo brings the coder back to the excerpt
        await app.workers.wait_for_complete()
        await pilot.press("u")
        assert session.current.id == excerpt.id
        assert screen.visible_suggestions()[0].code_id == top.code_id  # offered again, on top
        assert "a/x" in top_line() and label in top_line()
        status = screen.query_one(StatusLine).message
        assert status == f"undid the rejection of {screen.code_name(top.code_id)}"
        assert codings_of(project_dir, "kari") == []  # undo touched no coding
        [(rejection, payload)] = rows(
            project_dir, "SELECT id, payload FROM events WHERE kind = 'suggestion.reject'"
        )
        assert top.code_id in str(payload)
        undone = rows(project_dir, "SELECT target_event FROM events WHERE kind = 'undo'")
        assert undone == [(rejection,)]
        await pilot.press("ctrl+r")
        assert top.code_id not in {s.code_id for s in screen.visible_suggestions()}
        assert label not in top_line()
        await app.workers.wait_for_complete()
    redone = rows(project_dir, "SELECT target_event FROM events WHERE kind = 'redo'")
    assert redone == [(rejection,)]


async def test_panel_says_why_the_model_gave_nothing(project_dir: Path) -> None:
    from coder.suggest.model_folder import coder_folder_name
    from coder.tui.widgets.suggestion_panel import SuggestionPanel

    # another coder's model folder exists; kari has none yet
    (project_dir / ".coder" / "models" / coder_folder_name("ola")).mkdir(parents=True)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_suggestions(app, pilot)
        shown = str(screen.query_one(SuggestionPanel).content)
        assert "model for kari not trained yet: 0 of 20 codings" in shown
