"""`coder export long|wide|cases` end to end: every CSV read back with pandas and the csv module."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from coder.export.naming import is_valid_name
from support.backends import Backend
from support.export_project import FACTS, LONG_A, LONG_B, excerpt, make_export_project

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Run = Callable[..., subprocess.CompletedProcess[str]]
Cli = Callable[..., tuple[int, str, str]]

LONG_COLUMNS = [
    "transcript",
    "case",
    "excerpt",
    "start",
    "end",
    "span_start",
    "span_end",
    "speaker",
    "text",
    "code",
    "code_label",
    "code_path",
    "coder",
    "origin",
    "created",
    "excerpt_memo",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Path:
    """The export project, built once for this module (exports only read it)."""
    return make_export_project(tmp_path_factory.mktemp("export") / "p", backend)


def export(run: Run | Cli, folder: Path, *args: str | Path) -> str:
    """Run ``coder export ARGS`` (in a subprocess or in-process); returns its stdout."""
    result = run("--project", folder, "export", *args)
    if isinstance(result, tuple):
        code, out, err = result
    else:
        code, out, err = result.returncode, result.stdout, result.stderr
    assert code == 0, err
    assert "Traceback" not in err
    return out


def read_both(
    path: Path, sep: str = ",", bom: bool = False
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The file through pandas and through the csv module; both must agree on the header."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    frame = pd.read_csv(path, sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep))
    assert list(frame.columns) == list(rows[0]) if rows else True
    assert len(frame) == len(rows)
    assert frame.to_dict(orient="records") == rows
    return frame, rows


def expected_codings(coders: list[str]) -> list[tuple[str, int, str, str]]:
    return sorted(
        (tid, seq, code, coder)
        for coder in coders
        for (tid, seq), codes in FACTS["codings"][coder].items()
        for code in codes
    )


# --- long ----------------------------------------------------------------------------------------


def test_long_has_one_row_per_coding_with_every_column(
    folder: Path, run_coder: Run, tmp_path: Path
) -> None:
    out = tmp_path / "long.csv"
    stdout = export(run_coder, folder, "long", "-o", out)
    count = len(expected_codings(["åse", "bjørn"]))
    assert f"Wrote {out}: {count} rows x 16 columns" in stdout
    frame, rows = read_both(out)
    assert list(frame.columns) == LONG_COLUMNS
    got = sorted((r["transcript"], int(r["excerpt"]), r["code"], r["coder"]) for r in rows)
    assert got == expected_codings(["åse", "bjørn"])  # human coders by default

    stored = excerpt(folder, "intervju", 4)
    (row,) = [r for r in rows if r["coder"] == "åse" and r["excerpt"] == "4"]
    assert row["case"] == "ung01"
    assert (int(row["start"]), int(row["end"])) == (stored.start, stored.end)
    assert row["speaker"] == "Deltaker"
    assert (
        row["text"] == stored.text
        and "søsteren" in row["text"]
        and "«du klarer det»" in row["text"]
    )
    assert row["code"] == LONG_A
    assert row["code_label"] == "Støtte fra søsken og besteforeldre over tid"
    assert row["code_path"] == "Familie og oppvekst > Støtte fra søsken og besteforeldre over tid"
    assert row["origin"] == "manual"
    assert row["created"].startswith("20") and "T" in row["created"]
    assert row["excerpt_memo"] == FACTS["memo"][3]
    assert (row["span_start"], row["span_end"]) == ("", "")

    # the quote, the separator, the comma and the line break survive the round trip
    samtale = excerpt(folder, "samtale", 2)
    spans = [r for r in rows if r["transcript"] == "samtale" and r["coder"] == "åse"]
    assert [r["text"] for r in spans] == [samtale.text]
    assert (int(spans[0]["span_start"]), int(spans[0]["span_end"])) == (
        samtale.start + 3,
        samtale.start + 10,
    )


def test_long_labels_follow_lang_and_selection(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "long.csv"
    export(coder_cli, folder, "long", "-o", out, "--lang", "en", "--all-coders")
    _, rows = read_both(out)
    got = sorted((r["transcript"], int(r["excerpt"]), r["code"], r["coder"]) for r in rows)
    assert got == expected_codings(["åse", "bjørn", "consensus", "model"])
    brudd = next(r for r in rows if r["code"] == "familie.brudd")
    assert (brudd["code_label"], brudd["code_path"]) == (
        "Family break",
        "Family and upbringing > Family break",
    )
    assert {r["origin"] for r in rows if r["coder"] == "consensus"} == {"consensus"}
    assert {r["origin"] for r in rows if r["coder"] == "model"} == {"suggestion"}

    export(coder_cli, folder, "long", "-o", out, "--consensus")
    _, rows = read_both(out)
    assert sorted((r["excerpt"], r["code"]) for r in rows) == [
        ("2", "familie.brudd"),
        ("4", LONG_A),
    ]


# --- wide ----------------------------------------------------------------------------------------


def test_wide_is_one_row_per_observed_excerpt_and_coder(
    folder: Path, run_coder: Run, tmp_path: Path
) -> None:
    out = tmp_path / "wide.csv"
    stdout = export(run_coder, folder, "wide", "-o", out)
    assert f"Wrote {tmp_path / 'wide.csv.columns.csv'}" in stdout
    frame, rows = read_both(out)
    mapping, _ = read_both(tmp_path / "wide.csv.columns.csv")
    column_of = {
        r["code_id"]: r["column"] for r in mapping.to_dict(orient="records") if r["code_id"]
    }
    assert set(column_of) == {"familie.brudd", LONG_A, LONG_B, "in", "skole", "skole-", "2.gang"}
    assert list(mapping["column"]) == list(frame.columns)

    units = {(r["coder"], r["transcript"], int(r["excerpt"])) for r in rows}
    expected = {(c, t, s) for c in ("åse", "bjørn") for (t, s) in FACTS["codings"][c]}
    assert units == expected and len(rows) == len(
        expected
    )  # bjørn never reviewed intervju 6: no row
    for row in rows:
        coded = set(FACTS["codings"][row["coder"]][(row["transcript"], int(row["excerpt"]))])
        for code, column in column_of.items():
            assert row[column] == ("1" if code in coded else "0"), (row, code)
    # reviewed without a code: an observed row of zeros
    (empty,) = [r for r in rows if r["coder"] == "åse" and r["excerpt"] == "6"]
    assert all(empty[column] == "0" for column in column_of.values())

    # case attributes joined: cases.csv, else the consensus rating, else the row coder's own
    by_unit = {(r["coder"], r["transcript"]): r for r in rows}
    assert by_unit[("åse", "intervju")]["neet_status"] == "in_education"
    assert by_unit[("åse", "intervju")]["county"] == "Bærum"
    assert by_unit[("åse", "samtale")]["county"] == "Tromsø"
    assert by_unit[("åse", "intervju")]["age"] == "17"
    assert by_unit[("åse", "samtale")]["age"] == ""
    assert by_unit[("åse", "intervju")]["relational_robustness"] == "wavering"  # consensus
    assert by_unit[("åse", "samtale")]["relational_robustness"] == "trembling"  # her own
    assert by_unit[("bjørn", "samtale")]["relational_robustness"] == ""  # not rated


def test_wide_says_where_each_attribute_value_came_from(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    """The mixing rule stays, but every attribute is followed by its ``_source`` column."""
    out = tmp_path / "wide.csv"
    export(coder_cli, folder, "wide", "-o", out)
    frame, rows = read_both(out)
    mapping = {r["column"]: r for r in read_both(tmp_path / "wide.csv.columns.csv")[1]}
    columns = list(frame.columns)
    for attribute in ("relational_robustness", "neet_status", "age", "county"):
        source = f"{attribute}_source"
        assert columns[columns.index(attribute) + 1] == source
        assert mapping[source]["kind"] == "source"
        assert mapping[source]["source_id"] == attribute
        assert "cases.csv" in mapping[source]["description"]
        assert source in mapping[attribute]["description"]  # the value column points to it
    assert mapping["relational_robustness_source"]["label_en"] == "Source of Relational robustness"
    assert mapping["relational_robustness_source"]["label_nb"] == "Kilde for Relasjonell robusthet"

    by_unit = {(r["coder"], r["transcript"]): r for r in rows}
    source = {unit: row["relational_robustness_source"] for unit, row in by_unit.items()}
    assert source == {
        ("åse", "intervju"): "consensus",  # ung01: the consensus rated it wavering
        ("bjørn", "intervju"): "consensus",
        ("åse", "samtale"): "coder",  # ung02: åse's own trembling
        ("bjørn", "samtale"): "",  # nobody bjørn trusts rated ung02
    }
    assert {r["neet_status_source"] for r in rows} == {"cases"}
    assert by_unit[("åse", "samtale")]["age_source"] == ""  # empty in cases.csv
    assert by_unit[("åse", "intervju")]["age_source"] == "cases"


def test_wide_column_names_are_valid_unique_and_mapped(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "wide.csv"
    export(coder_cli, folder, "wide", "-o", out)
    mapping, rows = read_both(tmp_path / "wide.csv.columns.csv")
    names = list(mapping["column"])
    assert all(is_valid_name(name) and len(name) <= 32 and name.isascii() for name in names)
    assert len({name.lower() for name in names}) == len(names)
    by_code = {r["code_id"]: r for r in rows if r["code_id"]}
    assert by_code["in"]["column"] == "v_in"  # a reserved word in SPSS, Stata and R
    assert by_code["2.gang"]["column"] == "v_2_gang"  # names start with a letter
    assert {by_code["skole"]["column"], by_code["skole-"]["column"]} == {"skole", "skole_2"}
    assert by_code[LONG_A]["column"] != by_code[LONG_B]["column"]
    assert (
        by_code[LONG_A]["label_nb"]
        == "Familie og oppvekst > Støtte fra søsken og besteforeldre over tid"
    )
    assert by_code[LONG_A]["label_en"] == "Family and upbringing > Lasting support from siblings"
    assert set(mapping.columns) >= {"column", "code_id", "label_nb", "label_en"}


def test_wide_for_the_consensus_layer_or_one_coder(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "wide.csv"
    export(coder_cli, folder, "wide", "-o", out, "--consensus")
    _, rows = read_both(out)
    assert {(r["coder"], r["excerpt"]) for r in rows} == {("consensus", "2"), ("consensus", "4")}
    export(coder_cli, folder, "wide", "-o", out, "--coder", "bjørn")
    _, rows = read_both(out)
    assert {r["coder"] for r in rows} == {"bjørn"} and len(rows) == 3


# --- cases ---------------------------------------------------------------------------------------

TRANSCRIPT_OF = {"ung01": "intervju", "ung02": "samtale"}


def read_cases(
    coder_cli: Cli, folder: Path, out: Path, *selection: str
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Export cases for ``selection``; rows by case, mapping rows by column."""
    export(coder_cli, folder, "cases", "-o", out, *selection)
    _, rows = read_both(out)
    mapping = {r["column"]: r for r in read_both(out.with_name(f"{out.name}.columns.csv"))[1]}
    return {r["case"]: r for r in rows}, mapping


