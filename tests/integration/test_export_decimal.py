"""CSV for Excel in Norway: ``--sep ";"`` writes decimal commas; ``--decimal`` chooses (13.11)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from support.backends import Backend
from support.export_project import make_export_project

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Path:
    """The export project, with a fractional age (an interval attribute) for one case."""
    from coder.project.project import Project
    from coder.store.cases_import import import_cases

    root = make_export_project(tmp_path_factory.mktemp("decimal") / "p", backend)
    cases = root / "cases-2.csv"
    cases.write_text("case,age\nung01,17.5\nung02,19\n", encoding="utf-8")
    with Project.open(root) as project:
        import_cases(project, cases)
    return root


def rows(path: Path, sep: str) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep))


def run(coder_cli: Cli, folder: Path, *args: str | Path) -> tuple[int, str, str]:
    return coder_cli("--project", folder, "export", *args)


def test_semicolon_separator_writes_decimal_commas(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "cases.csv"
    code, _, err = run(coder_cli, folder, "cases", "-o", out, "--sep", ";", "--coder", "åse")
    assert code == 0, err
    by_case = {row["case"]: row for row in rows(out, ";")}
    assert by_case["ung01"]["age"] == "17,5"
    assert by_case["ung02"]["age"] == "19,0"
    assert all("." not in row["age"] for row in by_case.values())
    # Excel's Norwegian reading (sep ';', decimal ',') gets the numbers back as numbers.
    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame.set_index("case").loc["ung01", "age"] == pytest.approx(17.5)
    assert frame["age"].dtype.kind == "f"


def test_decimal_option_overrides_the_default(folder: Path, coder_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    code, _, err = run(coder_cli, folder, "wide", "-o", out, "--sep", ";", "--decimal", ".")
    assert code == 0, err
    assert {row["age"] for row in rows(out, ";") if row["case"] == "ung01"} == {"17.5"}
    tabbed = tmp_path / "tab.csv"
    code, _, err = run(coder_cli, folder, "wide", "-o", tabbed, "--sep", "tab", "--decimal", ",")
    assert code == 0, err
    assert {row["age"] for row in rows(tabbed, "\t") if row["case"] == "ung01"} == {"17,5"}
    plain = tmp_path / "plain.csv"
    assert run(coder_cli, folder, "wide", "-o", plain)[0] == 0
    assert {row["age"] for row in rows(plain, ",") if row["case"] == "ung01"} == {"17.5"}


def test_decimal_comma_with_comma_separator_is_refused(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "bad.csv"
    code, _, err = run(coder_cli, folder, "wide", "-o", out, "--decimal", ",")
    assert code != 0
    assert "--decimal ',' is also the field separator" in err
    assert not out.exists()


def test_r_script_reads_decimal_commas(folder: Path, coder_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    code, _, err = run(
        coder_cli, folder, "r", "-o", out, "--sep", ";", "--table", "cases", "--coder", "åse"
    )
    assert code == 0, err
    script = out.with_suffix(".R").read_text(encoding="utf-8")
    assert 'sep = ";", dec = ","' in script
    assert {row["age"] for row in rows(out, ";") if row["case"] == "ung01"} == {"17,5"}


def test_report_csv_follows_the_same_rule(folder: Path, coder_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "crosstab.csv"
    code, _, err = coder_cli(
        "--project", folder, "report", "crosstab", "--by", "age", "-o", out, "--sep", ";"
    )
    assert code == 0, err
    header = out.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert "17.5" in header  # a level name is text, not a number: left as written
    code, _, err = coder_cli(
        "--project", folder, "report", "frequencies", "--sep", ",", "--decimal", ",", "-o", out
    )
    assert code != 0 and "also the field separator" in err
