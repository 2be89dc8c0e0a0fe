"""Per-coder undo and redo, driven by the events table: interleaved coders, restarts, memos."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from coder.domain.events import EXCERPT
from coder.project.project import Project
from coder.store import operations as ops
from coder.store.history import redo, undo
from coder.store.importer import import_transcript
from coder.store.queries import find_codings, find_memos, ratings, status
from coder.store.schema import events

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

CODE = "risk.psychosocial.loneliness"
OTHER = "risk.psychosocial.bullying"
THIRD = "risk.school"


@pytest.fixture
def ids(project: Project, excerpt_ids: Callable[..., list[int]]) -> list[int]:
    return excerpt_ids(project)


def codes_of(project: Project, coder: str) -> set[tuple[int, str]]:
    return {(row.excerpt_id, row.code_id) for row in find_codings(project, coder=coder)}


def test_undo_and_redo_a_coding(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    step = undo(project, "kari")
    assert step is not None and step.kind == "coding.apply"
    assert step.describe(undone=True) == f"undid apply {CODE}"
    assert codes_of(project, "kari") == set()
    step = redo(project, "kari")
    assert step is not None and step.describe(undone=False) == f"redid apply {CODE}"
    assert codes_of(project, "kari") == {(ids[1], CODE)}
    assert redo(project, "kari") is None


def test_undo_of_a_removal_restores_the_coding_with_its_origin_and_span(
    project: Project, ids: list[int]
) -> None:
    from coder.domain.transcript import Origin
    from coder.store.queries import load_excerpts

    excerpt = load_excerpts(project, "intervju")[3]
    span = (excerpt.start + 4, excerpt.start + 10)
    ops.apply_code(project, "kari", ids[3], CODE, origin=Origin.SUGGESTION, span=span)
    [before] = find_codings(project)
    ops.remove_code(project, "kari", ids[3], CODE, span=span)
    undo(project, "kari")
    [after] = find_codings(project)
    assert (after.origin, after.span, after.created_at) == ("suggestion", span, before.created_at)


def test_each_coders_undo_reverts_only_their_own_work(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.apply_code(project, "ola", ids[1], OTHER)
    ops.apply_code(project, "kari", ids[3], THIRD)
    ops.apply_code(project, "ola", ids[3], CODE)
    ops.mark_reviewed(project, "ola", ids[5])  # part of no step of ola's: not on the stack

    undo(project, "kari")
    assert codes_of(project, "kari") == {(ids[1], CODE)}
    assert codes_of(project, "ola") == {(ids[1], OTHER), (ids[3], CODE)}
    undo(project, "kari")
    assert codes_of(project, "kari") == set()
    assert undo(project, "kari") is None
    assert codes_of(project, "ola") == {(ids[1], OTHER), (ids[3], CODE)}

    undo(project, "ola")
    assert codes_of(project, "ola") == {(ids[1], OTHER)}
    redo(project, "kari")
    assert codes_of(project, "kari") == {(ids[1], CODE)}
    assert codes_of(project, "ola") == {(ids[1], OTHER)}


def test_undo_works_after_a_restart(
    small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    with Project.open(small_project) as first:
        ids = excerpt_ids(first)
        ops.apply_code(first, "kari", ids[1], CODE)
        ops.apply_code(first, "kari", ids[3], OTHER)
        undo(first, "kari")
    with Project.open(small_project) as second:
        assert codes_of(second, "kari") == {(ids[1], CODE)}
        step = redo(second, "kari")  # the redo stack survived too
        assert step is not None and codes_of(second, "kari") == {(ids[1], CODE), (ids[3], OTHER)}
        undo(second, "kari")
        undo(second, "kari")
        assert codes_of(second, "kari") == set()


def test_a_new_action_clears_the_redo_stack(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.apply_code(project, "kari", ids[3], CODE)
    undo(project, "kari")
    ops.apply_code(project, "kari", ids[5], CODE)
    assert redo(project, "kari") is None
    assert codes_of(project, "kari") == {(ids[1], CODE), (ids[5], CODE)}
    undo(project, "kari")
    undo(project, "kari")
    assert codes_of(project, "kari") == set()  # the undone ids[3] never comes back
    assert undo(project, "kari") is None


def test_another_coders_action_does_not_clear_my_redo_stack(
    project: Project, ids: list[int]
) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    undo(project, "kari")
    ops.apply_code(project, "ola", ids[1], CODE)
    assert redo(project, "kari") is not None
    assert codes_of(project, "kari") == {(ids[1], CODE)}


def test_undo_memo_add_edit_and_delete(project: Project, ids: list[int]) -> None:
    memo = ops.add_memo(project, "kari", "Første tanke om ensomhet", excerpt_id=ids[1])
    ops.edit_memo(project, "kari", memo, "Andre tanke: også mobbing")
    ops.delete_memo(project, "kari", memo)
    assert find_memos(project) == []

    step = undo(project, "kari")
    assert step is not None and step.kind == "memo.delete"
    [restored] = find_memos(project)
    assert (restored["id"], restored["text"], restored["excerpt_id"]) == (
        memo,
        "Andre tanke: også mobbing",
        ids[1],
    )
    undo(project, "kari")
    assert find_memos(project)[0]["text"] == "Første tanke om ensomhet"
    undo(project, "kari")
    assert find_memos(project) == []
    redo(project, "kari")
    assert find_memos(project)[0]["id"] == memo


def event_payloads(project: Project, kind: str) -> list[dict[str, object]]:
    with project.store.read() as conn:
        query = select(events.c.payload).where(events.c.kind == kind).order_by(events.c.id)
        return [json.loads(text) for text in conn.execute(query).scalars()]


def test_memo_events_name_the_excerpt_like_coding_events(project: Project, ids: list[int]) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    memo = ops.add_memo(project, "kari", "Notat", excerpt_id=ids[1])
    ops.delete_memo(project, "kari", memo)
    [coding] = event_payloads(project, "coding.apply")
    [added] = event_payloads(project, "memo.add")
    [deleted] = event_payloads(project, "memo.delete")
    assert coding[EXCERPT] == added[EXCERPT] == deleted[EXCERPT] == ids[1]
    assert {"excerpt_id", "code_id", "case_id"}.isdisjoint(added | deleted)
    assert undo(project, "kari") is not None and undo(project, "kari") is not None


def test_undo_reads_memo_events_of_older_databases(project: Project, ids: list[int]) -> None:
    """Events written before the keys were settled said excerpt_id, code_id and case_id."""
    memo = ops.add_memo(project, "kari", "Gammelt notat på æøå", excerpt_id=ids[1])
    ops.delete_memo(project, "kari", memo)
    with project.store.write() as conn:
        for event_id, text in conn.execute(select(events.c.id, events.c.payload)).all():
            payload = json.loads(text)
            if "memo" in payload and EXCERPT in payload:
                old = {
                    key: value
                    for key, value in payload.items()
                    if key not in ("excerpt", "code", "case")
                }
                old |= {"excerpt_id": payload[EXCERPT], "code_id": None, "case_id": None}
                conn.execute(
                    update(events).where(events.c.id == event_id).values(payload=json.dumps(old))
                )
    step = undo(project, "kari")
    assert step is not None and step.kind == "memo.delete" and step.excerpt_id == ids[1]
    [restored] = find_memos(project)
    assert (restored["id"], restored["excerpt_id"]) == (memo, ids[1])
    step = undo(project, "kari")
    assert step is not None and step.kind == "memo.add" and find_memos(project) == []
    redo(project, "kari")
    assert find_memos(project)[0]["excerpt_id"] == ids[1]


def test_undo_a_rating_restores_the_previous_value(project: Project) -> None:
    ops.set_rating(project, "kari", "intervju", "relational_robustness", "steady")
    ops.set_rating(project, "kari", "intervju", "relational_robustness", "trembling")
    undo(project, "kari")
    assert [r["value"] for r in ratings(project)] == ["steady"]
    undo(project, "kari")
    assert ratings(project) == []
    redo(project, "kari")
    assert [r["value"] for r in ratings(project)] == ["steady"]


def test_undo_for_a_coder_who_never_coded_registers_nobody(project: Project) -> None:
    assert undo(project, "ukjent") is None
    assert redo(project, "ukjent") is None
    assert status(project)["coders"] == {}


def test_undo_after_the_excerpt_was_replaced_away_does_not_crash(
    project: Project, ids: list[int], write_transcript: Callable[..., Path], interview: str
) -> None:
    ops.apply_code(project, "kari", ids[1], CODE)
    ops.remove_code(project, "kari", ids[1], CODE)
    changed = interview.replace("Jeg følte meg ensom", "Jeg var ensom")
    import_transcript(
        project, write_transcript(project.root, "intervju.txt", changed), replace=True
    )
    step = undo(project, "kari")  # would re-insert a coding on a deleted excerpt
    assert step is not None and step.lost
    assert "no longer exists" in step.describe(undone=True)
    assert find_codings(project) == []
    step = undo(project, "kari")  # the stack moved on
    assert step is not None and step.kind == "coding.apply"


def test_a_coders_own_reviewed_mark_is_an_undo_step_in_order(
    project: Project, ids: list[int]
) -> None:
    from coder.store.queries import reviewed_excerpts

    ops.toggle_code(project, "kari", ids[1], CODE, review=True)  # the code brings the mark
    ops.mark_reviewed(project, "kari", ids[3], undoable=True)  # "looked at it, no code"
    step = undo(project, "kari")
    assert step is not None and step.kind == "review.mark"
    assert reviewed_excerpts(project, "kari") == {ids[1]}
    assert codes_of(project, "kari") == {(ids[1], CODE)}
    step = undo(project, "kari")  # the code and its mark, one step
    assert step is not None and step.kind == "coding.apply"
    assert reviewed_excerpts(project, "kari") == set() and codes_of(project, "kari") == set()
    redo(project, "kari")
    redo(project, "kari")
    assert reviewed_excerpts(project, "kari") == {ids[1], ids[3]}
    rest = [i for i in ids if i not in (ids[1],)][1:]  # every excerpt after ids[1]
    marked = ops.mark_rest_reviewed(project, "kari", rest)
    assert ids[3] not in marked and set(marked) == set(rest) - {ids[3]}  # 3 was reviewed
    step = undo(project, "kari")
    assert step is not None and step.kind == "review.rest"
    assert reviewed_excerpts(project, "kari") == {ids[1], ids[3]}


def test_a_rejected_suggestion_is_one_undo_step_and_training_skips_it_while_undone(
    project: Project, ids: list[int]
) -> None:
    from coder.store.coder_view import coder_rejections
    from coder.store.suggestion_writes import log_rejection
    from coder.suggest.training_data import TrainingSource, labelled_excerpts

    def hard_negatives() -> dict[int, frozenset[str]]:
        found = labelled_excerpts(project, TrainingSource.parse("kari"))
        return {item.excerpt_id: item.rejected for item in found if item.rejected}

    ops.apply_code(project, "kari", ids[1], CODE)
    log_rejection(project, "kari", ids[3], OTHER)
    assert hard_negatives() == {ids[3]: frozenset({OTHER})}
    assert coder_rejections(project, "kari", "intervju") == {(ids[3], OTHER)}

    step = undo(project, "kari")  # the rejection, not the coding before it
    assert step is not None and step.kind == "suggestion.reject"
    assert step.describe(undone=True) == f"undid rejection of {OTHER}"
    assert step.excerpt_id == ids[3]
    assert hard_negatives() == {}
    assert coder_rejections(project, "kari", "intervju") == set()
    assert codes_of(project, "kari") == {(ids[1], CODE)}  # the coding is untouched

    step = redo(project, "kari")
    assert step is not None and step.kind == "suggestion.reject"
    assert hard_negatives() == {ids[3]: frozenset({OTHER})}
    assert coder_rejections(project, "kari", "intervju") == {(ids[3], OTHER)}

    undo(project, "kari")
    undo(project, "kari")  # then the coding: the undone rejection stays undone below it
    assert codes_of(project, "kari") == set()
    ops.apply_code(project, "kari", ids[5], THIRD)  # a new step: nothing is redoable now
    assert redo(project, "kari") is None
    assert hard_negatives() == {}
    assert coder_rejections(project, "kari", "intervju") == set()


def test_another_coders_undo_never_takes_back_a_rejection(project: Project, ids: list[int]) -> None:
    from coder.store.coder_view import coder_rejections
    from coder.store.suggestion_writes import log_rejection

    log_rejection(project, "kari", ids[3], OTHER)
    ops.apply_code(project, "ola", ids[3], OTHER)
    step = undo(project, "ola")
    assert step is not None and step.kind == "coding.apply"
    assert coder_rejections(project, "kari", "intervju") == {(ids[3], OTHER)}
