"""Smaller CLI behaviours: listing excerpts, duplicate imports explained, closed pipes."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

from coder.project.init import init_project
from support.processes import run_coder

ROOT = Path(__file__).resolve().parents[2]


def coder(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_coder(*args, cwd=cwd)


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    init_project(folder)
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    assert coder("import", "transcripts", cwd=folder).returncode == 0
    return folder


def test_excerpts_lists_the_numbers_codings_import_uses(tmp_path: Path) -> None:
    folder = project(tmp_path)
    result = coder("excerpts", "ung01", "--format", "csv", cwd=folder)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["excerpt"] for r in rows[:3]] == ["1", "2", "3"]
    assert rows[0]["codable"] == "0" and rows[1]["speaker"] == "Intervjuer"
    assert rows[2]["role"] == "participant" and rows[2]["text"].startswith("Ja ... eh")
    text = (folder / "transcripts" / "ung01.txt").read_text(encoding="utf-8")
    assert text[int(rows[2]["start"]) : int(rows[2]["end"])] == rows[2]["text"]
    table = coder("excerpts", "ung01", cwd=folder)
    assert "not codable" in table.stdout and "Deltaker" in table.stdout
    missing = coder("excerpts", "nope", cwd=folder)
    assert missing.returncode == 1 and "unknown transcript 'nope'" in missing.stderr


def test_a_duplicate_under_another_name_is_explained(tmp_path: Path) -> None:
    folder = project(tmp_path)
    copy = folder / "kopi.txt"
    shutil.copyfile(folder / "transcripts" / "ung01.txt", copy)
    result = coder("import", str(copy), cwd=folder)
    assert result.returncode == 0
    assert (
        "same content as transcript ung01, imported already; nothing was added as 'kopi'"
        in result.stdout
    )


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    folder = project(tmp_path)
    read, write = os.pipe()
    os.close(read)  # nobody will read what coder prints
    result = run_coder("excerpts", "ung01", cwd=folder, stdout=write)
    os.close(write)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
