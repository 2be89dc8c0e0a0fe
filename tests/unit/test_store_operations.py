"""Operations over a project: codes, spans, reviewed marks, ratings, memos, events, queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from coder.errors import CoderError, NotFoundError
from coder.project.project import Project
from coder.store import operations as ops
from coder.store.importer import import_transcript
from coder.store.queries import (
    coder_codings_by_excerpt,
    find_codings,
    find_memos,
    load_excerpts,
    ratings,
    reviewed_excerpts,
    status,
)
from coder.store.schema import coders, codings, events

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

CODE = "risk.psychosocial.loneliness"
OTHER = "risk.psychosocial.bullying"
GROUP = "risk"


def all_events(project: Project) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(kind, coder name, payload) of every event, oldest first."""
    query = (
        select(events.c.kind, coders.c.name, events.c.payload)
        .select_from(events.outerjoin(coders, coders.c.id == events.c.coder_id))
        .order_by(events.c.id)
    )
    with project.store.engine.connect() as conn:
        return [(kind, name, json.loads(payload)) for kind, name, payload in conn.execute(query)]


def coding_count(project: Project) -> int:
    with project.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(codings)).scalar_one())


@pytest.fixture
def ids(project: Project, excerpt_ids: Callable[..., list[int]]) -> list[int]:
    """Excerpt ids of ``intervju``: ids[0] is excerpt 1 (interviewer), ids[1] excerpt 2 ..."""
    return excerpt_ids(project)


# --- codes ------------------------------------------------------------------------------------


def test_apply_code_stores_one_coding_and_is_idempotent(project: Project, ids: list[int]) -> None:
    assert ops.apply_code(project, "kari", ids[1], CODE) is True
    assert ops.apply_code(project, "kari", ids[1], CODE) is False
    [row] = find_codings(project)
    assert (row.transcript_id, row.seq, row.excerpt_id) == ("intervju", 2, ids[1])
    assert (row.code_id, row.coder, row.origin, row.span) == (CODE, "kari", "manual", None)
    assert row.case_id == "intervju"


