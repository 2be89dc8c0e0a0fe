"""Suggestions on a real project: training data, accept/reject, what was shown, retraining."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.domain.transcript import Origin
from coder.errors import CoderError, NotFoundError
from coder.project.project import Project
from coder.store.codings_import import import_codings
from coder.store.operations import apply_code, mark_reviewed
from coder.store.queries import find_codings, list_transcripts, load_excerpts, reviewed_excerpts
from coder.store.schema import events
from coder.suggest import (
    MODEL_CODER,
    Suggester,
    accept,
    evaluate_project,
    maybe_retrain,
    most_uncertain,
    record_shown,
    reject,
    train_project_model,
)
from coder.suggest.model_folder import ModelFolder
from coder.suggest.training_data import TrainingSource, labelled_excerpts
from support.suggest_project import ADULT, BULLY, LONELY, write_codings, write_project


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("suggest") / "project"
    truth = write_project(folder)
    with Project.open(folder) as project:
        import_codings(project, write_codings(folder, truth, {"ada": 0.0, "bo": 0.2}))
        # every participant turn was looked at by ada, also those she left uncoded
        for info in list_transcripts(project):
            for excerpt in load_excerpts(project, info.id):
                if excerpt.codable:
                    mark_reviewed(project, "ada", excerpt.id)
    yield folder


def excerpt_ids(project: Project) -> list[int]:
    return [
        e.id
        for info in list_transcripts(project)
        for e in load_excerpts(project, info.id)
        if e.codable
    ]


def test_training_data_per_source(coded: Path) -> None:
    with Project.open(coded) as project:
        ada = labelled_excerpts(project, TrainingSource.parse("ada"))
        everyone = labelled_excerpts(project, TrainingSource.parse(None))
        assert len(ada) == 60 and all(item.reviewed for item in ada)
        assert {item.coder for item in everyone} == {"ada", "bo"}
        assert len(everyone) > len(ada)
        with pytest.raises(NotFoundError, match="unknown coder 'nobody'"):
            labelled_excerpts(project, TrainingSource.parse("nobody"))
        with pytest.raises(CoderError, match="own suggestions"):
            TrainingSource.parse(MODEL_CODER)


def test_train_save_metadata_and_suggest(coded: Path) -> None:
    with Project.open(coded) as project:
        result = train_project_model(project, source="ada")
        meta = json.loads((result.folder / "model.json").read_text("utf-8"))
        assert result.folder.parent == coded / ".coder" / "models"
        assert meta["codebook"] == {
            "name": project.codebook.name,
            "version": project.codebook.version,
        }
        assert meta["examples"] == 60 and meta["source"] == "coder:ada"
        assert meta["trained_at"] and meta["pipeline"]["source"] == "blank"
        assert {BULLY, LONELY, ADULT} <= set(meta["modelled_codes"])
        assert set(meta["scores"]) == {"micro", "macro", "per_code"}
        suggester = Suggester.for_project(project)
        found = suggester.suggest("Jeg hadde ingen venner, og de mobbet meg hele tiden.")
        top = {s.code_id for s in found if s.above_threshold}
        assert {BULLY, LONELY} <= top and ADULT not in top
        bully = next(s for s in found if s.code_id == BULLY)
        assert "model" in bully.sources and bully.reasons


def test_accept_reject_and_rejections_as_negative_evidence(coded: Path) -> None:
    with Project.open(coded) as project:
        first, second = excerpt_ids(project)[:2]
        assert accept(project, "cy", first, BULLY) is True
        assert accept(project, "cy", first, BULLY) is False
        [row] = find_codings(project, coder="cy")
        assert (row.code_id, row.origin) == (BULLY, Origin.SUGGESTION.value)
        event_id = reject(project, "cy", second, ADULT)
        with project.store.engine.connect() as conn:
            kind, payload = conn.execute(
                select(events.c.kind, events.c.payload).where(events.c.id == event_id)
            ).one()
        assert kind == "suggestion.reject" and json.loads(payload) == {
            "excerpt": second,
            "code": ADULT,
        }
        data = {
            item.excerpt_id: item for item in labelled_excerpts(project, TrainingSource.parse("cy"))
        }
        assert data[second].rejected == {ADULT} and not data[second].reviewed
        assert data[first].positives == {BULLY}
        with pytest.raises(NotFoundError):
            reject(project, "cy", 999_999, ADULT)
        with pytest.raises(NotFoundError):
            reject(project, "cy", second, "no.such.code")


def test_record_shown_stores_the_models_claims(coded: Path) -> None:
    with Project.open(coded) as project:
        suggester = Suggester.for_project(project)
        excerpt = excerpt_ids(project)[5]
        text = "De mobbet meg, og jeg var helt alene."
        shown = suggester.suggest(text)
        claimed = {s.code_id for s in shown if s.above_threshold}
        assert claimed
        assert record_shown(project, excerpt, shown) is True
        assert record_shown(project, excerpt, shown) is False  # same claims: nothing new
        stored = {
            (r.code_id, r.origin)
            for r in find_codings(project, coder=MODEL_CODER)
            if r.excerpt_id == excerpt
        }
        assert stored == {(code, "suggestion") for code in claimed}
        assert excerpt in reviewed_excerpts(project, MODEL_CODER)  # absences are observed
        # a new model that claims less: the old claim is replaced
        fewer = [s for s in shown if s.code_id != sorted(claimed)[0]]
        assert record_shown(project, excerpt, fewer) is True
        after = {
            r.code_id for r in find_codings(project, coder=MODEL_CODER) if r.excerpt_id == excerpt
        }
        assert after == claimed - {sorted(claimed)[0]}


def test_retrain_after_n_new_codings_and_refresh(coded: Path) -> None:
    with Project.open(coded) as project:
        train_project_model(project, source="ada")
        suggester = Suggester.for_project(project)
        before = ModelFolder(project.root).current()
        assert maybe_retrain(project, every=3) is None  # nothing new yet
        ids = excerpt_ids(project)
        apply_code(project, "ada", ids[10], ADULT)
        apply_code(project, "ada", ids[11], ADULT)
        assert maybe_retrain(project, every=3) is None  # two new decisions
        assert suggester.refresh() is False
        reject(project, "ada", ids[12], BULLY)
        result = maybe_retrain(project, every=3)
        assert result is not None and result.meta["source"] == "coder:ada"  # same source as before
        assert ModelFolder(project.root).current() not in (None, before)
        assert suggester.refresh() is True and suggester.model is not None
        assert suggester.model.meta["trained_at"] == result.meta["trained_at"]
        assert maybe_retrain(project, every=3) is None


def test_active_learning_orders_by_uncertainty(coded: Path) -> None:
    with Project.open(coded) as project:
        train_project_model(project, source="ada")
        suggester = Suggester.for_project(project)
        ranked = most_uncertain(project, "newcomer", suggester)
        assert len(ranked) == 60
        values = [u for _, u in ranked]
        assert values == sorted(values, reverse=True) and values[0] > values[-1]
        assert all(0.0 <= u <= 1.0 for u in values)
        mark_reviewed(project, "newcomer", ranked[0][0])
        assert ranked[0][0] not in {e for e, _ in most_uncertain(project, "newcomer", suggester)}


def test_evaluate_project(coded: Path) -> None:
    with Project.open(coded) as project:
        report = evaluate_project(project, source="ada", folds=3).to_dict()
        assert report["examples"] == 60 and report["source"] == "coder:ada"
        assert set(report["per_code"]) == {BULLY, LONELY, ADULT}
        assert report["macro"]["f1"] > 0.85 and report["micro"]["f1"] > 0.85
        assert set(report["indicators_only"]) == {"micro", "macro", "per_code"}
