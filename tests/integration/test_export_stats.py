"""`coder export spss|stata|r` read back by real readers: pyreadstat, GNU PSPP and R.

PSPP (Debian package ``pspp``) is installed by ``.ci/run``: in CI (``CI`` set) a missing
``pspp`` fails the test; on a developer machine without it the PSPP check is skipped. The R
script is always checked line by line against the codebook; it is also run with ``Rscript``
(Debian package ``r-base-core``, installed by ``.ci/run``; a missing R fails the test in CI)
when R is installed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from coder.export.naming import is_valid_name
from support.backends import Backend
from support.export_project import FACTS, LONG_A, excerpt, make_export_project
from support.processes import run

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Cli = Callable[..., tuple[int, str, str]]
ROBUSTNESS_NB = {1: "Stødig", 2: "Vaklende", 3: "Skjelvende"}
CODED_NB = {0: "Ikke kodet", 1: "Kodet"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Path:
    """The export project, built once for this module (exports only read it)."""
    return make_export_project(tmp_path_factory.mktemp("stats") / "p", backend)


def export(cli: Cli, folder: Path, *args: str | Path) -> str:
    code, out, err = cli("--project", folder, "export", *args)
    assert code == 0, err
    return out


def mapping(path: Path) -> dict[str, dict[str, str]]:
    """``FILE.ext.columns.csv`` beside ``path`` (``FILE.ext``), by column."""
    target = path.with_name(f"{path.name}.columns.csv")
    with target.open(encoding="utf-8", newline="") as handle:
        return {row["column"]: row for row in csv.DictReader(handle)}


def code_columns(columns: dict[str, dict[str, str]], kind: str = "code") -> dict[str, str]:
    return {row["code_id"]: name for name, row in columns.items() if row["kind"] == kind}


def as_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


# --- SPSS and Stata through pyreadstat -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["spss", "stata"])
def test_wide_with_variable_and_value_labels(
    folder: Path, coder_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / ("wide.sav" if fmt == "spss" else "wide.dta")
    export(coder_cli, folder, fmt, "-o", path)
    reader = pyreadstat.read_sav if fmt == "spss" else pyreadstat.read_dta
    frame, meta = reader(path)
    columns = mapping(path)
    assert list(frame.columns) == list(columns)
    assert all(is_valid_name(name) for name in frame.columns)
    labels = meta.column_names_to_labels
    codes = code_columns(columns)
    assert labels[codes["familie.brudd"]] == "Familie og oppvekst > Brudd i familien"
    assert (
        labels[codes[LONG_A]] == "Familie og oppvekst > Støtte fra søsken og besteforeldre over tid"
    )
    assert labels["relational_robustness"] == "Relasjonell robusthet"
    value_labels = meta.variable_value_labels
    for column in codes.values():
        assert {int(k): v for k, v in value_labels[column].items()} == CODED_NB
    assert {int(k): v for k, v in value_labels["relational_robustness"].items()} == ROBUSTNESS_NB
    neet = {int(k): v for k, v in value_labels["neet_status"].items()}
    assert neet == {1: "I utdanning", 2: "I arbeid", 3: "Inaktiv NEET"}  # codebook order

    rows = frame.to_dict(orient="records")
    assert len(rows) == 7
    for row in rows:
        coded = set(FACTS["codings"][row["coder"]][(row["transcript"], int(row["excerpt"]))])
        for code, column in codes.items():
            assert as_int(row[column]) == (1 if code in coded else 0)
    by_unit = {(r["coder"], r["transcript"]): r for r in rows}
    assert as_int(by_unit[("åse", "intervju")]["relational_robustness"]) == 2  # wavering
    assert as_int(by_unit[("åse", "samtale")]["relational_robustness"]) == 3  # trembling
    assert as_int(by_unit[("bjørn", "samtale")]["relational_robustness"]) is None
    assert as_int(by_unit[("åse", "samtale")]["neet_status"]) == 3
    assert by_unit[("åse", "samtale")]["county"] == "Tromsø"
    assert as_int(by_unit[("åse", "intervju")]["age"]) == 17
    if fmt == "spss":
        measure = meta.variable_measure
        assert measure["relational_robustness"] == "ordinal"
        assert measure["neet_status"] == "nominal" and measure["age"] == "scale"

    # where each attribute value came from: a labelled string column right after it
    names = list(frame.columns)
    for attribute in ("relational_robustness", "neet_status", "age", "county"):
        assert names[names.index(attribute) + 1] == f"{attribute}_source"
        assert columns[f"{attribute}_source"]["kind"] == "source"
    assert labels["relational_robustness_source"] == "Kilde for Relasjonell robusthet"
    assert "relational_robustness_source" not in value_labels
    sources = {unit: row["relational_robustness_source"] for unit, row in by_unit.items()}
    assert sources == {
        ("åse", "intervju"): "consensus",
        ("bjørn", "intervju"): "consensus",
        ("åse", "samtale"): "coder",
        ("bjørn", "samtale"): "",
    }


@pytest.mark.parametrize("fmt", ["spss", "stata"])
def test_wide_source_labels_in_english(
    folder: Path, coder_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / ("wide.sav" if fmt == "spss" else "wide.dta")
    export(coder_cli, folder, fmt, "-o", path, "--lang", "en")
    reader = pyreadstat.read_sav if fmt == "spss" else pyreadstat.read_dta
    _, meta = reader(path, metadataonly=True)
    labels = meta.column_names_to_labels
    assert labels["relational_robustness_source"] == "Source of Relational robustness"
    assert labels["county_source"] == "Source of County"


@pytest.mark.parametrize("fmt", ["spss", "stata"])
@pytest.mark.parametrize("coder", ["åse", "bjørn", "consensus"])
def test_cases_with_ratings_in_codebook_order(
    folder: Path, coder_cli: Cli, tmp_path: Path, fmt: str, coder: str
) -> None:
    path = tmp_path / ("cases.sav" if fmt == "spss" else "cases.dta")
    selection = ["--consensus"] if coder == "consensus" else ["--coder", coder]
    export(coder_cli, folder, fmt, "-o", path, "--table", "cases", "--lang", "en", *selection)
    reader = pyreadstat.read_sav if fmt == "spss" else pyreadstat.read_dta
    frame, meta = reader(path)
    columns = mapping(path)
    rating = {
        row["label_nb"].split("(")[1].rstrip(")"): name
        for name, row in columns.items()
        if row["kind"] == "rating"
    }
    assert set(rating) == {coder}  # the selected layer's rating only
    by_case = {row["case"]: row for row in frame.to_dict(orient="records")}
    rank = {"steady": 1, "wavering": 2, "trembling": 3}
    for case in by_case:
        value = FACTS["ratings"].get((coder, case))
        assert as_int(by_case[case][rating[coder]]) == (rank[value] if value else None)
    levels = {int(k): v for k, v in meta.variable_value_labels[rating[coder]].items()}
    assert levels == {1: "Steady", 2: "Wavering", 3: "Trembling"}
    assert meta.column_names_to_labels[rating[coder]] == f"Relational robustness ({coder})"
    counts = code_columns(columns, "count")
    presence = code_columns(columns)
    if coder == "consensus":  # it never observed ung02: system-missing, not 0
        assert all(as_int(by_case["ung02"][column]) is None for column in counts.values())
        assert all(as_int(by_case["ung02"][column]) is None for column in presence.values())
        assert as_int(by_case["ung01"][counts["skole"]]) == 0
    else:
        assert as_int(by_case["ung02"][counts["skole"]]) == 1
        assert as_int(by_case["ung02"][presence["2.gang"]]) == (1 if coder == "bjørn" else 0)
    assert counts["skole"] not in meta.variable_value_labels  # a count, not a category
    assert {int(k): v for k, v in meta.variable_value_labels[presence["skole"]].items()} == {
        0: "Not coded",
        1: "Coded",
    }


@pytest.mark.parametrize("fmt", ["spss", "stata"])
def test_long_keeps_text_and_norwegian_letters(
    folder: Path, coder_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / ("long.sav" if fmt == "spss" else "long.dta")
    export(coder_cli, folder, fmt, "-o", path, "--table", "long")
    reader = pyreadstat.read_sav if fmt == "spss" else pyreadstat.read_dta
    frame, meta = reader(path)
    assert meta.column_names_to_labels["text"] == "Utdragstekst"
    texts = set(frame["text"])
    assert excerpt(folder, "intervju", 4).text in texts
    assert excerpt(folder, "samtale", 2).text in texts  # quotes, ';' and a line break
    assert FACTS["memo"][3] in set(frame["excerpt_memo"])
    assert "memo" not in frame.columns
    assert meta.column_names_to_labels["excerpt_memo"] == (
        "Koderens memo om utdraget (gjentas på hver koding av utdraget)"
    )
    rows = frame.to_dict(orient="records")
    with_memo = {(r["coder"], r["transcript"], r["excerpt"]) for r in rows if r["excerpt_memo"]}
    assert with_memo == {("åse", "intervju", 4)}  # the memo's excerpt and coder only
    assert not (tmp_path / f"{path.name}.columns.csv").exists()


# --- GNU PSPP ------------------------------------------------------------------------------------


def pspp_tables(listing: str) -> dict[str, list[list[str]]]:
    """PSPP's CSV output split into its tables (``Table: NAME`` lines)."""
    tables: dict[str, list[list[str]]] = {}
    name = ""
    for row in csv.reader(io.StringIO(listing)):
        if len(row) == 1 and row[0].startswith("Table: "):
            name = row[0][len("Table: ") :]
            tables[name] = []
        elif row and name:
            tables[name].append(row)
    return tables


