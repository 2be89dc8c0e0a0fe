"""Pilot tests of code retrieval: own codings for coders, a lead's choice, context, Enter jumps."""

from __future__ import annotations

import csv
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from coder.agreement.adjudication import record_consensus
from coder.project.project import Project
from coder.store.operations import apply_code, mark_reviewed, set_rating
from coder.store.queries import load_excerpts
from coder.tui.app import make_app
from coder.tui.screens.coding_screen import CodingScreen
from coder.tui.screens.retrieval_screen import RetrievalScreen
from coder.tui.widgets.code_tree import CodeTree
from support.lead_projects import open_coding, settle

SIZE = (140, 40)
BULLYING = "risk.psychosocial.bullying"
LONELY = "risk.psychosocial.loneliness"


def code_both(folder: Path) -> dict[str, list[int]]:
    """kari: bullying on ung01's participant turns 1-3 (loneliness on the 2nd), ung03's 1st;
    ola: bullying on ung01's 4th; kari rates ung01 trembling. Returns codable ids."""
    with Project.open(folder) as project:
        ids = {
            tid: [e.id for e in load_excerpts(project, tid) if e.codable]
            for tid in ("ung01", "ung03")
        }
        for excerpt_id in ids["ung01"][:3] + ids["ung03"][:1]:
            apply_code(project, "kari", excerpt_id, BULLYING)
        apply_code(project, "kari", ids["ung01"][1], LONELY)
        apply_code(project, "ola", ids["ung01"][3], BULLYING)
        set_rating(project, "kari", "ung01", "relational_robustness", "trembling")
    return ids


async def ready(app: object, pilot: object) -> None:
    """Let the screen mount, its retrieval worker finish and the result be shown."""
    await pilot.pause()  # type: ignore[attr-defined]
    await settle(app)
    await pilot.pause()  # type: ignore[attr-defined]


async def run_query(app: object, pilot: object, text: str) -> RetrievalScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RetrievalScreen)
    box = screen.query_one(Input)
    box.value = text
    box.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await ready(app, pilot)
    return screen


async def test_a_coder_retrieves_own_segments_in_context_and_jumps(project_dir: Path) -> None:
    ids = code_both(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        await ready(app, pilot)
        screen = await run_query(app, pilot, "mobbing and not Ensomhet")
        found = screen.retrieval
        assert found is not None
        got = [(s.transcript_id, s.excerpt_id, s.coder) for s in found.segments]
        expected = [("ung01", ids["ung01"][0], "kari"), ("ung01", ids["ung01"][2], "kari")]
        assert got == expected + [("ung03", ids["ung03"][0], "kari")]  # never ola's
        first = found.segments[0]
        assert first.case_id == "ung01" and first.speaker == "Deltaker"
        assert first.rating == "trembling" and first.rating_source == "coder"
        assert found.segments[2].rating is None  # ung03: kari did not rate it
        listing = screen.query_one(OptionList)
        assert listing.option_count == 3
        assert "Skjelvende" in str(listing.get_option_at_index(0).prompt)
        context = str(screen.query_one("#retrieve-context", Static).render())
        assert first.before and first.before[-1].text[:30] in context  # the question before
        assert first.text[:30] in context
        await pilot.press("down", "enter")  # the second segment
        await ready(app, pilot)
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.session is not None
        assert coding.transcript_id == "ung01"
        assert coding.session.excerpts[coding.session.index].id == ids["ung01"][2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_a_bad_query_says_why_and_keeps_the_screen(project_dir: Path) -> None:
    code_both(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        app.open_retrieval()
        await pilot.pause()
        screen = await run_query(app, pilot, "mobing and (")
        assert screen.retrieval is None
        assert screen.error is not None and "unknown code 'mobing'" in screen.error
        assert "did you mean 'Mobbing'" in screen.error
        status = screen.query_one("#retrieve-status", Static)
        assert status.has_class("problem") and "mobing" in str(status.render())
        screen = await run_query(app, pilot, "Mobbing and (Ensomhet")
        assert screen.error is not None and "'(' at character 13 is not closed" in screen.error


async def test_a_lead_chooses_whose_codings_including_the_consensus_layer(
    project_dir: Path,
) -> None:
    ids = code_both(project_dir)
    with Project.open(project_dir) as project:
        for coder in ("kari", "ola"):
            for excerpt_id in ids["ung01"][:4]:
                mark_reviewed(project, coder, excerpt_id)
        record_consensus(project, ids["ung01"][3], BULLYING, True, coders=("kari", "ola"))
    app = make_app(project_dir, coder="lead", lead=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.open_retrieval(BULLYING)
        await ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.retrieval is not None, screen.error
        assert {s.coder for s in screen.retrieval.segments} == {"kari", "ola"}
        assert [label for label, _ in screen.choices()] == [
            "every human coder",
            "coder kari",
            "coder lead",
            "coder ola",
            "the consensus layer",
        ]
        await pilot.press("ctrl+o", "ctrl+o", "ctrl+o")  # every -> kari -> lead -> ola
        await ready(app, pilot)
        assert [s.coder for s in screen.retrieval.segments] == ["ola"]
        assert "coder ola" in screen.sub_title
        await pilot.press("ctrl+o")
        await ready(app, pilot)
        layer = screen.retrieval.segments
        # kari had 1-3, ola 4: kari's 1-3 are undecided disagreements, the 4th was decided yes
        assert [(s.coder, s.excerpt_id) for s in layer] == [("consensus", ids["ung01"][3])]


async def test_from_the_code_tree_and_exported(project_dir: Path) -> None:
    code_both(project_dir)
    app = make_app(project_dir, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        coding = await open_coding(app, pilot)
        tree = coding.query_one(CodeTree)
        tree.focus()
        await pilot.pause()
        tree.move_cursor(tree._code_nodes[LONELY])
        await pilot.press("ctrl+g")
        await ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.query_one(Input).value == LONELY
        assert screen.retrieval is not None and len(screen.retrieval.segments) == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
    (markdown,) = (project_dir / "reports").glob("retrieval-*.md")
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith(f"# Retrieval: {LONELY}".replace("_", "\\_"))
    assert "Whose codings: coder kari" in text and "Skjelvende (coder)" in text
    (table,) = (project_dir / "reports").glob("retrieval-*.csv")
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["transcript"], r["coder"], r["relational_robustness"]) for r in rows] == [
        ("ung01", "kari", "trembling")
    ]
    assert rows[0]["codes"] == f"{BULLYING}; {LONELY}"