@pytest.mark.parametrize("coder", ["åse", "bjørn", "consensus"])
def test_cases_has_attributes_ratings_counts_and_presence_of_one_layer(
    folder: Path, coder_cli: Cli, tmp_path: Path, coder: str
) -> None:
    selection = ("--consensus",) if coder == "consensus" else ("--coder", coder)
    by_case, mapping = read_cases(coder_cli, folder, tmp_path / "cases.csv", *selection)
    assert set(by_case) == {"ung01", "ung02"}
    assert (
        by_case["ung01"]["neet_status"] == "in_education" and by_case["ung02"]["county"] == "Tromsø"
    )

    # the selected layer's rating only: no other coder's, no consensus column for a coder
    ratings = {m["label_en"]: c for c, m in mapping.items() if m["kind"] == "rating"}
    assert list(ratings) == [f"Relational robustness ({coder})"]
    (column,) = ratings.values()
    for case in by_case:
        assert by_case[case][column] == FACTS["ratings"].get((coder, case), "")

    counts = {m["code_id"]: c for c, m in mapping.items() if m["kind"] == "count"}
    presence = {m["code_id"]: c for c, m in mapping.items() if m["kind"] == "code"}
    units = FACTS["codings"][coder]
    for case, tid in TRANSCRIPT_OF.items():
        observed = [codes for (t, _), codes in units.items() if t == tid]
        for code in counts:
            if not observed:  # the layer never looked at this case: missing, not 0
                assert by_case[case][counts[code]] == "", (case, code)
                assert by_case[case][presence[code]] == "", (case, code)
                continue
            n = sum(code in codes for codes in observed)
            assert by_case[case][counts[code]] == str(n), (case, code)
            assert by_case[case][presence[code]] == ("1" if n else "0")


