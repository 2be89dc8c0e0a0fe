"""Adjudication: disagreements side by side, consensus decisions in a separate layer, progress;
each coder's own codings untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coder.agreement.adjudication import (
    CONSENSUS,
    adjudication_progress,
    consensus_decisions,
    disagreements,
    record_consensus,
)
from coder.agreement.report import excerpt_report
from coder.errors import CoderError, NotFoundError
from coder.project.project import Project
from coder.store.history import undo
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed
from coder.store.queries import load_excerpts
from coder.store.schema import coders, codings, reviews
from support.backends import Backend

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

CODE = "risk.ses"
OTHER = "risk.family"


def interview(turns: int) -> str:
    return (
        "\n\n".join(
            f"Intervjuer: Spørsmål {n}?\n\nDeltaker: Svar nummer {n} om skolen."
            for n in range(1, turns + 1)
        )
        + "\n"
    )


@pytest.fixture
def setup(tmp_path: Path, backend: Backend) -> Iterator[tuple[Project, list[int]]]:
    """Six codable excerpts; ada and bo reviewed all; they disagree on CODE at units 1, 2, 4."""
    folder = tmp_path / "p"
    backend.init(folder)
    (folder / "transcripts" / "t1.txt").write_text(interview(6), encoding="utf-8")
    project = Project.open(folder)
    import_transcript(project, folder / "transcripts" / "t1.txt", case_id="c1")
    units = [e.id for e in load_excerpts(project, "t1") if e.codable]
    plan = {"ada": {CODE: [0, 1, 2], OTHER: [1]}, "bo": {CODE: [0, 4], OTHER: [2, 5]}}
    for coder, by_code in plan.items():
        for code_id, positions in by_code.items():
            for position in positions:
                apply_code(project, coder, units[position], code_id)
        for unit in units:
            mark_reviewed(project, coder, unit)
    yield project, units
    project.close()


def snapshot(project: Project) -> list[tuple[Any, ...]]:
    """Every coding of every coder except the consensus layer, with all its columns."""
    with project.store.engine.connect() as conn:
        rows = conn.execute(
            select(codings, coders.c.name)
            .join(coders, coders.c.id == codings.c.coder_id)
            .where(coders.c.name != CONSENSUS)
            .order_by(codings.c.id)
        ).all()
    return [tuple(row) for row in rows]


def test_disagreements_side_by_side(setup) -> None:  # type: ignore[no-untyped-def]
    project, units = setup
    found = disagreements(project, CODE)
    assert [d.excerpt_id for d in found] == [units[1], units[2], units[4]]
    first = found[0]
    assert first.applied_by == ("ada",) and first.not_applied_by == ("bo",)
    assert first.codes == {"ada": (CODE, OTHER), "bo": ()}
    assert first.transcript_id == "t1" and "Svar nummer 2" in first.text
    assert found[1].codes == {"ada": (CODE,), "bo": (OTHER,)}
    assert found[2].applied_by == ("bo",)
    assert all(d.decision is None for d in found)
    assert found[0].to_dict()["codes"]["ada"] == [CODE, OTHER]


def test_consensus_layer_leaves_coders_untouched(setup) -> None:  # type: ignore[no-untyped-def]
    project, units = setup
    before = snapshot(project)
    progress = adjudication_progress(project, CODE)
    assert (progress.disagreeing, progress.decided, progress.remaining) == (3, 0, 3)

    assert record_consensus(project, units[1], CODE, True, coders=["ada", "bo"]) is True
    assert record_consensus(project, units[2], CODE, False, coders=["ada", "bo"]) is False
    assert consensus_decisions(project, CODE) == {units[1]: True, units[2]: False}
    progress = adjudication_progress(project, CODE)
    assert (progress.decided, progress.applied, progress.remaining) == (2, 1, 1)
    assert progress.to_dict()["not_applied"] == 1
    assert [d.decision for d in disagreements(project, CODE)] == [True, False, None]

    with project.store.engine.connect() as conn:
        layer = conn.execute(
            select(codings.c.excerpt_id, codings.c.code_id, codings.c.origin)
            .join(coders, coders.c.id == codings.c.coder_id)
            .where(coders.c.name == CONSENSUS)
        ).all()
        marked = set(
            conn.execute(
                select(reviews.c.excerpt_id)
                .join(coders, coders.c.id == reviews.c.coder_id)
                .where(coders.c.name == CONSENSUS)
            ).scalars()
        )
        kind = conn.execute(select(coders.c.kind).where(coders.c.name == CONSENSUS)).scalar_one()
    assert [tuple(row) for row in layer] == [(units[1], CODE, "consensus")]
    assert marked == {units[1], units[2]}
    assert kind == "consensus"
    assert snapshot(project) == before  # each coder's own codings stay untouched

    # changing one's mind: apply -> not apply removes the consensus coding only
    assert record_consensus(project, units[1], CODE, False) is True
    assert consensus_decisions(project, CODE) == {units[1]: False, units[2]: False}
    assert snapshot(project) == before
    # the agreement report ignores the layer unless it is named
    assert excerpt_report(project, bootstrap=0).coders == ("ada", "bo")
    named = excerpt_report(project, bootstrap=0, coders=["ada", CONSENSUS], codes=[CODE])
    assert named.units == 2 and named.codes[0].present == {"ada": 2, CONSENSUS: 0}


def test_undo_of_a_consensus_coding_makes_it_undecided(setup) -> None:  # type: ignore[no-untyped-def]
    project, units = setup
    record_consensus(project, units[4], CODE, True)
    assert consensus_decisions(project, CODE) == {units[4]: True}
    step = undo(project, CONSENSUS)
    assert step is not None and step.kind == "coding.apply"
    assert consensus_decisions(project, CODE) == {}
    assert adjudication_progress(project, CODE).decided == 0


def test_adjudication_mistakes(setup) -> None:  # type: ignore[no-untyped-def]
    project, units = setup
    before = snapshot(project)
    with pytest.raises(NotFoundError, match="unknown excerpt"):
        record_consensus(project, 999_999, CODE, True)
    with pytest.raises(CoderError, match="group heading"):
        record_consensus(project, units[0], "risk", True)
    with pytest.raises(NotFoundError, match="unknown code"):
        record_consensus(project, units[0], "nope", False)
    with pytest.raises(CoderError, match="consensus layer cannot be one of the coders"):
        disagreements(project, CODE, coders=["ada", CONSENSUS])
    assert consensus_decisions(project, CODE) == {}
    assert snapshot(project) == before
