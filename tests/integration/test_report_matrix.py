"""``coder report matrix``: the case x code matrix as CSV and .xlsx, grouped and filtered."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coder.agreement.rating_consensus import record_rating_consensus
from coder.project.project import Project
from coder.store.operations import apply_code, mark_reviewed, set_rating
from support.lead_projects import CODE, OTHER, agreement_project

Cli = Callable[..., tuple[int, str, str]]
BULLY = "risk.psychosocial.bullying"


@pytest.fixture
def two_cases(tmp_path: Path) -> Path:
    """t1 (case c1, 6 participant turns) and t2 (c2, 4). ada reviews all of t1 and t2; she codes
    CODE on t1's turns 0 1 2 and OTHER on 1, BULLY on t2's 0 and 3; bo codes CODE on t1's 0.
    ada rates c1 trembling, c2 steady; bo rates c1 wavering."""
    project, ids = agreement_project(tmp_path / "p")
    with project:
        for excerpt_id in ids["t1"] + ids["t2"]:
            mark_reviewed(project, "ada", excerpt_id)
        for position in (0, 1, 2):
            apply_code(project, "ada", ids["t1"][position], CODE)
        apply_code(project, "ada", ids["t1"][1], OTHER)
        apply_code(project, "ada", ids["t2"][0], BULLY)
        apply_code(project, "ada", ids["t2"][3], BULLY)
        apply_code(project, "bo", ids["t1"][0], CODE)
        set_rating(project, "ada", "c1", "relational_robustness", "trembling")
        set_rating(project, "ada", "c2", "relational_robustness", "steady")
        set_rating(project, "bo", "c1", "relational_robustness", "wavering")
    return tmp_path / "p"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_counts_per_case_and_code(coder_cli: Cli, two_cases: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.csv"
    code, out, err = coder_cli("-p", two_cases, "report", "matrix", "-o", target)
    assert code == 0, err
    rows = read(target)
    assert list(rows[0]) == ["case", "units", CODE, OTHER, BULLY]  # used codes, codebook order
    assert rows == [
        {"case": "c1", "units": "7", CODE: "4", OTHER: "1", BULLY: "0"},  # ada 6 + bo's 1
        {"case": "c2", "units": "4", CODE: "0", OTHER: "0", BULLY: "2"},
    ]


def test_presence_for_one_coder(coder_cli: Cli, two_cases: Path) -> None:
    code, out, err = coder_cli(
        "-p",
        two_cases,
        "report",
        "matrix",
        "--measure",
        "presence",
        "--coder",
        "ada",
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["case"], r["units"], r[CODE], r[OTHER], r[BULLY]) for r in rows] == [
        ("c1", "6", "1", "1", "0"),
        ("c2", "4", "0", "0", "1"),
    ]


def test_grouped_by_robustness_in_level_order(
    coder_cli: Cli, two_cases: Path, tmp_path: Path
) -> None:
    target = tmp_path / "m.csv"
    code, out, err = coder_cli(
        "-p", two_cases, "report", "matrix", "--by", "relational_robustness", "-o", target
    )
    assert code == 0, err
    rows = read(target)
    # steady < wavering < trembling; c1's coders disagree, so c1 sits at each one's level
    assert [(r["relational_robustness"], r["case"], r["units"], r[CODE]) for r in rows] == [
        ("steady", "c2", "4", "0"),
        ("wavering", "c1", "1", "1"),
        ("trembling", "c1", "6", "3"),
    ]
    assert "Coders rated c1 differently" in out


def test_the_consensus_rating_settles_the_level(coder_cli: Cli, two_cases: Path) -> None:
    with Project.open(two_cases) as project:
        record_rating_consensus(
            project, "c1", "relational_robustness", "wavering", coders=("ada", "bo")
        )
    code, out, err = coder_cli(
        "-p",
        two_cases,
        "report",
        "matrix",
        "--by",
        "relational_robustness",
        "--where",
        "relational_robustness=Vaklende",
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["case"], r["units"], r[CODE]) for r in rows] == [("c1", "7", "4")]


def test_xlsx_reads_back_with_labels_and_level_totals(
    coder_cli: Cli, two_cases: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "m.xlsx"
    code, out, err = coder_cli(
        "-p",
        two_cases,
        "report",
        "matrix",
        "--by",
        "relational_robustness",
        "--coder",
        "ada",
        "-o",
        target,
    )
    assert code == 0, err
    sheet = load_workbook(target)["matrix"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Case x code matrix (units coded; coder ada, by relational_robustness)"
    header = next(i for i, row in enumerate(values) if row[1] == "case")
    assert values[header][:5] == [
        "relational_robustness",
        "case",
        "units",
        "Lav sosioøkonomisk status",
        "Andre familieforhold",
    ]
    assert values[header + 1][3:6] == [CODE, OTHER, BULLY]
    body = [row[:6] for row in values[header + 2 :]]
    assert body == [
        ["Stødig", "c2", 4, 0, 0, 2],
        ["Stødig", "All (1)", 4, 0, 0, 2],
        ["Skjelvende", "c1", 6, 3, 1, 0],
        ["Skjelvende", "All (1)", 6, 3, 1, 0],
    ]
    assert sheet.cell(header + 4, 2).font.bold  # the total row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "mood"], "--by 'mood': unknown case attribute"),
        (["--where", "relational_robustness=shaky"], "has no level 'shaky'"),
        (["-o", "{tmp}/out.json"], "the matrix is written as .csv or .xlsx"),
        (["-o", "{tmp}/out.xlsx", "--sep", ";"], "are for CSV, not .xlsx"),
        (["--coder", "nobody"], "unknown coder 'nobody'"),
    ],
)
def test_bad_input_says_what_and_writes_nothing(
    coder_cli: Cli, two_cases: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, out, err = coder_cli(
        "-p", two_cases, "report", "matrix", *(arg.format(tmp=tmp_path) for arg in args)
    )
    assert code != 0
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("out.*"))


def test_an_unknown_measure_is_refused(run_coder: Callable[..., Any], two_cases: Path) -> None:
    done = run_coder("-p", str(two_cases), "report", "matrix", "--measure", "mean")
    assert done.returncode == 2
    assert "invalid choice: 'mean'" in done.stderr


def test_a_transcript_imported_without_a_case_is_its_own_row(
    coder_cli: Cli, small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    from coder.export.retrieval import retrieve

    with Project.open(small_project) as project:
        apply_code(project, "ada", excerpt_ids(project)[1], BULLY)
        found = retrieve(project, BULLY, case="intervju").segments
    assert [(s.transcript_id, s.case_id) for s in found] == [("intervju", "intervju")]
    code, out, err = coder_cli("-p", small_project, "report", "matrix", "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["case,units,risk.psychosocial.bullying", "intervju,1,1"]
