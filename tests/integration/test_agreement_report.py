"""The agreement report on a real project (SQLite file), and ``coder agree`` end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.agreement import cohen_kappa, krippendorff_alpha
from coder.agreement.report import agreement_report, case_report, excerpt_report
from coder.domain.transcript import Origin
from coder.errors import CoderError, NotFoundError
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed, set_rating
from coder.store.queries import load_excerpts
from support.backends import Backend
from support.processes import run_coder

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

CODE_A = "risk.ses"
CODE_B = "risk.family"
GROUP = "risk"  # a heading, not codable


def interview(turns: int) -> str:
    lines = []
    for number in range(1, turns + 1):
        lines.append(f"Intervjuer: Hvordan var det på skolen, del {number}?")
        lines.append(f"Deltaker: Det var vanskelig med skolen og familien, del {number}.")
    return "\n\n".join(lines) + "\n"


def make_project(folder: Path, backend: Backend) -> tuple[Project, dict[str, list[int]]]:
    """Two transcripts (t1: 6 participant turns, t2: 4), cases c1/c2; codable excerpt ids."""
    backend.init(folder)
    (folder / "transcripts" / "t1.txt").write_text(interview(6), encoding="utf-8")
    (folder / "transcripts" / "t2.txt").write_text(interview(4), encoding="utf-8")
    project = Project.open(folder)
    import_transcript(project, folder / "transcripts" / "t1.txt", case_id="c1")
    import_transcript(project, folder / "transcripts" / "t2.txt", case_id="c2")
    ids = {tid: [e.id for e in load_excerpts(project, tid) if e.codable] for tid in ("t1", "t2")}
    assert len(ids["t1"]) == 6 and len(ids["t2"]) == 4
    return project, ids


@pytest.fixture
def project(tmp_path: Path, backend: Backend) -> Iterator[tuple[Project, dict[str, list[int]]]]:
    made = make_project(tmp_path / "p", backend)
    yield made
    made[0].close()


def code(project: Project, coder: str, excerpts: list[int], code_id: str = CODE_A) -> None:
    for excerpt in excerpts:
        apply_code(project, coder, excerpt, code_id)
        mark_reviewed(project, coder, excerpt)


def review(project: Project, coder: str, excerpts: list[int]) -> None:
    for excerpt in excerpts:
        mark_reviewed(project, coder, excerpt)


def two_coder_design(project: Project, ids: dict[str, list[int]]) -> list[int]:
    """10 units; CODE_A table (ada x bo): both 3, ada only 1, bo only 1, neither 5."""
    units = ids["t1"] + ids["t2"]
    code(project, "ada", units[0:4])  # 0-2 both, 3 ada only
    code(project, "bo", units[0:3] + [units[4]])  # 4 bo only
    review(project, "ada", units)
    review(project, "bo", units)
    return units


def test_units_are_excerpts_reviewed_by_every_coder(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    t1, t2 = ids["t1"], ids["t2"]
    review(p, "ada", t1 + t2[:2])
    review(p, "bo", t1[:5])
    code(p, "bo", [t2[0]])  # applies CODE_A and marks it reviewed
    apply_code(p, "ada", t2[3], CODE_B)  # coded but never marked reviewed: counts as looked at
    report = excerpt_report(p, bootstrap=0)
    assert report.coders == ("ada", "bo")
    assert report.codable == 10
    assert report.units == 6  # t1[0:5] and t2[0]
    left = {item.excerpt_id: item for item in report.excluded}
    assert set(left) == {t1[5], t2[1], t2[3]}
    assert left[t1[5]].missing == ("bo",) and left[t1[5]].reason == "not reviewed by bo"
    assert left[t2[3]].missing == ("bo",)
    assert report.unreviewed == 1  # t2[2]
    assert report.implicit_reviews == {"ada": 1, "bo": 0}
    statement = report.statement()
    assert "6 of 10 codable excerpts" in statement and "ada, bo" in statement
    assert "3 not reviewed by bo" in statement
    assert "1 reviewed by none of the compared coders" in statement
    data = report.to_dict()
    assert data["left_out"]["count"] == 4
    assert {e["excerpt_id"] for e in data["left_out"]["excerpts"]} == set(left)
    assert [row["id"] for row in data["transcripts"]] == ["t1", "t2"]
    assert [row["units"] for row in data["transcripts"]] == [5, 1]


def test_hand_worked_two_coder_values(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    two_coder_design(p, ids)
    report = excerpt_report(p, bootstrap=0, codes=[CODE_A, CODE_B])
    row = report.codes[0]
    assert row.id == CODE_A and row.units == 10
    assert row.present == {"ada": 4, "bo": 4}
    assert row.prevalence == {"ada": 0.4, "bo": 0.4}
    # p_o = 8/10, p_e = (.4 * .4 + .6 * .6) = .52, kappa = .28 / .48
    assert row.percent_agreement.value == pytest.approx(0.8)
    assert row.kappa.name == "cohen_kappa"
    assert row.kappa.value == pytest.approx(0.28 / 0.48)
    # n = 20 values, 8 present; 2 disagreeing units -> alpha = 1 - 19 * 4 / (2 * 8 * 12)
    assert row.alpha.value == pytest.approx(1 - 19 * 4 / 192)
    assert row.flag == "discard"
    # AC1: pi = .4, p_e = 2 * .4 * .6 = .48
    assert row.ac1.value == pytest.approx((0.8 - 0.48) / 0.52)
    data = report.to_dict()  # the layout documented in docs/agreement.md
    assert set(data) == {
        "level",
        "unit",
        "coders",
        "units",
        "codable_excerpts",
        "statement",
        "codebook_version",
        "bootstrap",
        "codes",
        "overall",
        "transcripts",
        "left_out",
        "implicit_reviews",
        "outside_codings",
    }
    assert set(data["codes"][0]) == {
        "scope",
        "id",
        "label",
        "units",
        "cells",
        "present",
        "prevalence",
        "percent_agreement",
        "kappa",
        "alpha",
        "ac1",
        "brennan_prediger",
        "flag",
    }
    assert set(data["codes"][0]["alpha"]) == {
        "name",
        "value",
        "defined",
        "reason",
        "variant",
        "units",
        "values",
        "observed",
        "expected",
        "ci",
    }
    never = report.codes[1]  # nobody used CODE_B: alpha and kappa undefined, with a reason
    assert never.alpha.value is None and never.kappa.value is None
    assert "absent on every unit" in (never.alpha.reason or "")
    assert never.flag == "undefined"
    # pooled over the two codes: 20 cells
    assert report.overall.cells == 20 and report.overall.units == 10
    vectors = {
        name: [1.0 if i in marked else 0.0 for i in range(10)] + [0.0] * 10
        for name, marked in (("ada", {0, 1, 2, 3}), ("bo", {0, 1, 2, 4}))
    }
    assert report.overall.alpha.value == pytest.approx(
        krippendorff_alpha([vectors["ada"], vectors["bo"]]).value
    )
    assert report.overall.kappa.value == pytest.approx(
        cohen_kappa(vectors["ada"], vectors["bo"]).value
    )


def test_span_coding_counts_as_presence(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    unit = ids["t1"][0]
    excerpt = next(e for e in load_excerpts(p, "t1") if e.id == unit)
    apply_code(p, "ada", unit, CODE_A, span=(excerpt.start + 1, excerpt.start + 5))
    code(p, "bo", [unit])
    review(p, "ada", [unit])
    report = excerpt_report(p, bootstrap=0, codes=[CODE_A])
    assert report.units == 1
    assert report.codes[0].present == {"ada": 1, "bo": 1}
    assert report.codes[0].percent_agreement.value == 1.0


def test_three_coders_use_fleiss_and_bootstrap_is_seeded(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    units = two_coder_design(p, ids)
    code(p, "cy", units[0:3] + units[5:7])
    review(p, "cy", units)
    first = excerpt_report(p, bootstrap=300, seed=4, codes=[CODE_A])
    row = first.codes[0]
    assert row.kappa.name == "fleiss_kappa"
    assert row.alpha.ci is not None and row.alpha.ci.replicates == 300
    assert row.alpha.ci.low is not None and row.alpha.ci.high is not None
    assert row.alpha.ci.low <= row.alpha.value <= row.alpha.ci.high  # type: ignore[operator]
    again = excerpt_report(p, bootstrap=300, seed=4, codes=[CODE_A])
    assert again.codes[0].alpha.ci == row.alpha.ci
    assert again.codes[0].kappa.ci == row.kappa.ci
    assert first.bootstrap is not None and first.bootstrap.seed == 4
    matrix = [
        [1.0 if u in marked else 0.0 for u in range(10)]
        for marked in ({0, 1, 2, 3}, {0, 1, 2, 4}, {0, 1, 2, 5, 6})
    ]
    assert row.alpha.value == pytest.approx(krippendorff_alpha(matrix).value)


def test_model_only_when_named_consensus_never_by_default(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    units = two_coder_design(p, ids)
    code(p, "model", units[0:2])
    review(p, "model", units)
    apply_code(p, "consensus", units[0], CODE_A, origin=Origin.CONSENSUS)
    review(p, "consensus", units)
    assert excerpt_report(p, bootstrap=0).coders == ("ada", "bo")
    with_model = excerpt_report(p, bootstrap=0, coders=["ada", "model"], codes=[CODE_A])
    assert with_model.coders == ("ada", "model")
    assert with_model.codes[0].present == {"ada": 4, "model": 2}
    named = excerpt_report(p, bootstrap=0, coders=["consensus", "bo"], codes=[CODE_A])
    assert named.codes[0].present == {"consensus": 1, "bo": 4}


def test_selection_mistakes_are_coder_errors(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    two_coder_design(p, ids)
    with pytest.raises(NotFoundError, match="unknown coder 'zed'"):
        excerpt_report(p, coders=["ada", "zed"])
    with pytest.raises(CoderError, match="two or more coders"):
        excerpt_report(p, coders=["ada"])
    with pytest.raises(NotFoundError, match="unknown code 'nope'"):
        excerpt_report(p, codes=["nope"])
    with pytest.raises(CoderError, match="group heading"):
        excerpt_report(p, codes=[GROUP])
    with pytest.raises(CoderError, match="human coders who rated cases"):
        case_report(p)


def test_case_level_relational_robustness(project) -> None:  # type: ignore[no-untyped-def]
    p, _ids = project
    from coder.store.cases_import import import_cases

    rows = "case\n" + "\n".join(f"k{n}" for n in range(1, 9)) + "\n"
    (p.root / "more.csv").write_text(rows, encoding="utf-8")
    import_cases(p, p.root / "more.csv")
    ada = ["steady", "steady", "wavering", "wavering", "trembling", "trembling", "steady", None]
    bo = ["steady", "wavering", "wavering", "trembling", "trembling", "steady", "steady", "steady"]
    for number, (a, b) in enumerate(zip(ada, bo, strict=True), start=1):
        if a is not None:
            set_rating(p, "ada", f"k{number}", "relational_robustness", a)
        set_rating(p, "bo", f"k{number}", "relational_robustness", b)
    report = agreement_report(p, level="case", bootstrap=200, seed=1)
    # attributes nobody rated (cases.csv facts such as neet_status) are left out and named
    assert [a.attribute for a in report.attributes] == ["relational_robustness"]
    assert "neet_status" in report.unrated and "neet_status" in report.statement()
    item = report.attributes[0]
    assert item.kind == "ordinal" and item.levels == ("steady", "wavering", "trembling")
    assert item.units == 7
    left = {case.case_id: case for case in item.excluded}
    assert left["k8"].missing == ("ada",)
    assert {"c1", "c2"} <= set(left)  # the transcripts' cases nobody rated
    ranks = {"steady": 1, "wavering": 2, "trembling": 3}
    a_ranks = [ranks[v] for v in ada[:7]]
    b_ranks = [ranks[v] for v in bo[:7]]
    assert item.alpha.variant == "ordinal"
    assert item.alpha.value == pytest.approx(
        krippendorff_alpha([a_ranks, b_ranks], "ordinal").value
    )
    assert item.alpha.ci is not None and item.alpha.ci.replicates == 200
    assert item.kappa.variant == "linear"
    assert item.kappa.value == pytest.approx(cohen_kappa(a_ranks, b_ranks, "linear").value)
    assert item.weighted_kappa["quadratic"].value == pytest.approx(
        cohen_kappa(a_ranks, b_ranks, "quadratic").value
    )
    table = item.confusion[0]
    assert table.coders == ("ada", "bo")
    assert table.counts == ((2, 1, 0), (0, 1, 1), (1, 0, 1))
    data = report.to_dict()
    assert data["unit"] == "case" and data["attributes"][0]["confusion"][0]["counts"][0] == [
        2,
        1,
        0,
    ]


# --- the command line -------------------------------------------------------------------------


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_coder("--project", folder, "agree", *args)


@pytest.mark.slow
def test_cli_formats_and_errors(project) -> None:  # type: ignore[no-untyped-def]
    p, ids = project
    two_coder_design(p, ids)
    folder = p.root
    as_json = run(folder, "--format", "json", "--bootstrap", "50", "--seed", "3")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["level"] == "excerpt" and data["coders"] == ["ada", "bo"] and data["units"] == 10
    first = data["codes"][0]
    assert first["id"] == CODE_A and first["alpha"]["value"] == pytest.approx(1 - 19 * 4 / 192)
    assert first["alpha"]["ci"]["replicates"] == 50 and first["alpha"]["ci"]["seed"] == 3
    assert data["codes"][1]["alpha"]["value"] is None and data["codes"][1]["flag"] == "undefined"
    assert "NaN" not in as_json.stdout

    as_csv = run(folder, "--format", "csv", "--bootstrap", "0", "--codes", f"{CODE_A},{CODE_B}")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["scope"], r["id"]) for r in rows] == [
        ("code", CODE_A),
        ("code", CODE_B),
        ("overall", ""),
        ("transcript", "t1"),
        ("transcript", "t2"),
    ]
    assert float(rows[0]["kappa"]) == pytest.approx(0.28 / 0.48, abs=1e-4)
    assert rows[1]["alpha"] == "" and "absent on every unit" in rows[1]["note"]

    table = run(folder, "--bootstrap", "20", "--codes", CODE_A)
    assert table.returncode == 0, table.stderr
    assert "6 of 10" not in table.stdout and "10 of 10 codable excerpts" in table.stdout
    assert CODE_A in table.stdout and "discard" in table.stdout

    for args, message in [
        (("--coders", "ada,zed"), "unknown coder 'zed'"),
        (("--codes", GROUP), "group heading"),
        (("--level", "case"), "rated cases"),
        (("--level", "case", "--codes", CODE_A), "--codes applies to --level excerpt"),
    ]:
        failed = run(folder, *args)
        assert failed.returncode == 1, (args, failed.stdout)
        assert failed.stderr.startswith("error: ") and message in failed.stderr
        assert "Traceback" not in failed.stderr
    bad = run(folder, "--bootstrap", "-1")
    assert bad.returncode == 2 and "must be 0 or more" in bad.stderr
