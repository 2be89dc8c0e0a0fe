"""Issue 16.4: merges are lossless, proven on random work in two copies (hypothesis).

Two coders work in their own copies with random operations (codes on excerpts and spans, toggles
that mark reviewed, reviewed marks, "the rest has no codes", ratings, memos on excerpts, codes,
cases and the project, edits and deletions, suggestion rejections, positions, undo and redo);
their returns are merged into the lead's project in both orders, then again after more random
work. Every coding, review, memo, rating, position and event of each coder in the lead's project
equals the copy's own database, row for row (``support.team_rows`` reads both independently).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coder.project.project import Project
from coder.store.coder_view import save_position
from coder.store.history import redo, undo
from coder.store.operations import (
    add_memo,
    delete_memo,
    edit_memo,
    mark_rest_reviewed,
    mark_reviewed,
    set_rating,
    toggle_code,
)
from coder.store.queries import find_memos, load_excerpts
from coder.store.suggestion_writes import log_rejection
from coder.team.handout import handout
from coder.team.join import join
from coder.team.merge import merge_returns
from coder.team.team_return import write_return
from support.team_projects import lead_project
from support.team_rows import coder_rows

CODERS = ("ada", "cato")
CODES = ("risk.ses", "risk.family", "disconnect.relational")
LEVELS = (None, "steady", "wavering", "trembling")

excerpt = st.integers(0, 9)
operation = st.one_of(
    st.tuples(st.just("toggle"), excerpt, st.integers(0, 2), st.booleans(), st.booleans()),
    st.tuples(st.just("review"), excerpt, st.booleans(), st.booleans()),
    st.tuples(st.just("rest"), st.lists(excerpt, min_size=1, max_size=3)),
    st.tuples(st.just("rate"), st.sampled_from(("c1", "c2")), st.sampled_from(LEVELS)),
    st.tuples(st.just("memo"), st.sampled_from(("excerpt", "code", "case", "project")), excerpt),
    st.tuples(
        st.just("edit"), st.integers(0, 5), st.text("æøå xyz", max_size=8).map(lambda t: "m" + t)
    ),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("reject"), excerpt, st.integers(0, 2)),
    st.tuples(st.just("position"), st.sampled_from(("t1", "t2")), st.integers(1, 8)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)
work = st.lists(operation, max_size=12)


def _codable(copy: Project) -> list[Any]:
    return [e for t in ("t1", "t2") for e in load_excerpts(copy, t) if e.codable]


def run(copy: Project, coder: str, operations: list[tuple[Any, ...]]) -> None:
    """Apply the operations in the coder's copy, as the app would."""
    units = _codable(copy)
    for op in operations:
        kind = op[0]
        if kind == "toggle":
            unit, code = units[op[1]], CODES[op[2]]
            span = (unit.start + 1, unit.start + 6) if op[3] else None
            toggle_code(copy, coder, unit.id, code, span=span, review=op[4])
        elif kind == "review":
            mark_reviewed(copy, coder, units[op[1]].id, op[2], undoable=op[3])
        elif kind == "rest":
            mark_rest_reviewed(copy, coder, sorted({units[i].id for i in op[1]}))
        elif kind == "rate":
            set_rating(copy, coder, op[1], "relational_robustness", op[2])
        elif kind == "memo":
            target: dict[str, Any] = {
                "excerpt": {"excerpt_id": units[op[2]].id},
                "code": {"code_id": CODES[op[2] % 3]},
                "case": {"case_id": "c1"},
                "project": {},
            }[op[1]]
            add_memo(copy, coder, f"notat {op[2]} om skolen – ærlig", **target)
        elif kind in ("edit", "delete"):
            memos = find_memos(copy, coder=coder)
            if memos:
                memo = memos[op[1] % len(memos)]["id"]
                if kind == "edit":
                    edit_memo(copy, coder, memo, op[2])
                else:
                    delete_memo(copy, coder, memo)
        elif kind == "reject":
            log_rejection(copy, coder, units[op[1]].id, CODES[op[2]])
        elif kind == "position":
            save_position(copy, coder, op[1], op[2])
        elif kind == "undo":
            undo(copy, coder)
        else:
            redo(copy, coder)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lead's project (bo has coded in it) and a hand-out for each coder, built once."""
    folder = tmp_path_factory.mktemp("team")
    with lead_project(folder / "lead") as lead:
        for coder in CODERS:
            handout(lead, coder, folder / f"{coder}.coderpack")
    return folder


def _merge(lead: Project, paths: list[Path]) -> None:
    merge_returns(lead, paths)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.tuples(work, work), second=st.tuples(work, work))
@example(  # everything made in the first round taken back in the second, by undo and by hand
    first=(
        [
            ("toggle", 1, 0, False, True),
            ("review", 2, True, False),
            ("memo", "excerpt", 3),
            ("rate", "c1", "steady"),
            ("toggle", 4, 1, True, False),
            ("position", "t1", 3),
        ],
        [("rest", [0, 5]), ("memo", "project", 0), ("reject", 2, 1)],
    ),
    second=(
        [
            ("undo",),
            ("undo",),
            ("undo",),
            ("review", 2, False, False),
            ("redo",),
            ("delete", 0),
            ("position", "t1", 5),
        ],
        [("undo",), ("edit", 0, "mendret"), ("toggle", 5, 2, False, True)],
    ),
)
def test_merged_work_equals_each_copy_row_for_row_in_any_order_and_after_more_work(
    template: Path, first: tuple[list[Any], list[Any]], second: tuple[list[Any], list[Any]]
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        leads = []
        for name in ("ab", "ba"):
            shutil.copytree(template / "lead", root / name)
            leads.append(Project.open(root / name))
        copies = {}
        for coder in CODERS:
            join(template / f"{coder}.coderpack", root / coder)
            copies[coder] = Project.open(root / coder)
        try:
            bo_before = coder_rows(leads[0], "bo")
            for round_ in (first, second):
                paths = []
                for coder, operations in zip(CODERS, round_, strict=True):
                    run(copies[coder], coder, operations)
                    path = root / f"{coder}-{len(paths)}-{id(round_)}.coderpack"
                    write_return(copies[coder], path)
                    paths.append(path)
                _merge(leads[0], paths)
                _merge(leads[1], paths[::-1])
                for coder in CODERS:
                    mine = coder_rows(copies[coder], coder)
                    assert coder_rows(leads[0], coder) == mine
                    assert coder_rows(leads[1], coder) == mine
                assert coder_rows(leads[0], "bo") == bo_before
            again = merge_returns(leads[0], paths)  # the same files again: nothing changes
            assert all(not m.change.touched for m in again)
            for coder in CODERS:
                assert coder_rows(leads[0], coder) == coder_rows(copies[coder], coder)
        finally:
            for project in [*leads, *copies.values()]:
                project.close()
