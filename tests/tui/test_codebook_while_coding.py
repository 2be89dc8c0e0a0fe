"""Pilot: the codebook grows while coding: ctrl+n, in vivo, a file edited by hand, a conflict.

Each test asserts on the database (a fresh connection) and on the YAML file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import codings_of, rows

from coder.codebook import load_codebook
from coder.tui.app import CoderApp, make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.new_code_screen import NewCodeScreen
from coder.tui.widgets.code_tree import CodeTree

SIZE = (120, 40)
BOOK = Path("codebooks") / "relational-robustness.yaml"


async def open_ung01(app: CoderApp, pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*"ung01", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen


def versions(folder: Path, coder: str) -> list[tuple[object, ...]]:
    return rows(
        folder,
        "SELECT c.code_id, c.codebook_version FROM codings c JOIN coders k ON k.id = c.coder_id"
        " WHERE k.name = :coder ORDER BY c.id",
        coder=coder,
    )


async def test_ctrl_n_creates_a_code_with_a_free_hotkey_and_applies_it(project_dir: Path) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        seq = screen.session.current.seq
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewCodeScreen)
        await pilot.press(*"Søvnvansker")  # the label in the project's language (nb)
        await pilot.press("tab", *"Sleep problems", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        book = app.project.codebook
        code = next(c for c in book.codes if c.label.get("nb") == "Søvnvansker")
        assert code.label["en"] == "Sleep problems" and code.hotkey is not None
        assert "Søvnvansker" in screen.last_message and "applied" in screen.last_message
        tree = screen.query_one(CodeTree)
        assert code.id in tree._code_nodes  # shown in the tree at once
        # the hotkey toggles it like any other code
        await pilot.press(code.hotkey)
        await pilot.pause()
        await pilot.press(code.hotkey)
        await pilot.pause()
    on_disk = load_codebook(project_dir / BOOK)
    assert on_disk.version == "1.1.0"
    assert on_disk.code(code.id).hotkey == code.hotkey
    assert ("ung01", seq, code.id, None, None, "manual") in codings_of(project_dir, "kari")
    assert versions(project_dir, "kari") == [(code.id, "1.1.0")]
    kinds = [r[0] for r in rows(project_dir, "SELECT kind FROM events ORDER BY id")]
    assert "codebook.add" in kinds


async def test_in_vivo_in_span_mode_names_the_code_by_the_selected_words(
    project_dir: Path,
) -> None:
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        excerpt = screen.session.current
        await pilot.press("s", "right", "right")  # three words
        assert screen.span is not None
        start, end = screen.span.range
        words = excerpt.text[start - excerpt.start : end - excerpt.start]
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # no form: one key
        assert screen.span is None
    book = load_codebook(project_dir / BOOK)
    code = book.codes[-1] if book.codes[-1].parent is None else None
    found = [c for c in book.codes if c.label.get("nb") == words.strip(" ,.!?")]
    assert found, (words, [c.label for c in book.codes[-3:]])
    code = found[0]
    assert code.parent is None and code.codable
    assert ("ung01", excerpt.seq, code.id, start, end, "manual") in codings_of(project_dir, "kari")


async def test_a_file_edited_by_hand_is_reloaded_and_a_conflict_is_refused(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coder.tui.screens.coding.codebook_actions as actions

    monkeypatch.setattr(actions, "RELOAD_SECONDS", 3600.0)  # the test looks, not the timer
    path = project_dir / BOOK
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        # by hand, while the app runs: a new label for risk.ses
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("{nb: Lav sosioøkonomisk status,", "{nb: Dårlig råd hjemme,"), "utf-8"
        )
        assert screen.check_codebook_file()
        await pilot.pause()
        assert app.project.codebook.code("risk.ses").label["nb"] == "Dårlig råd hjemme"
        assert "codebook reloaded" in screen.last_message
        # both changed: the form is open while someone edits the file again
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Konflikt")
        edited = path.read_text(encoding="utf-8") + "# edited again\n"
        path.write_text(edited, encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert "was not created" in screen.last_message
        assert path.read_text(encoding="utf-8") == edited  # never overwritten
        assert not any(c.label.get("nb") == "Konflikt" for c in app.project.codebook.codes)
        # an invalid file is reported and the codebook in use is kept
        path.write_text(edited.replace("codes:", "kodes:", 1), encoding="utf-8")
        assert not screen.check_codebook_file()
        assert app.project.codebook.has_code("risk.ses")
    path.write_text(edited, encoding="utf-8")
    kinds = [r[0] for r in rows(project_dir, "SELECT kind FROM events ORDER BY id")]
    assert "codebook.add" not in kinds


async def test_a_teams_coder_cannot_change_the_codebook(project_dir: Path) -> None:
    from coder.project.project import Project
    from coder.store.operations import mark_reviewed
    from coder.store.queries import load_excerpts

    with Project.open(project_dir) as project:  # someone else codes here too
        mark_reviewed(project, "ola", load_excerpts(project, "ung01")[1].id)
    text = (project_dir / BOOK).read_text(encoding="utf-8")
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await open_ung01(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # no form
    assert (project_dir / BOOK).read_text(encoding="utf-8") == text
    lead = make_app(project_dir, coder="kari", lead=True)
    async with lead.run_test(size=SIZE) as pilot:
        await open_ung01(lead, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(lead.screen, NewCodeScreen)  # the lead may


async def test_a_teams_coder_proposes_a_code_others_do_not_see(project_dir: Path) -> None:
    from coder.project.project import Project
    from coder.store.operations import mark_reviewed
    from coder.store.queries import load_excerpts

    with Project.open(project_dir) as project:
        mark_reviewed(project, "ola", load_excerpts(project, "ung01")[1].id)
    config = project_dir / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[codebook]\ncoders_may_add = true\n", "utf-8"
    )
    text = (project_dir / BOOK).read_text(encoding="utf-8")
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewCodeScreen) and app.screen.proposal
        await pilot.press(*"Forslag", "enter")
        await pilot.pause()
        assert "proposed" in screen.last_message
    assert (project_dir / BOOK).read_text(encoding="utf-8") == text  # the lead's file
    proposed = rows(project_dir, "SELECT code_id, status FROM code_proposals")
    assert proposed == [("risk.forslag", "open")]  # beside the code under the tree cursor
    assert [c[2] for c in codings_of(project_dir, "kari")] == ["risk.forslag"]
    other = make_app(project_dir, coder="ola")
    async with other.run_test(size=SIZE) as pilot:
        await open_ung01(other, pilot)
        assert not other.project.codebook.has_code("risk.forslag")  # blind


async def test_ctrl_b_edits_merges_splits_and_retires_from_the_tree(project_dir: Path) -> None:
    from textual.widgets import Input, SelectionList

    from coder.tui.screens.code_edit_screen import CodeEditScreen
    from coder.tui.screens.split_screen import SplitScreen

    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ung01(app, pilot)
        assert screen.session is not None
        first = screen.session.current
        tree = screen.query_one(CodeTree)
        screen.toggle_code("risk.ses")
        await pilot.pause()
        # edit the English label of the code under the tree cursor (risk.ses)
        tree.select_code("risk.ses")
        await pilot.press("ctrl+b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeEditScreen)
        form.query_one("#label-en", Input).value = "Low SES"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.project.codebook.code("risk.ses").label["en"] == "Low SES"
        # merge risk.ses into risk.family: the coding moves
        await pilot.press("ctrl+b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeEditScreen)
        form.query_one("#targets", SelectionList).select("risk.family")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.project.codebook.code("risk.ses").merged_into == "risk.family"
        assert "risk.ses" not in tree._code_nodes  # retired: out of the tree
        assert {c for c, _ in screen.session.codes_of(first)} == {"risk.family"}
        # split risk.family into two codes, picking per coding (one coding: key 2)
        tree.select_code("risk.family")
        await pilot.press("ctrl+b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeEditScreen)
        targets = form.query_one("#targets", SelectionList)
        targets.select("risk.minority")
        targets.select("risk.school")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, SplitScreen)
        await pilot.press("2", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        # retire risk.minority
        tree.select_code("risk.minority")
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.project.codebook.code("risk.minority").retired
        await pilot.press("u")  # undo takes the retiring back, file and all
        await pilot.pause()
        assert not app.project.codebook.code("risk.minority").retired
        assert "risk.minority" in tree._code_nodes
        await pilot.press("ctrl+r")  # and redo makes it again
        await pilot.pause()
        assert app.project.codebook.code("risk.minority").retired
    book = load_codebook(project_dir / BOOK)
    assert book.code("risk.ses").label["en"] == "Low SES"
    assert book.code("risk.ses").merged_into == "risk.family"
    assert book.code("risk.family").split_into == ("risk.minority", "risk.school")
    assert book.code("risk.minority").retired
    assert [c[2] for c in codings_of(project_dir, "kari")] == ["risk.school"]
    kinds = [r[0] for r in rows(project_dir, "SELECT kind FROM events ORDER BY id")]
    assert [k for k in kinds if k.startswith("codebook.")] == [
        "codebook.edit",
        "codebook.merge",
        "codebook.split",
        "codebook.retire",
    ]
