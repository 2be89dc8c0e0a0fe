"""Reports: frequencies, co-occurrence and crosstabs as frames (for the TUI) and on the CLI."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from coder.errors import NotFoundError
from coder.export.coder_selection import CoderSelection
from coder.export.reports import build_report, cooccurrence, crosstab, frequencies
from coder.project.project import Project
from support.backends import Backend
from support.export_project import FACTS, LONG_A, LONG_B, make_export_project

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Cli = Callable[..., tuple[int, str, str]]
Run = Callable[..., subprocess.CompletedProcess[str]]
CODES = ["familie.brudd", LONG_A, LONG_B, "in", "skole", "skole-", "2.gang"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Path:
    """The export project, built once for this module (reports only read it)."""
    return make_export_project(tmp_path_factory.mktemp("reports") / "p", backend)


def units(coders: list[str]) -> list[tuple[str, str, int, set[str]]]:
    """(coder, transcript, excerpt, codes) for every observed unit of ``coders``."""
    return [
        (coder, tid, seq, set(codes))
        for coder in coders
        for (tid, seq), codes in FACTS["codings"][coder].items()
    ]


def test_frequencies_count_excerpts_per_code_and_coder(folder: Path) -> None:
    with Project.open(folder) as project:
        frame = frequencies(project)
        english = frequencies(project, CoderSelection(consensus=True), "en")
    assert list(frame.columns) == ["code", "label", "bjørn", "åse"]
    assert list(frame["code"]) == [*CODES, ""]
    for coder in ("åse", "bjørn"):
        observed = units([coder])
        expected = [sum(code in codes for *_, codes in observed) for code in CODES]
        assert list(frame[coder]) == [*expected, len(observed)]  # last row: excerpts observed
    assert frame.loc[frame["code"] == "in", "label"].item() == "Inne i systemet"
    assert list(english.columns) == ["code", "label", "consensus"]
    assert english.loc[english["code"] == "familie.brudd", "label"].item() == "Family break"
    assert english["label"].iloc[-1] == "All excerpts"


def test_cooccurrence_is_a_symmetric_count_of_units_with_both_codes(folder: Path) -> None:
    with Project.open(folder) as project:
        frame = cooccurrence(project)
    observed = units(["åse", "bjørn"])
    used = [code for code in CODES if any(code in codes for *_, codes in observed)]
    assert list(frame["code"]) == used and list(frame.columns) == ["code", "label", *used]
    for row in frame.to_dict(orient="records"):
        for other in used:
            both = sum(row["code"] in codes and other in codes for *_, codes in observed)
            assert row[other] == both, (row["code"], other)
    matrix = frame.set_index("code")[used]
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert matrix.loc["familie.brudd", "in"] == 1 and matrix.loc["skole", "skole"] == 2


def test_crosstab_counts_codes_by_relational_robustness(folder: Path) -> None:
    with Project.open(folder) as project:
        frame = crosstab(project)
        by_neet = crosstab(project, "neet_status", CoderSelection(names=("åse",)))
    assert list(frame.columns) == [
        "code",
        "label",
        "steady",
        "wavering",
        "trembling",
        "not_rated",
        "total",
    ]
    # a unit's level: cases.csv, else the consensus rating, else its own coder's rating
    level = {
        ("åse", "intervju"): "wavering",
        ("bjørn", "intervju"): "wavering",
        ("åse", "samtale"): "trembling",
        ("bjørn", "samtale"): "not_rated",
    }
    observed = units(["åse", "bjørn"])
    for row in frame.to_dict(orient="records")[:-1]:
        for column in ("steady", "wavering", "trembling", "not_rated"):
            expected = sum(
                row["code"] in codes and level[(coder, tid)] == column
                for coder, tid, _, codes in observed
            )
            assert row[column] == expected, (row["code"], column)
        assert row["total"] == sum(row["code"] in codes for *_, codes in observed)
    totals = frame.iloc[-1]
    assert (totals["wavering"], totals["trembling"], totals["not_rated"], totals["total"]) == (
        5,
        1,
        1,
        7,
    )
    assert list(by_neet.columns) == [
        "code",
        "label",
        "in_education",
        "in_work",
        "inactive_neet",
        "not_rated",
        "total",
    ]
    assert by_neet.loc[by_neet["code"] == "skole", "inactive_neet"].item() == 1


def test_crosstab_refuses_an_unknown_attribute(folder: Path) -> None:
    with (
        Project.open(folder) as project,
        pytest.raises(NotFoundError, match="unknown case attribute 'nope'"),
    ):
        crosstab(project, "nope")


def test_crosstab_says_where_its_levels_came_from(folder: Path) -> None:
    """The mixing rule (cases.csv, else consensus, else own rating) is stated and counted."""
    with Project.open(folder) as project:
        report = build_report(project, "crosstab")
        by_neet = build_report(project, "crosstab", by="neet_status")
        agreed = build_report(project, "crosstab", selection=CoderSelection(consensus=True))
    # åse's and bjørn's intervju units: consensus; åse's samtale: her own; bjørn's: not rated
    assert dict(report.sources) == {"cases": 0, "consensus": 5, "coder": 1, "not_rated": 1}
    assert report.title == (
        "Codes by relational_robustness (excerpt x coder units; "
        "levels from: consensus rating 5, coder's own rating 1, not rated 1)"
    )
    rule, counts = report.notes
    assert "cases.csv, else the consensus layer's rating, else the rating by the unit's" in rule
    assert "relational_robustness_source" in rule
    assert counts == (
        "Units by source of their level: cases.csv: 0; consensus rating: 5; "
        "coder's own rating: 1; not rated: 1."
    )
    assert report.to_dict()["notes"] == list(report.notes)
    assert report.to_dict()["sources"] == dict(report.sources)
    assert dict(by_neet.sources) == {"cases": 7, "consensus": 0, "coder": 0, "not_rated": 0}
    assert by_neet.title.endswith("(excerpt x coder units; levels from: cases.csv 7)")
    assert dict(agreed.sources) == {"cases": 0, "consensus": 2, "coder": 0, "not_rated": 0}


def test_report_to_dict_is_plain_data(folder: Path) -> None:
    with Project.open(folder) as project:
        report = build_report(project, "crosstab", by="neet_status")
    data = report.to_dict()
    assert data["report"] == "crosstab" and data["options"] == {"by": "neet_status"}
    assert data["rows"][0]["code"] == "familie.brudd"
    assert "neet_status" in data["title"]


# --- the CLI -------------------------------------------------------------------------------------


def test_report_prints_a_table(folder: Path, run_coder: Run) -> None:
    result = run_coder("--project", folder, "report", "frequencies")
    assert result.returncode == 0, result.stderr
    assert "Code frequencies by coder" in result.stdout
    assert "åse" in result.stdout and "bjørn" in result.stdout
    assert "Inne i systemet" in result.stdout and "Alle utdrag" in result.stdout


def test_crosstab_on_the_cli_says_where_its_levels_came_from(
    folder: Path, run_coder: Run, coder_cli: Cli, tmp_path: Path
) -> None:
    result = run_coder("--project", folder, "report", "crosstab")
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "levels from: consensus rating 5, coder's own rating 1, not rated 1" in flat
    assert "else the consensus layer's rating, else the rating by the unit's own coder" in flat
    code, out, err = coder_cli("--project", folder, "report", "crosstab", "--format", "csv")
    assert code == 0 and "levels from: consensus rating 5" in err
    assert "levels from" not in out  # stdout stays CSV
    target = tmp_path / "crosstab.csv"
    code, out, err = coder_cli("--project", folder, "report", "crosstab", "-o", target)
    assert code == 0 and "levels from: consensus rating 5" in out
    assert "Units by source of their level: cases.csv: 0; consensus rating: 5" in out


@pytest.mark.parametrize("name", ["frequencies", "cooccurrence", "crosstab"])
def test_report_as_csv_matches_the_frame(
    folder: Path, coder_cli: Cli, tmp_path: Path, name: str
) -> None:
    code, out, err = coder_cli("--project", folder, "report", name, "--format", "csv")
    assert code == 0, err
    with Project.open(folder) as project:
        expected = build_report(project, name).frame
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [list(row) for row in rows[:1]] == [list(map(str, expected.columns))]
    read = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert read.to_dict(orient="records") == rows
    assert read.astype(str).values.tolist() == expected.astype(str).values.tolist()

    target = tmp_path / f"{name}.csv"
    code, out, err = coder_cli(
        "--project", folder, "report", name, "-o", target, "--sep", ";", "--bom"
    )
    assert code == 0 and f"Wrote {target}" in out, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    read = pd.read_csv(target, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert read.astype(str).values.tolist() == expected.astype(str).values.tolist()
    text = raw.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[0] == list(
        map(str, expected.columns)
    )


def test_report_options_and_errors(folder: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli(
        "--project",
        folder,
        "report",
        "crosstab",
        "--by",
        "neet_status",
        "--consensus",
        "--format",
        "csv",
        "--lang",
        "en",
    )
    assert code == 0, err
    header, *rows = list(csv.reader(io.StringIO(out, newline="")))
    assert header == [
        "code",
        "label",
        "in_education",
        "in_work",
        "inactive_neet",
        "not_rated",
        "total",
    ]
    assert rows[-1] == ["", "All excerpts", "2", "0", "0", "0", "2"]
    code, out, err = coder_cli("--project", folder, "report", "crosstab", "--by", "nope")
    assert code == 1 and err.startswith("error: unknown case attribute 'nope'")
    code, out, err = coder_cli("--project", folder, "report", "frequencies", "--coder", "nobody")
    assert code == 1 and "unknown coder 'nobody'" in err


def test_report_file_must_end_in_csv(tmp_path: Path) -> None:
    import pytest

    from coder.errors import CoderError
    from coder.export.reports import Report, save_report

    report = Report("frequencies", "t", __import__("pandas").DataFrame({"a": [1]}))
    with pytest.raises(CoderError, match="does not end in .csv"):
        save_report(report, tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()
    assert save_report(report, tmp_path / "r.csv").read_text(encoding="utf-8").startswith("a")
