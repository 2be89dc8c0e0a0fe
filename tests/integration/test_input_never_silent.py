"""Broken CSV and transcript files are errors that name the line, never silent (issue 14.1).

An unterminated quote used to swallow the rows after it into a memo (exit 0, codings lost); a
file mixing UTF-8 and Windows-1252 used to be read as Windows-1252, garbling its UTF-8 part.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]
CODE = "risk.psychosocial.loneliness"


def counts(root: Path) -> tuple[int, int, int, int]:
    """Codings, memos, case attribute rows and ratings in the project's database."""
    queries = (
        "SELECT count(*) FROM codings",
        "SELECT count(*) FROM memos",
        "SELECT count(*) FROM case_attributes",
        "SELECT count(*) FROM case_ratings",
    )
    with sqlite3.connect(root / ".coder" / "coder.db") as db:
        a, b, c, d = (int(db.execute(query).fetchone()[0]) for query in queries)
    return a, b, c, d


# --- unterminated quotes ------------------------------------------------------------------------

UNTERMINATED = {
    "codings": (
        "transcript,excerpt,code,coder,memo\n"
        f"intervju,2,{CODE},kari,fine\n"
        f'intervju,4,{CODE},kari,"a memo whose quote never closes\n'
        f'intervju,6,{CODE},kari,"the next row, swallowed"\n'
    ),
    "cases": 'case,county\nung01,Oslo\nung02,"Vestland\nung03,Agder\n',
    "ratings": (
        'case,coder,relational_robustness\nintervju,kari,steady\nintervju,ola,"wavering\n'
        "intervju,per,trembling\n"
    ),
}
"""Per command, a CSV whose row starting on line 3 opens a quote that is never closed."""


@pytest.mark.parametrize("command", sorted(UNTERMINATED))
def test_an_unterminated_quote_is_an_error_naming_its_line(
    small_project: Path, coder_cli: Cli, command: str
) -> None:
    path = small_project / f"{command}.csv"
    path.write_text(UNTERMINATED[command], encoding="utf-8")
    before = counts(small_project)
    code, _, err = coder_cli("--project", small_project, command, "import", path)
    assert code == 1
    assert f"{path}:3: unterminated quote" in err
    assert "Traceback" not in err
    assert counts(small_project) == before


def test_a_quote_open_to_the_end_of_the_file_is_named_too(
    small_project: Path, coder_cli: Cli
) -> None:
    path = small_project / "codings.csv"
    path.write_text(
        "transcript,excerpt,code,coder,memo\n"
        f'intervju,2,{CODE},kari,"open\nintervju,4,{CODE},kari,plain\n',
        encoding="utf-8",
    )
    code, _, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 1
    assert f"{path}:2: unterminated quote" in err and "end of the file" in err


def test_a_quoted_memo_over_several_lines_is_still_one_value(
    small_project: Path, coder_cli: Cli
) -> None:
    path = small_project / "codings.csv"
    path.write_text(
        "transcript,excerpt,code,coder,memo\n"
        f'intervju,2,{CODE},kari,"first line\nsecond, with a ""quote"""\n'
        f"intervju,4,{CODE},kari,\n",
        encoding="utf-8",
    )
    code, out, err = coder_cli("--project", small_project, "codings", "import", path)
    assert code == 0, err
    with sqlite3.connect(small_project / ".coder" / "coder.db") as db:
        memos = [row[0] for row in db.execute("SELECT text FROM memos")]
    assert memos == ['first line\nsecond, with a "quote"']
    assert counts(small_project)[0] == 2


# --- mixed encodings ----------------------------------------------------------------------------


def mixed(first: str, second: str, *, utf8_first: bool) -> bytes:
    """Two parts of one file, one written as UTF-8 and the other as Windows-1252."""
    if utf8_first:
        return first.encode("utf-8") + second.encode("cp1252")
    return first.encode("cp1252") + second.encode("utf-8")


@pytest.mark.parametrize("command", ["cases", "codings", "ratings"])
def test_a_csv_mixing_utf8_and_cp1252_names_the_first_odd_line(
    small_project: Path, coder_cli: Cli, command: str
) -> None:
    head = {
        "cases": "case,county\nung01,Trøndelag\nung02,Bærum\nung03,Ås\n",
        "codings": f"transcript,excerpt,code,coder,memo\nintervju,2,{CODE},kari,blåbær\n"
        f"intervju,4,{CODE},kari,særlig\nintervju,6,{CODE},kari,på skolen\n",
        "ratings": "case,coder,relational_robustness\nintervju,bjørn,steady\n"
        "intervju,åse,steady\nintervju,kåre,steady\n",
    }[command]
    tail = {
        "cases": "ung04,Møre\n",
        "codings": f"intervju,2,{CODE},kari,øving\n",
        "ratings": "intervju,sølvi,steady\n",
    }[command]
    line = head.count("\n") + 1
    path = small_project / f"{command}.csv"
    path.write_bytes(mixed(head, tail, utf8_first=True))
    before = counts(small_project)
    code, _, err = coder_cli("--project", small_project, command, "import", path)
    assert code == 1
    assert f"{path}:{line}: the file is UTF-8 but this line is not" in err
    assert counts(small_project) == before


def test_a_cp1252_csv_with_one_utf8_line_names_that_line(new_project: Path, coder_cli: Cli) -> None:
    path = new_project / "cases.csv"
    head = "case,county\nung01,Trøndelag\nung02,Bærum\nung03,Ås\n"
    path.write_bytes(mixed(head, "ung04,Møre og Romsdal\n", utf8_first=False))
    code, _, err = coder_cli("--project", new_project, "cases", "import", path)
    assert code == 1
    assert f"{path}:5: the file mixes encodings: it is Windows-1252" in err
    assert "'ø'" in err


def test_a_transcript_mixing_encodings_is_refused_with_the_line(
    new_project: Path, coder_cli: Cli
) -> None:
    path = new_project / "transcripts" / "blandet.txt"
    path.write_bytes(
        mixed(
            "Intervjuer: Hvordan var skolen?\n\nDeltaker: Jeg følte meg ensom, særlig på høsten.\n",
            "\nIntervjuer: Og nå?\n\nDeltaker: Nå går det bedre på kurset.\n",
            utf8_first=True,
        )
    )
    code, _, err = coder_cli("--project", new_project, "import", path)
    assert code == 1
    assert f"{path}:5: the file is UTF-8 but this line is not" in err
    status = json.loads(coder_cli("--project", new_project, "status", "--json")[1])
    assert status["transcripts"] == 0


def test_a_windows_1252_transcript_is_read_with_a_warning(
    new_project: Path, coder_cli: Cli
) -> None:
    path = new_project / "transcripts" / "ansi.txt"
    path.write_bytes("Intervjuer: Hvordan går det?\n\nDeltaker: Bra, på skolen.\n".encode("cp1252"))
    code, _, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert f"warning: {path}: read as Windows-1252" in err
