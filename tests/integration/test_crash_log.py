"""No traceback with locals, ever: an unexpected error prints one line, logs details 0600."""

from __future__ import annotations

import stat
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from support.processes import run_python

SECRET = "Jeg følte meg ensom på skolen"  # a line of the transcript in small_project


def logs(root: Path) -> list[Path]:
    return sorted((root / ".coder" / "logs").glob("crash-*.log"))


def assert_private_log(root: Path) -> str:
    (log,) = logs(root)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and SECRET in text  # the details are in the file
    return str(log)


def test_cli_unexpected_error(
    small_project: Path,
    coder_cli: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import coder.store.queries as queries

    def broken(*_args: object, **_kwargs: object) -> None:
        text = SECRET
        raise ValueError(f"cannot count {text!r}")

    monkeypatch.setattr(queries, "status", broken)
    code, out, err = coder_cli("--project", small_project, "status")
    assert code == 70
    assert SECRET not in out + err and "Traceback" not in err
    where = assert_private_log(small_project)
    assert where in err and "ValueError" in err and len(err.strip().splitlines()) == 1


APP = """
import sys
from pathlib import Path
from coder.tui.app import make_app
from coder.tui.screens.home_screen import HomeScreen

def boom(self, *args):
    text = {secret!r}
    raise ValueError(text)

HomeScreen.on_mount = boom
app = make_app(Path(sys.argv[1]), coder="ada", resume=False)
app.run(headless=True)
sys.exit(app.return_code or 0)
"""


def test_tui_unexpected_error_prints_no_interview_text(small_project: Path) -> None:
    script = textwrap.dedent(APP.format(secret=SECRET))
    done = run_python(script, small_project)
    assert done.returncode == 1
    shown = done.stdout + done.stderr
    assert SECRET not in shown and "Traceback" not in shown and "locals" not in shown
    where = assert_private_log(small_project)
    assert where.split("/")[-1] in shown.replace("\n", "")
