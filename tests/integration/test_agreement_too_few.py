"""Small figures say so: one case (or one excerpt) gives "too few units", never alpha 0.000."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coder.agreement.report import agreement_report
from coder.agreement.result import TOO_FEW
from coder.project.project import Project
from coder.store.operations import mark_reviewed, set_rating
from support.backends import Backend
from support.lead_projects import agreement_project as make_project

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL


@pytest.fixture
def one_case(tmp_path: Path, backend: Backend) -> Iterator[Project]:
    project, _ids = make_project(tmp_path / "p", backend)
    set_rating(project, "ada", "c1", "relational_robustness", "steady")
    set_rating(project, "bo", "c1", "relational_robustness", "trembling")
    yield project
    project.close()


def test_one_case_is_too_few_units(one_case: Project) -> None:
    report = agreement_report(one_case, level="case", bootstrap=50)
    item = report.attributes[0]
    assert item.units == 1
    for coefficient in (item.alpha, item.kappa, item.ac, *item.weighted_kappa.values()):
        assert coefficient.value is None, coefficient
        assert coefficient.reason is not None and coefficient.reason.startswith(TOO_FEW)
    data = report.to_dict()["attributes"][0]
    assert data["alpha"]["value"] is None and TOO_FEW in data["alpha"]["reason"]


def test_one_excerpt_is_too_few_units(tmp_path: Path, backend: Backend) -> None:
    project, ids = make_project(tmp_path / "p", backend)
    with project:
        for coder in ("ada", "bo"):
            mark_reviewed(project, coder, ids["t1"][0])
        report = agreement_report(project, bootstrap=0)
        assert report.units == 1
        row = report.codes[0]
        assert row.alpha.value is None and (row.alpha.reason or "").startswith(TOO_FEW)
        assert row.flag == "undefined"
        assert row.percent_agreement.value == 1.0  # the plain share is a fact, not an estimate


def test_cli_says_too_few_units(
    one_case: Project, coder_cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = coder_cli("--project", one_case.root, "agree", "--level", "case")
    assert code == 0, err
    assert f"alpha (ordinal) [dim]{TOO_FEW}" not in out  # markup is rendered, not printed
    assert f"alpha (ordinal) {TOO_FEW}" in out and "alpha (ordinal) 0.000" not in out
    code, out, err = coder_cli(
        "--project", one_case.root, "agree", "--level", "case", "--format", "json"
    )
    assert code == 0, err
    alpha = json.loads(out)["attributes"][0]["alpha"]
    assert alpha["value"] is None and alpha["reason"].startswith(TOO_FEW)
