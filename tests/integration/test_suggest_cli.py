"""``coder suggest`` end to end, through the real entry point on a temporary project."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.processes import Result, run_coder
from support.suggest_project import BULLY, LONELY, write_codings, write_project


def coder(*args: str, cwd: Path) -> Result:
    return run_coder(*args, cwd=cwd)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cli") / "project"
    truth = write_project(folder)
    result = coder(
        "codings", "import", str(write_codings(folder, truth, {"ada": 0.0, "bo": 0.1})), cwd=folder
    )
    assert result.returncode == 0, result.stderr
    yield folder


def test_status_before_training(project: Path) -> None:
    result = coder("suggest", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "No suggestion model trained yet" in result.stdout


def test_evaluate_prints_model_next_to_indicators(project: Path) -> None:
    result = coder("suggest", "--evaluate", "--folds", "3", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"micro", "macro", "per_code", "indicators_only"} <= set(data)
    assert data["folds"] == 3 and data["source"] == "all"
    assert BULLY in data["per_code"] and BULLY in data["indicators_only"]["per_code"]
    text = coder("suggest", "--evaluate", "--folds", "3", "--coder", "ada", cwd=project)
    assert text.returncode == 0, text.stderr
    assert "indicators alone" in text.stdout and "source coder:ada" in text.stdout
    assert "micro" in text.stdout and "macro" in text.stdout and BULLY in text.stdout


def test_train_then_suggest(project: Path) -> None:
    trained = coder("suggest", "--train", "--coder", "ada", cwd=project)
    assert trained.returncode == 0, trained.stderr
    assert "Trained on" in trained.stdout and "saved to" in trained.stdout
    assert (project / ".coder" / "models" / "suggest.current").is_file()
    status = json.loads(coder("suggest", "--json", cwd=project).stdout)
    assert status["model"]["source"] == "coder:ada"
    found = coder(
        "suggest", "--text", "Jeg hadde ingen venner og ble mobbet.", "--json", cwd=project
    )
    assert found.returncode == 0, found.stderr
    suggestions = json.loads(found.stdout)
    suggested = {s["code"] for s in suggestions if s["above_threshold"]}
    assert {BULLY, LONELY} <= suggested
    reasons = next(s for s in suggestions if s["code"] == BULLY)["reasons"]
    assert any(r["text"] == "mobbet" and r["source"] == "indicator" for r in reasons)
    human = coder("suggest", "--excerpt", "2", cwd=project)
    assert human.returncode == 0, human.stderr


def test_user_errors_are_messages_not_tracebacks(project: Path) -> None:
    for args in (
        ("suggest", "--evaluate", "--coder", "nobody"),
        ("suggest", "--train", "--coder", "model"),
        ("suggest", "--excerpt", "99999"),
        ("suggest", "--evaluate", "--folds", "1"),
    ):
        result = coder(*args, cwd=project)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr, args


def test_suggest_help_lists_options(project: Path) -> None:
    result = coder("suggest", "--help", cwd=project)
    assert result.returncode == 0
    for option in ("--evaluate", "--folds", "--coder", "--train", "--text"):
        assert option in result.stdout