def test_pspp_lists_the_variable_and_value_labels(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    pspp = shutil.which("pspp")
    if pspp is None:
        if os.environ.get("CI"):
            pytest.fail("GNU PSPP (Debian package pspp) is not installed; CI must install it")
        pytest.skip("GNU PSPP is not installed (apt-get install pspp)")
    path = tmp_path / "wide.sav"
    export(coder_cli, folder, "spss", "-o", path)
    syntax = tmp_path / "show.sps"
    syntax.write_text(f"GET FILE='{path}'.\nDISPLAY DICTIONARY.\n", encoding="utf-8")
    listing = tmp_path / "listing.csv"
    done = run([pspp, "-O", "format=csv", "-o", listing, syntax])
    assert done.returncode == 0, done.stdout + done.stderr
    tables = pspp_tables(listing.read_text(encoding="utf-8"))
    header, *variables = tables["Variables"]
    name, label, level = (
        header.index("Name"),
        header.index("Label"),
        header.index("Measurement Level"),
    )
    listed = {row[name]: (row[label], row[level]) for row in variables}
    columns = mapping(path)
    assert list(listed) == list(columns)
    codes = code_columns(columns)
    assert listed[codes["familie.brudd"]] == ("Familie og oppvekst > Brudd i familien", "Nominal")
    assert listed["relational_robustness"] == ("Relasjonell robusthet", "Ordinal")
    assert listed["county"][0] == "Fylke"

    values: dict[str, dict[str, str]] = {}
    current = ""
    for row in tables["Value Labels"][1:]:
        current = row[0] or current
        values.setdefault(current, {})[row[1]] = row[2]
    assert values["Relasjonell robusthet"] == {"1": "Stødig", "2": "Vaklende", "3": "Skjelvende"}
    assert values["NEET-status"] == {"1": "I utdanning", "2": "I arbeid", "3": "Inaktiv NEET"}
    assert values["Familie og oppvekst > Brudd i familien"] == {"0": "Ikke kodet", "1": "Kodet"}


# --- R -------------------------------------------------------------------------------------------


def r_text(literal: str) -> str:
    """An R string literal as the script writes it, decoded."""
    assert literal.isascii()
    body = literal[1:-1]
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), body).replace('\\"', '"')