def test_cases_does_not_or_codings_across_coders(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    """ung02: only bjørn coded 2.gang; for åse it is an observed 0, not bjørn's 1."""
    by_case, mapping = read_cases(coder_cli, folder, tmp_path / "c.csv", "--coder", "åse")
    presence = {m["code_id"]: c for c, m in mapping.items() if m["kind"] == "code"}
    assert by_case["ung02"][presence["2.gang"]] == "0"
    assert by_case["ung02"][presence["skole"]] == "1"
    by_case, _ = read_cases(coder_cli, folder, tmp_path / "c.csv", "--consensus")
    assert by_case["ung02"][presence["skole"]] == ""  # the consensus layer never saw ung02
    assert by_case["ung01"][presence["skole"]] == "0"


@pytest.mark.parametrize(
    "selection",
    [
        (),
        ("--all-coders",),
        ("--coder", "åse", "--coder", "bjørn"),
        ("--coder", "åse", "--consensus"),
    ],
)
def test_cases_refuses_several_coders(
    folder: Path, coder_cli: Cli, tmp_path: Path, selection: tuple[str, ...]
) -> None:
    out = tmp_path / "cases.csv"
    code, stdout, err = coder_cli("--project", folder, "export", "cases", "-o", out, *selection)
    assert code == 1, stdout
    assert err.startswith("error: the cases table counts codes for one layer"), err
    assert "pass --coder NAME" in err and "--consensus" in err
    assert "åse" in err  # it names whom the selection covered
    assert list(tmp_path.iterdir()) == []


# --- CSV options and errors ----------------------------------------------------------------------


@pytest.mark.parametrize("table", ["long", "wide", "cases"])
def test_semicolon_and_bom_for_excel(
    folder: Path, coder_cli: Cli, tmp_path: Path, table: str
) -> None:
    out = tmp_path / f"{table}.csv"
    selection = ["--coder", "åse"] if table == "cases" else []
    export(coder_cli, folder, table, "-o", out, "--sep", ";", "--bom", *selection)
    frame, rows = read_both(out, sep=";", bom=True)
    assert len(frame.columns) > 5
    text = out.read_bytes().decode("utf-8")
    assert "Bærum" in text or "søsteren" in text or "Tromsø" in text
    if table == "long":
        assert any('Læreren sa "nei; aldri"' in r["text"] for r in rows)  # quoted, not split
    if table != "long":
        read_both(tmp_path / f"{table}.csv.columns.csv", sep=";", bom=True)


def test_failures_are_clear_and_leave_nothing_behind(
    folder: Path, coder_cli: Cli, run_coder: Run, tmp_path: Path
) -> None:
    existing = tmp_path / "keep.csv"
    existing.write_text("old content\n", encoding="utf-8")
    cases = [
        (["wide", "-o", tmp_path], "it is a folder"),
        (["wide", "-o", existing / "w.csv"], "cannot write"),
        (["wide", "-o", existing, "--coder", "nobody"], "unknown coder 'nobody'"),
        (["wide", "-o", existing, "--sep", "::"], "--sep"),
        (["spss", "-o", tmp_path / "w.sav", "--lang", "de"], "--lang"),
    ]
    for args, message in cases:
        code, out, err = coder_cli("--project", folder, "export", *args)
        assert code == 1, (args, out)
        assert err.startswith("error: ") and message in err, err
    result = run_coder("--project", folder, "export", "wide", "-o", tmp_path / "missing" / "w.csv")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write") and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert existing.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["stata", "-o", "x.sav"], "stata exports are written to a .dta file, but"),
        (["spss", "-o", "x.csv"], "spss exports are written to a .sav file, but"),
        (["spss", "-o", "x.dta", "--table", "cases", "--coder", "åse"], "a .sav file"),
        (["wide", "-o", "x.sav"], "wide exports are written to a .csv file, but"),
        (["long", "-o", "x"], "long exports are written to a .csv file, but"),
        (["cases", "-o", "x.dta", "--consensus"], "cases exports are written to a .csv file"),
        (["r", "-o", "x.R"], "r exports are written to a .csv file, but"),
    ],
)
def test_a_file_name_with_the_wrong_suffix_is_refused_before_writing(
    folder: Path, coder_cli: Cli, tmp_path: Path, args: list[str], expected: str
) -> None:
    args = [str(tmp_path / arg) if arg.startswith("x") else arg for arg in args]
    code, out, err = coder_cli("--project", folder, "export", *args)
    assert code == 1, out
    assert err.startswith("error: ") and expected in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["spss", "stata"])
