"""Bad input through the CLI: a clear message naming the file, exit 1, nothing half-written."""

from __future__ import annotations

import codecs
import random
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coder.project.project import Project
from coder.store.queries import list_transcripts
from coder.store.schema import SCHEMA_VERSION

Run = Callable[..., subprocess.CompletedProcess[str]]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(2000)
BROKEN_UTF8 = "Deltaker: Jeg følte meg så ensom på skolen, særlig i åttende.\n".encode() * 3
BROKEN_UTF8 = BROKEN_UTF8[:40] + b"\xff" + BROKEN_UTF8[40:]


def assert_clean_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


BAD_TRANSCRIPTS = [
    ("bilde.txt", PNG, "looks like a binary file"),
    ("tom.txt", b"", "the file is empty"),
    ("blank.txt", b" \n\n \r\n", "only white space"),
    ("rapport.pdf", b"%PDF-1.7 ...", "unsupported file type '.pdf'"),
    ("ødelagt.txt", BROKEN_UTF8, "invalid byte 0xFF"),
    ("halv.txt", codecs.BOM_UTF16_LE + "Deltaker: hei".encode("utf-16-le")[:-1], "cannot decode"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    BAD_TRANSCRIPTS,
    ids=["binary", "empty", "blank", "unknown-extension", "broken-utf8", "truncated-utf16"],
)
def test_a_bad_transcript_is_refused_and_nothing_is_imported(
    new_project: Path,
    coder_cli: Callable[..., tuple[int, str, str]],
    name: str,
    content: bytes,
    message: str,
) -> None:
    good = new_project / "transcripts" / "god.txt"
    good.write_text("Intervjuer: Hei.\n\nDeltaker: Hei på deg.\n", encoding="utf-8")
    bad = new_project / "transcripts" / name
    bad.write_bytes(content)
    code, out, err = coder_cli("--project", new_project, "import", good, bad)
    result = subprocess.CompletedProcess[str]([], code, out, err)
    assert_clean_error(result, str(bad), message, "Nothing was imported")
    assert str(good) not in err
    with Project.open(new_project) as project:
        assert list_transcripts(project) == []


def test_a_bad_transcript_through_the_real_entry_point(new_project: Path, run_coder: Run) -> None:
    bad = new_project / "transcripts" / "bilde.txt"
    bad.write_bytes(PNG)
    assert_clean_error(run_coder("--project", new_project, "import", bad), str(bad), "binary")


def test_a_missing_file_is_named(
    new_project: Path, coder_cli: Callable[..., tuple[int, str, str]]
) -> None:
    missing = new_project / "transcripts" / "finnes-ikke.txt"
    code, out, err = coder_cli("--project", new_project, "import", missing)
    assert_clean_error(subprocess.CompletedProcess[str]([], code, out, err), str(missing))


def test_duplicate_case_ids_name_both_lines(new_project: Path, run_coder: Run) -> None:
    path = new_project / "cases.csv"
    path.write_text("case,county\nung01,Oslo\nung01,Vestland\n", encoding="utf-8")
    result = run_coder("--project", new_project, "cases", "import", path)
    assert_clean_error(result, f"{path}:3", "duplicate case id 'ung01' (also on line 2)")


def test_a_binary_cases_file_is_refused(
    new_project: Path, coder_cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = new_project / "cases.csv"
    path.write_bytes(PNG)
    code, out, err = coder_cli("--project", new_project, "cases", "import", path)
    result = subprocess.CompletedProcess[str]([], code, out, err)
    assert_clean_error(result, str(path), "binary file, not CSV")


def test_a_database_from_a_newer_coder_is_refused(small_project: Path, run_coder: Run) -> None:
    db = small_project / ".coder" / "coder.db"
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    result = run_coder("--project", small_project, "import", small_project / "transcripts")
    assert_clean_error(result, str(db), "newer coder", "upgrade coder")
    assert db.read_bytes() == before


def test_a_damaged_database_is_refused(
    small_project: Path, coder_cli: Callable[..., tuple[int, str, str]]
) -> None:
    db = small_project / ".coder" / "coder.db"
    db.write_bytes(random.Random(1).randbytes(4096))
    code, out, err = coder_cli("--project", small_project, "status")
    result = subprocess.CompletedProcess[str]([], code, out, err)
    assert_clean_error(result, str(db), "not a coder database")


def test_a_locked_database_waits_then_fails_cleanly(
    small_project: Path,
    coder_cli: Callable[..., tuple[int, str, str]],
    hold_lock: Callable[[Path], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import coder.store.database

    monkeypatch.setattr(coder.store.database, "DEFAULT_BUSY_TIMEOUT_MS", 200)
    db = small_project / ".coder" / "coder.db"
    new = small_project / "transcripts" / "ny.txt"
    new.write_text("Deltaker: Ny tekst.\n", encoding="utf-8")
    holder = hold_lock(db)
    code, out, err = coder_cli("--project", small_project, "import", new)
    assert code == 1
    assert err.startswith(f"error: {db}: the database is locked by another process (waited 0.2 s)")
    assert "Traceback" not in err and out == ""
    holder.release()
    with Project.open(small_project) as project:
        assert [t.id for t in list_transcripts(project)] == ["intervju"]
