"""The column-wise cases import: ``read_csv_table`` and the checks that run once per value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.errors import ImportFailedError, ValidationError
from coder.project.project import Project
from coder.store.cases_import import import_cases
from coder.store.csv_input import read_csv_table
from coder.store.queries import case_attribute_values
from support.backends import plain_sql

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL


def test_read_csv_table_strips_pads_and_numbers_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        'Case ; County;age\n a ; Oslo ;17\n\n;;\nb;"Møre og\nRomsdal"\nc\n', encoding="utf-8"
    )
    header, lines, rows = read_csv_table(path)
    assert header == ["case", "county", "age"]
    # blank records are skipped, a quoted line break keeps the next row's line right
    assert lines == [2, 5, 7]
    assert rows == [["a", "Oslo", "17"], ["b", "Møre og\nRomsdal", ""], ["c", "", ""]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("case,age\na,1\nb,2,3\n", ":3: more values than columns in the header"),
        ('case,age\na,1\nb,"2\n', ":3: unterminated quote"),
        ("case,age,case\na,1,b\n", ":1: duplicate column(s) case"),
    ],
)
def test_read_csv_table_refuses_what_read_csv_rows_refuses(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv_table(path)


def _payload(root: Path) -> dict[str, object]:
    rows = plain_sql(
        root, "SELECT payload FROM events WHERE kind = 'cases.imported' ORDER BY id DESC LIMIT 1"
    )
    return json.loads(str(rows[0][0]))  # type: ignore[no-any-return]


def test_one_bad_cell_among_many_is_found_with_its_line(new_project: Path) -> None:
    path = new_project / "cases.csv"
    good = "".join(f"c{n:04d},Oslo,{15 + n % 15}\n" for n in range(3000))
    path.write_text(f"case,county,age\n{good}c9999,Oslo,tjue\nc0007,Agder,17\n", encoding="utf-8")
    with Project.open(new_project) as project, pytest.raises(ValidationError) as caught:
        import_cases(project, path)
    assert [(p.line, p.field) for p in caught.value.problems] == [(3002, "age"), (3003, "case")]
    assert "duplicate case id 'c0007' (also on line 9)" in str(caught.value)
    with Project.open(new_project) as project:
        assert case_attribute_values(project) == {}  # all or nothing


def test_a_second_import_merges_and_logs_old_and_new_cases(new_project: Path) -> None:
    path = new_project / "cases.csv"
    path.write_text("case,county,gender\nung01,Oslo,female\nung02,Agder,\n", encoding="utf-8")
    with Project.open(new_project) as project:
        assert import_cases(project, path) == 2
    assert _payload(new_project)["changes"] == {
        "ung01": {"county": [None, "Oslo"], "gender": [None, "female"]},
        "ung02": {"county": [None, "Agder"]},
    }
    path.write_text("case,gender,age\nung02,Mann,18\nung03,,\nung01,female,\n", encoding="utf-8")
    with Project.open(new_project) as project:
        assert import_cases(project, path) == 3
        assert case_attribute_values(project) == {
            "ung01": {"county": "Oslo", "gender": "female", "age": None},
            "ung02": {"county": "Agder", "gender": "male", "age": "18"},
            "ung03": {"gender": None, "age": None},
        }
    payload = _payload(new_project)
    assert payload["cases"] == 3
    assert payload["changes"] == {"ung02": {"age": [None, "18"], "gender": [None, "male"]}}


def test_a_file_with_only_the_case_column_adds_the_cases(new_project: Path) -> None:
    path = new_project / "cases.csv"
    path.write_text("case\nung01\nung02\n", encoding="utf-8")
    with Project.open(new_project) as project:
        assert import_cases(project, path) == 2
    assert _payload(new_project)["changes"] == {}
