"""End to end: the real program in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def session() -> Iterator[str]:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    name = f"coder-e2e-{uuid.uuid4().hex[:8]}"
    yield name
    tmux("kill-session", "-t", name)


def wait_for(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name).stdout


def test_code_three_excerpts_quit_and_check_status(tmp_path: Path, session: str) -> None:
    folder = tmp_path / "e2e"
    init_project(folder)
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    with Project.open(folder) as project:
        import_transcript(project, folder / "transcripts" / "ung01.txt")
    command = shlex.join(
        [sys.executable, "-m", "coder", "--project", str(folder), "open", "--coder", "e2e"]
    )
    started = tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    assert started.returncode == 0, started.stderr
    wait_for(
        lambda: "ung01" in screen(session) and "Transcript" in screen(session), "the home screen"
    )
    tmux("send-keys", "-t", session, "Enter")
    wait_for(lambda: "ung01 3/41" in screen(session), "the coding screen")
    for hotkey, seq in (("1", 3), ("4", 5), ("7", 7)):
        tmux("send-keys", "-t", session, hotkey)
        wait_for(lambda: "applied" in screen(session), f"code {hotkey} applied")
        tmux("send-keys", "-t", session, "j")
        wait_for(lambda s=seq: f"ung01 {s + 2}/41" in screen(session), f"moved past {seq}")
    tmux("send-keys", "-t", session, "C-q")
    wait_for(lambda: tmux("has-session", "-t", session).returncode != 0, "the program to exit")
    status = subprocess.run(
        [sys.executable, "-m", "coder", "--project", str(folder), "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(status.stdout)
    assert data["coders"]["e2e"]["codings"] == 3
    assert data["coders"]["e2e"]["reviewed"] == 3


def test_killed_process_loses_nothing_and_resumes(tmp_path: Path, session: str) -> None:
    folder = tmp_path / "kill"
    config = init_project(folder)
    config.write_text(
        config.read_text(encoding="utf-8").replace("review_dwell_ms = 400", "review_dwell_ms = 0"),
        encoding="utf-8",
    )
    shutil.copyfile(ROOT / "transcripts" / "ung01.txt", folder / "transcripts" / "ung01.txt")
    with Project.open(folder) as project:
        import_transcript(project, folder / "transcripts" / "ung01.txt")
    command = shlex.join(
        [sys.executable, "-m", "coder", "--project", str(folder), "open", "--coder", "k"]
    )
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    wait_for(lambda: "Transcript" in screen(session), "the home screen")
    tmux("send-keys", "-t", session, "Enter")
    wait_for(lambda: "ung01 3/41" in screen(session), "the coding screen")
    tmux("send-keys", "-t", session, "2", "j", "j")
    wait_for(lambda: "ung01 7/41" in screen(session), "two moves")
    pid = tmux("display-message", "-p", "-t", session, "#{pane_pid}").stdout.strip()
    os.kill(int(pid), 9)  # as if the terminal were closed without warning
    wait_for(lambda: tmux("has-session", "-t", session).returncode != 0, "the process to die")
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    wait_for(lambda: "ung01 7/41" in screen(session), "the coding screen at the same excerpt")
    assert "1 reviewed" not in screen(session)
    assert "2/20 reviewed" in screen(session)
    tmux("send-keys", "-t", session, "C-q")
    wait_for(lambda: tmux("has-session", "-t", session).returncode != 0, "the program to exit")
    with Project.open(folder) as project:
        from coder.store.queries import status

        assert status(project)["coders"]["k"]["codings"] == 1


def test_bare_coder_inside_a_project_opens_the_app(tmp_path: Path, session: str) -> None:
    folder = tmp_path / "bare"
    init_project(folder)
    inner = folder / "transcripts"
    command = f"cd {shlex.quote(str(inner))} && {shlex.quote(sys.executable)} -m coder"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    wait_for(lambda: "Who is coding?" in screen(session), "the name prompt")
    tmux("send-keys", "-t", session, "Åse", "Enter")
    wait_for(
        lambda: "Transcript" in screen(session) and "Åse" in screen(session), "the home screen"
    )
    tmux("send-keys", "-t", session, "C-q")
    wait_for(lambda: tmux("has-session", "-t", session).returncode != 0, "the program to exit")
    assert json.loads((folder / ".coder" / "local.json").read_text(encoding="utf-8")) == {
        "coder": "Åse"
    }
