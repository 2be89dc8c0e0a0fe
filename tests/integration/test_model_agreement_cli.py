"""``coder agree`` shows the model as a measured coder; a chance-level code gets no suggestions."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.project.project import Project
from coder.store.codings_import import import_codings
from coder.store.operations import mark_reviewed
from coder.store.queries import list_transcripts, load_excerpts
from coder.suggest import Suggester, train_project_model
from support.processes import run_coder
from support.suggest_project import BULLY, LONELY, write_codings, write_project

RANDOM = "risk.psychosocial.peers"
"""Coded at random (no words go with it): the model can only be at chance on it."""


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("model-agree") / "project"
    truth = write_project(folder, transcripts=4, turns=20)
    path = write_codings(folder, truth, {"ada": 0.0, "bo": 0.15})
    rng = random.Random(9)
    with path.open("a", encoding="utf-8") as handle:
        for (transcript, seq), _codes in sorted(truth.items()):
            for coder in ("ada", "bo"):
                if rng.random() < 0.3:
                    handle.write(f"{transcript},{seq},{RANDOM},{coder}\n")
    with Project.open(folder) as project:
        import_codings(project, path)
        for info in list_transcripts(project):
            for excerpt in load_excerpts(project, info.id):
                if excerpt.codable:
                    mark_reviewed(project, "ada", excerpt.id)
                    mark_reviewed(project, "bo", excerpt.id)
        train_project_model(project)
    yield folder


def test_json_report_has_the_model_per_code_and_coder(trained: Path) -> None:
    done = run_coder("agree", "--format", "json", "--bootstrap", "200", cwd=trained)
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)["model"]
    assert model["source"] == "all" and model["folds"] == 3
    assert "held-out" in model["statement"] and "never saw it" in model["statement"]
    rows = {(row["code"], row["coder"]): row for row in model["rows"]}
    for coder in ("ada", "bo"):
        assert rows[(BULLY, coder)]["units"] == 80  # every reviewed participant turn
        for code in (BULLY, LONELY):
            row = rows[(code, coder)]
            assert row["kappa_low"] <= row["kappa"] <= row["kappa_high"]
            assert row["ac1_low"] <= row["ac1"] <= row["ac1_high"]
            assert row["kappa_low"] > 0.3  # the topic words give these away, held out too
    assert RANDOM in model["withheld"] and BULLY not in model["withheld"]
    assert all(rows[(RANDOM, c)]["kappa_low"] <= 0 for c in ("ada", "bo"))


def test_table_report_shows_the_verdict(trained: Path) -> None:
    done = run_coder("agree", "--bootstrap", "200", cwd=trained)
    assert done.returncode == 0, done.stderr
    assert "Model as a coder (held out)" in done.stdout
    assert "above chance" in done.stdout and "withheld" in done.stdout
    line = next(text for text in done.stdout.splitlines() if text.startswith("No suggestions"))
    assert RANDOM in line and BULLY not in line and LONELY not in line


def test_status_names_the_withheld_codes(trained: Path) -> None:
    done = run_coder("suggest", cwd=trained)
    assert done.returncode == 0, done.stderr
    line = next(text for text in done.stdout.splitlines() if text.startswith("No suggestions"))
    assert RANDOM in line and BULLY not in line


def test_withheld_code_is_never_suggested(trained: Path) -> None:
    with Project.open(trained) as project:
        suggester = Suggester.for_project(project)
        assert RANDOM in suggester.withheld and BULLY not in suggester.withheld
        excerpts = [
            e.text
            for info in list_transcripts(project)
            for e in load_excerpts(project, info.id)
            if e.codable
        ]
        for found in suggester.suggest_many(excerpts):
            assert RANDOM not in {s.code_id for s in found}


def test_case_level_report_has_no_model_section(trained: Path) -> None:
    done = run_coder("agree", "--level", "case", "--format", "json", cwd=trained)
    # no case is rated: the case report refuses or is empty, and never carries the model
    assert "Model as a coder" not in done.stdout and '"model"' not in done.stdout