def test_sep_and_bom_are_offered_only_where_a_csv_is_written(
    folder: Path, run_coder: Run, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / ("x.sav" if fmt == "spss" else "x.dta")
    for option in (["--sep", ";"], ["--bom"]):
        result = run_coder("--project", folder, "export", fmt, "-o", path, *option)
        assert result.returncode == 2 and "unrecognized arguments" in result.stderr
    assert list(tmp_path.iterdir()) == []
    helps = {
        name: run_coder("export", name, "--help").stdout
        for name in ("long", "wide", "cases", "r", fmt)
    }
    assert "--sep" not in helps[fmt] and "--bom" not in helps[fmt]
    for name in ("long", "wide", "cases", "r"):
        assert "--sep" in helps[name] and "--bom" in helps[name], name


def test_exports_of_one_base_name_keep_their_own_mapping(
    folder: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    """A cases .sav and a wide .dta named alike: neither mapping overwrites the other."""
    export(coder_cli, folder, "spss", "-o", tmp_path / "out.sav", "--table", "cases", "--consensus")
    export(coder_cli, folder, "stata", "-o", tmp_path / "out.dta")
    export(coder_cli, folder, "wide", "-o", tmp_path / "out.csv")
    sav, _ = read_both(tmp_path / "out.sav.columns.csv")
    dta, _ = read_both(tmp_path / "out.dta.columns.csv")
    csv_, _ = read_both(tmp_path / "out.csv.columns.csv")
    assert "count" in set(sav["kind"]) and "source" not in set(sav["kind"])
    assert "source" in set(dta["kind"]) and "count" not in set(dta["kind"])
    assert list(csv_["column"]) == list(dta["column"])
    assert not (tmp_path / "out.columns.csv").exists()


def test_exports_are_private_files(folder: Path, coder_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "w.csv"
    export(coder_cli, folder, "wide", "-o", out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "w.csv.columns.csv").stat().st_mode & 0o777 == 0o600
