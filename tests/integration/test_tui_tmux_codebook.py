"""End to end in a real terminal (tmux): create a code while coding, find it after a restart."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]
BOOK = Path("codebooks") / "relational-robustness.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    terminal = Terminal(tmp_path, width=120, height=40)
    yield terminal
    terminal.close()


def test_create_a_code_while_coding_and_find_it_after_a_restart(
    tmp_path: Path, term: Terminal
) -> None:
    folder = tmp_path / "grow"
    init_project(folder)
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    with Project.open(folder) as project:
        import_transcript(project, folder / "transcripts" / "ung01.txt")
    command = shlex.join(
        [sys.executable, "-m", "coder", "--project", str(folder), "open", "--coder", "e2e"]
    )
    term.start(command)
    term.wait_for(lambda shown: "Transcript" in shown, "the home screen")
    term.keys("Enter")
    term.wait_for(lambda shown: "ung01 3/41" in shown, "the coding screen")
    term.keys("C-n")
    term.wait_for(lambda shown: "New code" in shown and "Label (nb)" in shown, "the form")
    term.keys("-l", "Søvnvansker")
    term.keys("Enter")
    term.wait_for(lambda shown: "and applied it" in shown, "the code created and applied")
    term.keys("C-q")
    term.wait_exit()

    book = load_codebook(folder / BOOK)
    code = next(c for c in book.codes if c.label.get("nb") == "Søvnvansker")
    assert code.hotkey is not None and book.version == "1.1.0"
    connection = sqlite3.connect(folder / ".coder" / "coder.db")
    try:
        stored = connection.execute("SELECT code_id, codebook_version FROM codings").fetchall()
    finally:
        connection.close()
    assert stored == [(code.id, "1.1.0")]

    term.start(command)  # a restart: the code is in the codebook, its key works
    term.wait_for(lambda shown: "Transcript" in shown, "the home screen again")
    term.keys("Enter")
    term.wait_for(lambda shown: "ung01 3/41" in shown, "the coding screen, resumed")
    term.keys("-l", code.hotkey)
    term.wait_for(lambda shown: "removed" in shown and "Søvnvansker" in shown, "its key")
    term.keys("C-q")
    term.wait_exit()