def test_r_script_reads_the_csv_with_labelled_factors(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "data.csv"
    stdout = export(coder_cli, folder, "r", "-o", path, "--table", "cases", "--coder", "åse")
    script = tmp_path / "data.R"
    assert f"Wrote {script}" in stdout
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert frame.to_dict(orient="records") == rows and len(rows) == 2
    assert list(frame.columns) == list(mapping(path))
    text = script.read_text(encoding="utf-8")
    assert text.isascii()  # runs the same in any locale
    assert 'path <- "data.csv"' in text and 'encoding = "UTF-8"' in text
    factors = {
        m.group(1): (m.group(2), m.group(3), bool(m.group(4)))
        for m in re.finditer(
            r'data\[\["(\w+)"\]\] <- factor\(data\[\["\1"\]\], levels = c\((.*?)\), '
            r"labels = c\((.*?)\)(, ordered = TRUE)?\)",
            text,
        )
    }
    columns = mapping(path)
    rating = next(name for name, row in columns.items() if row["kind"] == "rating")
    levels, labels, ordered = factors[rating]
    assert levels == '"steady", "wavering", "trembling"' and ordered
    assert [r_text(x) for x in re.findall(r'"(?:[^"\\]|\\.)*"', labels)] == [
        "Stødig",
        "Vaklende",
        "Skjelvende",
    ]
    levels, labels, ordered = factors["neet_status"]
    assert levels == '"in_education", "in_work", "inactive_neet"' and not ordered
    presence = code_columns(columns)["skole"]
    assert factors[presence][:2] == ("0L, 1L", '"Ikke kodet", "Kodet"')
    assert set(factors) == {
        name
        for name, row in columns.items()
        if row["kind"] in ("code", "rating")
        or row["source_id"] in ("relational_robustness", "neet_status")
    }


def test_r_runs_the_script(folder: Path, coder_cli: Cli, tmp_path: Path) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("CI"):
            pytest.fail("Rscript is required in CI (.ci/run installs r-base-core)")
        pytest.skip("R is not installed; the script's text is checked in the test above")
    path = tmp_path / "wide.csv"
    export(coder_cli, folder, "r", "-o", path, "--sep", ";", "--bom")
    check = tmp_path / "check.R"
    check.write_text(
        'source("wide.R")\n'
        'cat(nrow(data), "\\n")\n'
        'cat(levels(data$relational_robustness), sep = "|"); cat("\\n")\n'
        'cat(is.ordered(data$relational_robustness), "\\n")\n'
        'cat(as.character(data$relational_robustness[data$coder == "\\u00e5se" & data$transcript == "samtale"]), "\\n")\n'
        'cat(attr(data$county, "label"), "\\n")\n'
        'cat(data$county[data$transcript == "samtale"][1], "\\n")\n'
        'cat(names(data)[1], "\\n")\n',
        encoding="utf-8",
    )
    done = run(
        [rscript, "--vanilla", check], cwd=tmp_path, env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in out.splitlines()]
    assert lines == [
        "7",
        "Stødig|Vaklende|Skjelvende",
        "TRUE",
        "Skjelvende",
        "Fylke",
        "Tromsø",
        "transcript",
    ]
