"""The one way tests start other processes: ``coder`` as a user runs it, Python, tools.

Every run has a timeout (a hung child fails the test instead of the suite), captures its output
as UTF-8 text, and never raises on a non-zero exit: tests assert on ``returncode`` themselves.
Children get ``PYTHONUTF8=1`` and ``COLUMNS=200`` so output does not depend on the terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

Result = subprocess.CompletedProcess[str]

TIMEOUT = 180
"""Seconds a child may run (spaCy-loading commands on a busy machine take a while)."""


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment plus the fixed settings every child gets, plus ``extra``."""
    return {**os.environ, "PYTHONUTF8": "1", "COLUMNS": "200", **(extra or {})}


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    stdout: int | IO[str] | None = subprocess.PIPE,
    input_text: str | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> Result:
    """Run ``command``; ``env`` adds to (never replaces) the environment.

    ``preexec_fn`` runs in the child before it starts (e.g. ``resource.setrlimit`` for a
    memory bound).
    """
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=child_env(env),
        stdout=stdout,
        stderr=subprocess.PIPE,
        input=input_text,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )


def run_coder(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    stdout: int | IO[str] | None = subprocess.PIPE,
    preexec_fn: Callable[[], None] | None = None,
) -> Result:
    """``python -m coder ARGS`` in a subprocess, as a user would run it."""
    return run(
        [sys.executable, "-m", "coder", *args],
        cwd=cwd,
        env=env,
        timeout=timeout,
        stdout=stdout,
        preexec_fn=preexec_fn,
    )


def run_python(
    code: str, *args: str | Path, cwd: Path | None = None, timeout: float = TIMEOUT
) -> Result:
    """``python -c CODE ARGS`` in a fresh interpreter."""
    return run([sys.executable, "-c", code, *args], cwd=cwd, timeout=timeout)


def modules_after(statements: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``statements`` in a fresh interpreter."""
    marker = "MODULES"
    code = (
        "import sys\n"
        + statements
        + f"\nprint({marker!r}, ' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split(marker, 1)[1].split())


def modules_after_each(statements: Sequence[str]) -> list[set[str]]:
    """Every module in ``sys.modules`` (dotted names) after each of ``statements``, run in
    turn in one fresh interpreter.

    What one statement loads in an interpreter of its own is a subset of what is loaded after
    it here (imports only add), so a module missing here is missing there too: one interpreter
    can clear many import checks, and only a check it cannot clear needs a fresh one.
    """
    marker = "MODULES"
    lines = ["import sys"]
    for statement in statements:
        lines += [statement, f"print({marker!r}, ' '.join(sorted(sys.modules)))"]
    done = run_python("\n".join(lines))
    assert done.returncode == 0, done.stderr
    return [set(part.split("\n", 1)[0].split()) for part in done.stdout.split(marker)[1:]]


def start_python(code: str, *args: str | Path, text: bool = False) -> subprocess.Popen[Any]:
    """``python -c CODE ARGS`` left running, with pipes for stdin, stdout and stderr.

    For children a test talks to while they run (a lock holder, a worker it kills); the test
    must end it (``wait`` or ``kill``). ``text=False`` gives unbuffered bytes.
    """
    return subprocess.Popen(
        [sys.executable, "-c", code, *(str(arg) for arg in args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        text=text,
        bufsize=-1 if text else 0,
    )


def start_coder(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    output: str = "merged",
    new_session: bool = False,
) -> subprocess.Popen[str]:
    """``python -m coder ARGS`` left running (a server, an import to interrupt), as text.

    ``output``: ``"merged"`` (stderr into stdout), ``"separate"`` (two pipes) or ``"discard"``.
    ``new_session`` gives it a process group of its own, so the test can end everything it
    started. The test must stop it (``send_signal``/``kill``, then ``wait``).
    """
    pipes = {
        "merged": (subprocess.PIPE, subprocess.STDOUT),
        "separate": (subprocess.PIPE, subprocess.PIPE),
        "discard": (subprocess.DEVNULL, subprocess.DEVNULL),
    }
    stdout, stderr = pipes[output]
    return subprocess.Popen(
        [sys.executable, "-m", "coder", *(str(arg) for arg in args)],
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        env=child_env(env),
        start_new_session=new_session,
    )
