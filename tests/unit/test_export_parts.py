"""Small parts of the exports: coder selection, R string escapes, labels, the format table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coder.cli import export as export_plugin
from coder.cli import report as report_plugin
from coder.domain.codebook import AttributeSpec, Level
from coder.errors import CoderError, NotFoundError
from coder.export.coder_selection import CoderRecord, CoderSelection
from coder.export.formats import FORMATS, TABLES, ExportOptions, check_target, mapping_path
from coder.export.reports import REPORTS
from coder.export.rscript import r_string
from coder.export.table import Column, ColumnSpec
from coder.export.unit_matrix import attribute_values
from support.processes import modules_after, run_coder

CODERS = [
    CoderRecord(1, "åse", "human"),
    CoderRecord(2, "model", "model"),
    CoderRecord(3, "bjørn", "human"),
    CoderRecord(4, "consensus", "consensus"),
]


def names(records: list[CoderRecord]) -> list[str]:
    return [record.name for record in records]


def test_selection_defaults_to_the_human_coders() -> None:
    assert names(CoderSelection().resolve(CODERS)) == ["bjørn", "åse"]
    assert names(CoderSelection(consensus=True).resolve(CODERS)) == ["consensus"]
    assert names(CoderSelection(("åse", "model")).resolve(CODERS)) == ["åse", "model"]
    assert names(CoderSelection(everyone=True).resolve(CODERS)) == [
        "bjørn",
        "åse",
        "consensus",
        "model",
    ]
    assert CoderSelection(consensus=True).describe(
        CoderSelection(consensus=True).resolve(CODERS)
    ) == ("the consensus layer")


def test_selection_errors_say_what_exists() -> None:
    with pytest.raises(
        NotFoundError, match=r"unknown coder 'kari' \(coders: bjørn, consensus, model, åse\)"
    ):
        CoderSelection(("kari",)).resolve(CODERS)
    with pytest.raises(NotFoundError, match="no consensus layer yet"):
        CoderSelection(consensus=True).resolve(CODERS[:3])
    with pytest.raises(CoderError, match="--all-coders"):
        CoderSelection(("åse",), everyone=True)


def test_r_strings_are_ascii_and_escaped() -> None:
    assert r_string('Stødig "nå"\\\n') == '"St\\u00f8dig \\"n\\u00e5\\"\\\\\\n"'
    assert r_string("😀") == '"\\U0001f600"'
    assert r_string("Aktiv NEET – søker").isascii()


def test_columns_number_levels_in_codebook_order_and_label_codes() -> None:
    levels = (Level("steady", {"nb": "Stødig"}), Level("wavering", {"nb": "Vaklende"}))
    rating = Column("rr_aase", ColumnSpec("k", "w", "rating", {"nb": "Robusthet"}, levels=levels))
    assert rating.value_labels("nb") == {1: "Stødig", 2: "Vaklende"}
    code = Column("skole", ColumnSpec("c", "skole", "code", {"nb": "Skole", "en": "School"}))
    assert code.value_labels("en") == {0: "Not coded", 1: "Coded"}
    assert code.value_labels("fi") == {0: "Not coded", 1: "Coded"}  # no words: English
    assert code.value_labels("de") == {0: "Nicht kodiert", 1: "Kodiert"}
    assert code.label("de") == "Skole"  # falls back to the first label


def test_the_format_table_and_the_cli_agree() -> None:
    assert [name for name, _ in export_plugin.FORMATS] == list(FORMATS)
    assert [name for name, _ in report_plugin.REPORTS] == list(REPORTS)
    assert {FORMATS[name].default_table for name in ("spss", "stata", "r")} == {"wide"}
    assert all(set(spec.tables) <= set(TABLES) for spec in FORMATS.values())
    assert dict(export_plugin.SUFFIXES) == {name: spec.suffix for name, spec in FORMATS.items()}
    assert set(export_plugin.CSV_FORMATS) == {n for n, spec in FORMATS.items() if spec.csv}


def test_the_mapping_is_named_after_the_whole_file_name() -> None:
    """wide.csv and wide.sav are different exports: each keeps its own mapping."""
    assert mapping_path(Path("out/data.sav")).as_posix() == "out/data.sav.columns.csv"
    assert mapping_path(Path("out/data.csv")).as_posix() == "out/data.csv.columns.csv"
    assert mapping_path(Path("out/data.dta")) != mapping_path(Path("out/data.sav"))


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        ("stata", "x.sav", ".dta"),
        ("spss", "x.csv", ".sav"),
        ("spss", "x", ".sav"),
        ("wide", "x.sav", ".csv"),
        ("long", "x.txt", ".csv"),
        ("cases", "x.dta", ".csv"),
        ("r", "x.R", ".csv"),
    ],
)
def test_a_file_name_with_another_formats_suffix_is_refused(
    fmt: str, name: str, expected: str
) -> None:
    with pytest.raises(CoderError, match=rf"{fmt} exports are written to a \{expected} file"):
        check_target(FORMATS[fmt], Path(name), ExportOptions())


def test_the_right_suffix_passes_in_any_case() -> None:
    for fmt, name in (("spss", "x.sav"), ("stata", "X.DTA"), ("r", "d.csv"), ("wide", "w.CSV")):
        check_target(FORMATS[fmt], Path(name), ExportOptions())


def test_sep_and_bom_are_refused_where_no_csv_is_written() -> None:
    for fmt, name in (("spss", "x.sav"), ("stata", "x.dta")):
        for options in (
            ExportOptions(sep=";"),
            ExportOptions(bom=True),
            ExportOptions(decimal=","),
        ):
            with pytest.raises(CoderError, match=f"--sep, --bom and --decimal are for CSV.*{fmt}"):
                check_target(FORMATS[fmt], Path(name), options)
    check_target(FORMATS["r"], Path("x.csv"), ExportOptions(sep=";", bom=True))


def test_attribute_values_say_where_each_value_came_from() -> None:
    """cases.csv, else the consensus rating, else the row coder's own: and the source says so."""
    levels = (Level("steady", {"en": "Steady"}), Level("wavering", {"en": "Wavering"}))
    spec = AttributeSpec("rr", {"en": "Robustness"}, "ordinal", levels)
    cases = pd.Series(["c1", "c2", "c2", "c3", "c4"])
    coders = pd.Series([1, 1, 2, 1, 2])
    fixed = pd.DataFrame({"case": ["c1"], "attribute": ["rr"], "value": ["steady"]})
    ratings = pd.DataFrame(
        {
            "case": ["c1", "c2", "c2", "c3", "c4"],
            "attribute": ["rr"] * 5,
            "coder_id": [9, 9, 1, 1, 1],
            "value": ["wavering", "wavering", "steady", "steady", "wavering"],
        }
    )
    values, sources = attribute_values(spec, cases, coders, fixed, ratings, consensus_id=9)
    assert values.tolist() == ["steady", "wavering", "wavering", "steady", None]
    assert sources.tolist() == ["cases", "consensus", "consensus", "coder", None]
    values, sources = attribute_values(spec, cases, coders, fixed, ratings, consensus_id=None)
    assert values.tolist() == ["steady", "steady", None, "steady", None]  # 9: just a coder
    assert sources.tolist() == ["cases", "coder", None, "coder", None]


@pytest.mark.parametrize(
    "module",
    [
        "coder.cli.export",
        "coder.cli.report",
        "coder.export.reports",
        "coder.export.formats",
    ],
)
def test_entry_points_import_nothing_heavy(module: str) -> None:
    """The CLI plug-ins and what the TUI imports first stay light: pandas loads on use."""
    loaded = modules_after(f"import {module}")
    assert not loaded & {"pandas", "numpy", "sqlalchemy", "pyreadstat", "textual"}, module


def test_help_lists_the_commands() -> None:
    done = run_coder("export", "--help")
    assert done.returncode == 0
    for name in FORMATS:
        assert name in done.stdout
    done = run_coder("report", "crosstab", "--help")
    assert "--by ATTRIBUTE" in done.stdout and "--format {table,csv}" in done.stdout
