"""Runs ``coder serve --port 0`` on a project in a subprocess, as a user would, for the tests.

The link is read from the server's output (the port is the one the system picked); the
server is stopped with SIGTERM, and its process group (the app sessions) ended after it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.processes import start_coder

LINK = re.compile(r"Open: (http://\S+)")


@dataclass
class Served:
    """A running server: its link, base URL and token."""

    link: str
    base: str
    token: str
    process: subprocess.Popen[str]
    output: list[str]


def _read_link(process: subprocess.Popen[str], output: list[str], deadline: float) -> str:
    """Read the output in a thread (kept in ``output``) until the link shows or the deadline."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        found = LINK.search(line)
        if found:
            return found.group(1)
    process.kill()
    process.wait(timeout=30)
    raise AssertionError(f"coder serve printed no link: {''.join(output)}")


@contextmanager
def serve(project: Path, home: Path, *extra: str, timeout: float = 60.0) -> Iterator[Served]:
    """``coder --project PROJECT serve --port 0 EXTRA...`` until the block ends."""
    process = start_coder(
        "--project",
        project,
        "serve",
        "--port",
        "0",
        *extra,
        env={"XDG_DATA_HOME": str(home)},
        new_session=True,
    )
    output: list[str] = []
    try:
        link = _read_link(process, output, time.monotonic() + timeout)
        parts = urlsplit(link)
        token = parse_qs(parts.query)["token"][0]
        yield Served(link, f"{parts.scheme}://{parts.netloc}", token, process, output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # app sessions the server left behind
