"""`coder cases import` and `coder codings import` end to end."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coder.project.project import Project
from coder.store.queries import (
    case_attribute_values,
    find_codings,
    find_memos,
    load_excerpts,
    reviewed_excerpts,
)

Cli = Callable[..., tuple[int, str, str]]
CODE = "risk.psychosocial.loneliness"
OTHER = "risk.psychosocial.bullying"


def status_json(cli: Cli, root: Path) -> dict[str, Any]:
    code, out, _ = cli("--project", root, "status", "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- cases ------------------------------------------------------------------------------------


def test_cases_import_stores_every_attribute(demo_project: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli(
        "--project", demo_project, "cases", "import", demo_project / "cases.csv"
    )
    assert code == 0, err
    assert "Imported attributes of 9 cases" in out
    with Project.open(demo_project) as project:
        values = case_attribute_values(project)
    assert set(values) == {"eng01", *(f"ung0{n}" for n in range(1, 9))}
    assert values["ung06"] == {
        "neet_status": "inactive_neet",
        "age": "24",
        "gender": "female",
        "child_welfare": "yes",
        "minority_background": "no",
        "county": "Trøndelag",
    }
    assert status_json(coder_cli, demo_project)["cases"] == 9


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-16"])
def test_cases_csv_from_excel_in_any_common_encoding(
    new_project: Path, coder_cli: Cli, encoding: str
) -> None:
    # an even number of bytes: a wrong UTF-16 guess would decode this without an error
    text = "case;county\r\nabc;Trøndelag\r\n"
    assert len(text.encode("cp1252")) % 2 == 0
    path = write(new_project / "cases.csv", text, encoding)
    code, _, err = coder_cli("--project", new_project, "cases", "import", path)
    assert code == 0, err
    with Project.open(new_project) as project:
        assert case_attribute_values(project) == {"abc": {"county": "Trøndelag"}}


def test_cases_import_merges_the_columns_it_has(new_project: Path, coder_cli: Cli) -> None:
    path = write(new_project / "cases.csv", "case,county,age,gender\nung01,Oslo,17,female\n")
    assert coder_cli("--project", new_project, "cases", "import", path)[0] == 0
    # a partial file sets its columns (an empty cell clears one) and keeps the others
    write(path, "case,county,age\nung01,Vestland,\n")
    assert coder_cli("--project", new_project, "cases", "import", path)[0] == 0
    with Project.open(new_project) as project:
        assert case_attribute_values(project) == {
            "ung01": {"county": "Vestland", "age": None, "gender": "female"}
        }
    db = sqlite3.connect(new_project / ".coder" / "coder.db")
    payload = db.execute(
        "SELECT payload FROM events WHERE kind = 'cases.imported' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    db.close()
    # the audit trail keeps what the import overwrote
    assert json.loads(payload)["changes"] == {
        "ung01": {"age": ["17", None], "county": ["Oslo", "Vestland"]}
    }


def test_cases_import_accepts_level_labels(new_project: Path, coder_cli: Cli) -> None:
    path = write(new_project / "cases.csv", "case;gender;child_welfare\nung01;Kvinne;Ja\n")
    assert coder_cli("--project", new_project, "cases", "import", path)[0] == 0
    with Project.open(new_project) as project:
        assert case_attribute_values(project)["ung01"] == {
            "gender": "female",
            "child_welfare": "yes",
        }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "case,county\nung01,Oslo\nung02,Oslo\nung01,Vestland\n",
            [":4: case: duplicate case id 'ung01' (also on line 2)"],
        ),
        ("case,county,hobby\nung01,Oslo,fotball\n", [":1: hobby: unknown case attribute 'hobby'"]),
        (
            "case,neet_status,age\nung01,student,17\nung02,in_work,tjue\n",
            [":2: neet_status: 'student' is not a level", ":3: age: age needs a number"],
        ),
        ("county\nOslo\n", [":1: needs a 'case' column"]),
    ],
    ids=["duplicate-ids", "unknown-column", "invalid-values", "no-case-column"],
)
def test_bad_cases_files_are_refused_whole(
    new_project: Path, coder_cli: Cli, text: str, expected: list[str]
) -> None:
    path = write(new_project / "cases.csv", text)
    code, _, err = coder_cli("--project", new_project, "cases", "import", path)
    assert code == 1
    assert err.startswith("error: ") and "Traceback" not in err
    for fragment in expected:
        assert f"{path}{fragment}" in err
    with Project.open(new_project) as project:
        assert case_attribute_values(project) == {}


# --- codings ----------------------------------------------------------------------------------


def test_codings_import_by_excerpt_number(small_project: Path, coder_cli: Cli) -> None:
    path = write(
        small_project / "koder.csv",
        "transcript,excerpt,code,coder,memo\n"
        f"intervju,1,{CODE},kari,\n"  # excerpt 1 is the interviewer's turn: numbers count it
        f"intervju,2,{CODE},kari,Tydelig ensomhet – «ingen voksne»\n"
        f"intervju,2,{OTHER},kari,\n"
        f"intervju,4,{OTHER},,\n",  # no coder: --coder's
    )
    code, out, err = coder_cli(
        "--project", small_project, "codings", "import", path, "--coder", "ola"
    )
    assert code == 0, err
    assert "Read 4 rows: 4 codings added, 3 excerpts marked reviewed, coders: kari, ola" in out
    with Project.open(small_project) as project:
        rows = find_codings(project)
        excerpts = load_excerpts(project, "intervju")
        assert {(r.seq, r.code_id, r.coder, r.origin) for r in rows} == {
            (1, CODE, "kari", "imported"),
            (2, CODE, "kari", "imported"),
            (2, OTHER, "kari", "imported"),
            (4, OTHER, "ola", "imported"),
        }
        assert excerpts[0].speaker == "Intervjuer"
        assert reviewed_excerpts(project, "kari") == {excerpts[0].id, excerpts[1].id}
        assert reviewed_excerpts(project, "ola") == {excerpts[3].id}
        assert [m["text"] for m in find_memos(project)] == ["Tydelig ensomhet – «ingen voksne»"]
    data = status_json(coder_cli, small_project)
    assert data["coders"]["kari"]["codings"] == 3 and data["coders"]["kari"]["reviewed"] == 2

    # importing the same file again adds nothing, not even a second memo
    code, out, _ = coder_cli(
        "--project", small_project, "codings", "import", path, "--coder", "ola"
    )
    assert code == 0 and "0 codings added, 0 excerpts marked reviewed" in out
    with Project.open(small_project) as project:
        assert len(find_codings(project)) == 4 and len(find_memos(project)) == 1


def test_codings_import_records_reviewed_without_a_code(
    small_project: Path, coder_cli: Cli
) -> None:
    path = write(
        small_project / "sett.csv",
        f"transcript,excerpt,code,coder\nintervju,2,,kari\nintervju,4,{CODE},kari\n",
    )
    code, out, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 0, err
    assert "Read 2 rows: 1 codings added, 2 excerpts marked reviewed" in out
    with Project.open(small_project) as project:
        excerpts = load_excerpts(project, "intervju")
        # excerpt 2 is an observed "no code", not missing data
        assert reviewed_excerpts(project, "kari") == {excerpts[1].id, excerpts[3].id}
        assert [(r.seq, r.code_id) for r in find_codings(project)] == [(4, CODE)]


def test_codings_import_refuses_an_empty_file(small_project: Path, coder_cli: Cli) -> None:
    path = write(small_project / "tom.csv", "transcript,excerpt,code,coder\n")
    code, _, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 1 and "no rows below the header" in err


def test_codings_import_by_start_and_end(
    small_project: Path, coder_cli: Cli, interview: str
) -> None:
    word = interview.index("ensom")
    excerpt_2_start = interview.index("Jeg følte")
    excerpt_2_end = interview.index("åttende.") + len("åttende.")
    path = write(
        small_project / "spenn.csv",
        "transcript;start;end;code\n"
        f"intervju;{word};{word + 5};{CODE}\n"
        f"intervju;{excerpt_2_start};{excerpt_2_end};{OTHER}\n",
    )
    code, _, err = coder_cli(
        "--project", small_project, "codings", "import", "--coder", "kari", path
    )
    assert code == 0, err
    with Project.open(small_project) as project:
        rows = {r.code_id: r for r in find_codings(project)}
        text = load_excerpts(project, "intervju")[1]
    assert rows[CODE].seq == 2 and rows[CODE].span == (word, word + 5)
    assert interview[word : word + 5] == "ensom" and text.start <= word
    assert rows[OTHER].seq == 2 and rows[OTHER].span is None  # the whole excerpt


def test_bad_codings_rows_are_all_listed_and_nothing_is_imported(
    small_project: Path, coder_cli: Cli, interview: str
) -> None:
    across = interview.index("skolen?")  # from excerpt 1 into excerpt 2
    path = write(
        small_project / "koder.csv",
        "transcript,excerpt,start,end,code,coder\n"
        f"intervju,2,,,{CODE},kari\n"  # fine on its own
        f"ukjent,1,,,{CODE},kari\n"
        f"intervju,7,,,{CODE},kari\n"
        "intervju,3,,,no.such.code,kari\n"
        f"intervju,,{across},{across + 20},{CODE},kari\n"
        "intervju,3,,,risk,kari\n",
    )
    code, _, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 1
    assert err.startswith("error: 5 problems in ") and "Traceback" not in err
    assert f"{path}:3: transcript: unknown transcript 'ukjent'" in err
    assert f"{path}:4: excerpt: unknown excerpt 7 in 'intervju' (it has 1-6)" in err
    assert f"{path}:5: code: unknown code 'no.such.code'" in err
    assert f"{path}:6: start: {across}-{across + 20} does not lie inside one excerpt" in err
    assert f"{path}:7: code: 'risk' is a group heading" in err
    with Project.open(small_project) as project:
        assert find_codings(project) == []
        assert reviewed_excerpts(project, "kari") == set()


def test_codings_import_needs_a_coder(small_project: Path, coder_cli: Cli) -> None:
    path = write(small_project / "k.csv", f"transcript,excerpt,code\nintervju,2,{CODE}\n")
    code, _, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 1 and "pass --coder NAME" in err


def test_a_long_export_imports_back_with_its_memos(small_project: Path, coder_cli: Cli) -> None:
    path = write(
        small_project / "koder.csv",
        f"transcript,excerpt,code,coder,memo\nintervju,2,{CODE},kari,Viktig – «ensom»\n",
    )
    assert coder_cli("--project", small_project, "codings", "import", path)[0] == 0
    out = small_project / "long.csv"
    assert coder_cli("--project", small_project, "export", "long", "-o", out)[0] == 0
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert "excerpt_memo" in header
    with Project.open(small_project) as project:
        from coder.store.operations import delete_memo

        (memo,) = find_memos(project)
        delete_memo(project, "kari", int(memo["id"]))
    code, _, err = coder_cli("--project", small_project, "codings", "import", out)
    assert code == 0, err
    with Project.open(small_project) as project:
        assert [m["text"] for m in find_memos(project)] == ["Viktig – «ensom»"]
