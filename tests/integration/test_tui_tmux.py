"""End to end: the real program in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from support.processes import run_coder
from support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    terminal = Terminal(tmp_path)
    yield terminal
    terminal.close()


def test_code_three_excerpts_quit_and_check_status(tmp_path: Path, term: Terminal) -> None:
    folder = tmp_path / "e2e"
    init_project(folder)
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    with Project.open(folder) as project:
        import_transcript(project, folder / "transcripts" / "ung01.txt")
    command = shlex.join(
        [sys.executable, "-m", "coder", "--project", str(folder), "open", "--coder", "e2e"]
    )
    term.start(command)
    term.wait_for(lambda shown: "ung01" in shown and "Transcript" in shown, "the home screen")
    term.keys("Enter")
    term.wait_for(lambda shown: "ung01 3/41" in shown, "the coding screen")
    for hotkey, seq in (("1", 3), ("4", 5), ("7", 7)):
        term.keys(hotkey)
        term.wait_for(lambda shown: "applied" in shown, f"code {hotkey} applied")
        term.keys("j")
        term.wait_for(lambda shown, s=seq: f"ung01 {s + 2}/41" in shown, f"moved past {seq}")
    term.keys("C-q")
    term.wait_exit()
    status = run_coder("--project", folder, "status", "--json")
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["coders"]["e2e"]["codings"] == 3
    assert data["coders"]["e2e"]["reviewed"] == 3


def test_killed_process_loses_nothing_and_resumes(tmp_path: Path, term: Terminal) -> None:
    folder = tmp_path / "kill"
    init_project(folder)
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    with Project.open(folder) as project:
        import_transcript(project, folder / "transcripts" / "ung01.txt")
    command = shlex.join(
        [sys.executable, "-m", "coder", "--project", str(folder), "open", "--coder", "k"]
    )
    term.start(command)
    term.wait_for(lambda shown: "Transcript" in shown, "the home screen")
    term.keys("Enter")
    term.wait_for(lambda shown: "ung01 3/41" in shown, "the coding screen")
    term.keys("2", "j", "j")
    term.wait_for(lambda shown: "ung01 7/41" in shown, "two moves")
    os.kill(term.program_pid(), 9)  # as if the terminal were closed without warning
    term.wait_exit()
    term.start(command)
    # home first (keys typed at start are never codes); Enter resumes where the coder was
    term.wait_for(lambda shown: "resumes ung01 at excerpt 7" in shown, "home, offering to resume")
    term.keys("Enter")
    term.wait_for(lambda shown: "ung01 7/41" in shown, "the coding screen at the same excerpt")
    assert "1/20 reviewed" in term.screen()  # the coded excerpt; passing over reviews nothing
    term.keys("C-q")
    term.wait_exit()
    with Project.open(folder) as project:
        from coder.store.queries import status

        assert status(project)["coders"]["k"]["codings"] == 1


def test_bare_coder_inside_a_project_opens_the_app(tmp_path: Path, term: Terminal) -> None:
    folder = tmp_path / "bare"
    init_project(folder)
    inner = folder / "transcripts"
    command = f"cd {shlex.quote(str(inner))} && {shlex.quote(sys.executable)} -m coder"
    term.start(command)
    term.wait_for(lambda shown: "Who is coding?" in shown, "the name prompt")
    term.keys("Åse", "Enter")
    term.wait_for(lambda shown: "Transcript" in shown and "Åse" in shown, "the home screen")
    term.keys("C-q")
    term.wait_exit()
    assert json.loads((folder / ".coder" / "local.json").read_text(encoding="utf-8")) == {
        "coder": "Åse"
    }