def test_remove_code_removes_only_that_coders_coding(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.apply_code(project, "ola", ids[1], CODE)
    assert ops.remove_code(project, "kari", ids[1], CODE) is True
    assert ops.remove_code(project, "kari", ids[1], CODE) is False
    assert ops.remove_code(project, "nobody", ids[1], CODE) is False
    assert [(r.coder, r.code_id) for r in find_codings(project)] == [("ola", CODE)]
    assert "nobody" not in status(project)["coders"]


def test_toggle_code_applies_then_removes(project: Project, ids: list[int]) -> None:
    assert ops.toggle_code(project, "kari", ids[3], OTHER) is True
    assert [r.code_id for r in find_codings(project)] == [OTHER]
    assert ops.toggle_code(project, "kari", ids[3], OTHER) is False
    assert find_codings(project) == []
    assert [kind for kind, _, _ in all_events(project)][-2:] == ["coding.apply", "coding.remove"]


def test_spans_are_codings_of_their_own(project: Project, ids: list[int]) -> None:
    excerpt = load_excerpts(project, "intervju")[1]
    word = excerpt.text.index("ensom")
    span = (excerpt.start + word, excerpt.start + word + len("ensom"))
    assert ops.apply_code(project, "kari", ids[1], CODE, span=span) is True
    assert ops.apply_code(project, "kari", ids[1], CODE) is True  # the whole excerpt as well
    assert ops.apply_code(project, "kari", ids[1], CODE, span=span) is False
    spans = sorted((r.span for r in find_codings(project)), key=lambda s: s or (-1, -1))
    assert spans == [None, span]
    assert ops.remove_code(project, "kari", ids[1], CODE, span=span) is True
    assert [r.span for r in find_codings(project)] == [None]
    assert ops.toggle_code(project, "kari", ids[1], CODE, span=span) is True
    assert coder_codings_by_excerpt(project, "kari", "intervju")[ids[1]] == [
        (CODE, None),
        (CODE, span),
    ]


def test_a_span_covering_the_whole_excerpt_is_the_excerpt_coding(
    project: Project, ids: list[int]
) -> None:
    excerpt = load_excerpts(project, "intervju")[1]
    assert ops.apply_code(project, "kari", ids[1], CODE, span=(excerpt.start, excerpt.end))
    assert ops.apply_code(project, "kari", ids[1], CODE) is False
    assert [r.span for r in find_codings(project)] == [None]


@pytest.mark.parametrize("offsets", [(-1, 5), (0, 0), (5, 3), (0, 10_000)])
def test_a_span_outside_the_excerpt_is_refused(
    project: Project, ids: list[int], offsets: tuple[int, int]
) -> None:
    excerpt = load_excerpts(project, "intervju")[1]
    span = (excerpt.start + offsets[0], excerpt.start + offsets[1])
    with pytest.raises(CoderError, match="not inside excerpt"):
        ops.apply_code(project, "kari", ids[1], CODE, span=span)
    assert coding_count(project) == 0


@pytest.mark.parametrize(
    ("code", "excerpt", "error", "message"),
    [
        (GROUP, 1, CoderError, "group heading"),
        ("no.such.code", 1, NotFoundError, "unknown code 'no.such.code'"),
        (CODE, 10_000, NotFoundError, "unknown excerpt"),
    ],
    ids=["group", "unknown-code", "unknown-excerpt"],
)
def test_refused_codes_leave_nothing_behind(
    project: Project,
    ids: list[int],
    code: str,
    excerpt: int,
    error: type[Exception],
    message: str,
) -> None:
    target = ids[excerpt] if excerpt < len(ids) else excerpt
    before = all_events(project)
    for action in (ops.apply_code, ops.toggle_code):
        with pytest.raises(error, match=message):
            action(project, "kari", target, code)
    assert coding_count(project) == 0
    assert all_events(project) == before
    assert status(project)["coders"] == {}  # not even the coder's name was registered


def test_an_interviewer_turn_can_be_coded(project: Project, ids: list[int]) -> None:
    assert load_excerpts(project, "intervju")[0].codable is False
    assert ops.apply_code(project, "kari", ids[0], CODE) is True


# --- reviewed ---------------------------------------------------------------------------------


def test_reviewed_without_a_code_is_distinct_from_not_reached(
    project: Project, ids: list[int]
) -> None:
    assert ops.mark_reviewed(project, "kari", ids[1]) is True  # looked at it, no code applies
    assert ops.mark_reviewed(project, "kari", ids[1]) is False
    ops.apply_code(project, "kari", ids[3], CODE)
    ops.mark_reviewed(project, "kari", ids[3])
    assert reviewed_excerpts(project, "kari") == {ids[1], ids[3]}
    assert reviewed_excerpts(project, "kari", "intervju") == {ids[1], ids[3]}
    codings_by_excerpt = coder_codings_by_excerpt(project, "kari", "intervju")
    assert ids[1] not in codings_by_excerpt  # reviewed, no code
    assert ids[5] not in codings_by_excerpt and ids[5] not in reviewed_excerpts(project, "kari")
    assert reviewed_excerpts(project, "ola") == set()
    assert status(project)["coders"]["kari"]["reviewed"] == 2
    assert ops.mark_reviewed(project, "kari", ids[1], reviewed=False) is True
    assert reviewed_excerpts(project, "kari") == {ids[3]}


def test_marking_an_unknown_excerpt_reviewed_is_refused(project: Project) -> None:
    with pytest.raises(NotFoundError, match="unknown excerpt"):
        ops.mark_reviewed(project, "kari", 10_000)


# --- ratings ----------------------------------------------------------------------------------


def test_set_and_clear_a_case_rating(project: Project) -> None:
    assert ops.set_rating(project, "kari", "intervju", "relational_robustness", "wavering")
    assert ops.set_rating(project, "kari", "intervju", "relational_robustness", "wavering") is False
    ops.set_rating(project, "ola", "intervju", "relational_robustness", "steady")
    assert ratings(project, case="intervju") == [
        {
            "case": "intervju",
            "attribute": "relational_robustness",
            "coder": "kari",
            "value": "wavering",
        },
        {
            "case": "intervju",
            "attribute": "relational_robustness",
            "coder": "ola",
            "value": "steady",
        },
    ]
    assert ops.set_rating(project, "kari", "intervju", "relational_robustness", None) is True
    assert ratings(project, coder="kari") == []
    assert status(project)["coders"]["ola"]["ratings"] == 1


@pytest.mark.parametrize(
    ("case", "attribute", "value", "error", "message"),
    [
        ("intervju", "relational_robustness", "solid", CoderError, "steady, wavering, trembling"),
        ("intervju", "no_such_attribute", "steady", NotFoundError, "unknown case attribute"),
        ("nobody", "relational_robustness", "steady", NotFoundError, "unknown case 'nobody'"),
        ("intervju", "age", "sytten", CoderError, "needs a number"),
        ("intervju", "age", "nan", CoderError, "needs a number"),
    ],
)
def test_invalid_ratings_are_refused(
    project: Project, case: str, attribute: str, value: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ops.set_rating(project, "kari", case, attribute, value)
    assert ratings(project) == []


def test_an_interval_rating_accepts_a_decimal_comma(project: Project) -> None:
    ops.set_rating(project, "kari", "intervju", "age", "17,5")
    assert ratings(project)[0]["value"] == "17.5"


# --- memos ------------------------------------------------------------------------------------


def test_memos_on_an_excerpt_a_case_a_code_and_the_project(
    project: Project, ids: list[int]
) -> None:
    on_excerpt = ops.add_memo(project, "kari", "Ensomhet – men også mobbing?", excerpt_id=ids[1])
    on_case = ops.add_memo(project, "kari", "Sårbar, men stødig nå", case_id="intervju")
    on_code = ops.add_memo(project, "kari", "Grensetilfelle mot mobbing", code_id=CODE)
    on_project = ops.add_memo(project, "kari", "Første runde ferdig")
    memos = {memo["id"]: memo for memo in find_memos(project, coder="kari")}
    assert memos[on_excerpt]["excerpt_id"] == ids[1]
    assert memos[on_case]["case_id"] == "intervju"
    assert memos[on_code]["code_id"] == CODE
    assert (memos[on_project]["excerpt_id"], memos[on_project]["case_id"]) == (None, None)
    assert [m["id"] for m in find_memos(project, excerpt_id=ids[1])] == [on_excerpt]


def test_edit_and_delete_a_memo(project: Project, ids: list[int]) -> None:
    memo = ops.add_memo(project, "kari", "første tanke", excerpt_id=ids[1])
    assert ops.edit_memo(project, "kari", memo, "andre tanke, bedre") is True
    assert ops.edit_memo(project, "kari", memo, "andre tanke, bedre") is False
    assert find_memos(project)[0]["text"] == "andre tanke, bedre"
    with pytest.raises(NotFoundError, match="no memo"):
        ops.edit_memo(project, "ola", memo, "ola's text")  # only its author edits a memo
    with pytest.raises(NotFoundError, match="no memo"):
        ops.delete_memo(project, "ola", memo)
    ops.delete_memo(project, "kari", memo)
    assert find_memos(project) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"text": "  "}, CoderError, "cannot be empty"),
        ({"text": "x", "case_id": "nobody"}, NotFoundError, "unknown case 'nobody'"),
        ({"text": "x", "code_id": "no.such"}, NotFoundError, "unknown code"),
        ({"text": "x", "excerpt_id": 10_000}, NotFoundError, "unknown excerpt"),
        ({"text": "x", "case_id": "intervju", "code_id": CODE}, CoderError, "one excerpt"),
    ],
)
def test_invalid_memos_are_refused(
    project: Project, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ops.add_memo(project, "kari", **kwargs)
    assert find_memos(project) == []


# --- events -----------------------------------------------------------------------------------


def test_every_action_appends_one_event(project: Project, ids: list[int]) -> None:
    from coder.store.history import redo, undo

    actions: list[tuple[str, Callable[[], object]]] = [
        ("coding.apply", lambda: ops.apply_code(project, "kari", ids[1], CODE)),
        ("coding.remove", lambda: ops.remove_code(project, "kari", ids[1], CODE)),
        ("coding.apply", lambda: ops.toggle_code(project, "kari", ids[1], OTHER)),
        ("review.mark", lambda: ops.mark_reviewed(project, "kari", ids[1])),
        (
            "rating.set",
            lambda: ops.set_rating(project, "kari", "intervju", "relational_robustness", "steady"),
        ),
        ("memo.add", lambda: ops.add_memo(project, "kari", "notat", excerpt_id=ids[1])),
        ("memo.edit", lambda: ops.edit_memo(project, "kari", 1, "nytt notat")),
        ("memo.delete", lambda: ops.delete_memo(project, "kari", 1)),
        ("undo", lambda: undo(project, "kari")),
        ("redo", lambda: redo(project, "kari")),
    ]
    for kind, action in actions:
        before = len(all_events(project))
        action()
        after = all_events(project)
        assert len(after) == before + 1, kind
        assert after[-1][:2] == (kind, "kari")
    apply_event = next(p for k, _, p in all_events(project) if k == "coding.apply")
    assert apply_event["excerpt"] == ids[1] and apply_event["code"] == CODE
    rating_event = next(p for k, _, p in all_events(project) if k == "rating.set")
    assert (rating_event["before"], rating_event["after"]) == (None, "steady")


def test_a_no_op_appends_no_event(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.mark_reviewed(project, "kari", ids[1])
    before = all_events(project)
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.mark_reviewed(project, "kari", ids[1])
    ops.remove_code(project, "kari", ids[3], CODE)
    assert all_events(project) == before


# --- queries ----------------------------------------------------------------------------------


@pytest.fixture
def two_transcripts(
    project: Project, ids: list[int], write_transcript: Callable[..., Path]
) -> dict[str, list[int]]:
    """intervju (case intervju) and annen (case ung09), coded by kari and ola."""
    from coder.store.queries import load_excerpts

    path = write_transcript(
        project.root,
        "annen.txt",
        "Deltaker: Jeg var mye alene.\n\nDeltaker: Og på skolen ble jeg mobbet.\n",
    )
    import_transcript(project, path, case_id="ung09")
    other = [e.id for e in load_excerpts(project, "annen")]
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.apply_code(project, "kari", other[0], CODE)
    ops.apply_code(project, "kari", other[1], OTHER)
    ops.apply_code(project, "ola", ids[3], OTHER)
    return {"intervju": ids, "annen": other}


def test_find_codings_by_coder_transcript_code_and_case(
    project: Project, two_transcripts: dict[str, list[int]]
) -> None:
    def keys(**filters: str) -> list[tuple[str, int, str, str]]:
        return [
            (r.transcript_id, r.seq, r.code_id, r.coder) for r in find_codings(project, **filters)
        ]

    assert keys(coder="kari") == [
        ("annen", 1, CODE, "kari"),
        ("annen", 2, OTHER, "kari"),
        ("intervju", 2, CODE, "kari"),
    ]
    assert keys(coder="ola") == [("intervju", 4, OTHER, "ola")]
    assert keys(transcript="intervju") == [
        ("intervju", 2, CODE, "kari"),
        ("intervju", 4, OTHER, "ola"),
    ]
    assert keys(code=OTHER) == [("annen", 2, OTHER, "kari"), ("intervju", 4, OTHER, "ola")]
    assert keys(case="ung09") == [("annen", 1, CODE, "kari"), ("annen", 2, OTHER, "kari")]
    assert keys(case="ung09", code=CODE) == [("annen", 1, CODE, "kari")]
    assert keys(coder="nobody") == []


def test_coder_queries_see_only_that_coder(
    project: Project, two_transcripts: dict[str, list[int]]
) -> None:
    ids = two_transcripts["intervju"]
    assert coder_codings_by_excerpt(project, "kari", "intervju") == {ids[1]: [(CODE, None)]}
    assert coder_codings_by_excerpt(project, "ola", "intervju") == {ids[3]: [(OTHER, None)]}


def test_queries_for_an_unknown_coder_register_nobody(project: Project, ids: list[int]) -> None:
    from coder.store.coder_view import coder_code_counts, coder_progress, load_position

    assert coder_codings_by_excerpt(project, "ukjent", "intervju") == {}
    assert reviewed_excerpts(project, "ukjent") == set()
    assert coder_code_counts(project, "ukjent") == {}
    assert load_position(project, "ukjent", "intervju") is None
    assert coder_progress(project, "ukjent") == {"intervju": (0, 3)}
    assert status(project)["coders"] == {}
