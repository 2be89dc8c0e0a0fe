"""A program in a real terminal (tmux): keys in, the screen out, waits driven by its output.

Each ``Terminal`` has its own tmux server (``tmux -L <unique socket>``), so parallel tests and
other tmux users never see each other's sessions. Waiting never sleeps: the pane's output is
piped into a FIFO, and ``wait_for`` re-reads the screen each time the program writes something;
``wait_exit`` blocks on a tmux channel that the pane's shell signals once the program has ended.
"""

from __future__ import annotations

import os
import select
import shlex
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from support.processes import Result, run

DIED = "app-ended"


class Terminal:
    """One tmux server holding (at most) one session running the program under test."""

    def __init__(self, folder: Path, width: int = 100, height: int = 30) -> None:
        self.socket = f"coder-test-{uuid.uuid4().hex[:12]}"
        self.folder = folder
        self.size = (width, height)
        self._fd: int | None = None
        self._starts = 0
        self.session = ""

    def tmux(self, *args: str) -> Result:
        """Run a tmux command against this terminal's own server."""
        return run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], timeout=30)

    def start(self, command: str) -> None:
        """Start ``command`` (a shell command line) in a fresh session."""
        self._starts += 1
        self.session = f"app{self._starts}"  # a new name: the last one may still be closing
        fifo = self.folder / f".{self.socket}-{self._starts}.fifo"
        os.mkfifo(fifo)
        self._close_output()
        self._fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        width, height = self.size
        signal = shlex.join(["tmux", "-L", self.socket, "wait-for", "-S", DIED])
        started = self.tmux(
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
            f"{command}; {signal}",
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        for option in (
            ("set-option", "-s", "exit-empty", "off"),  # the server outlives a session: restarts
            ("pipe-pane", "-t", self.session, f"cat > {shlex.quote(str(fifo))}"),
        ):
            done = self.tmux(*option)
            assert done.returncode == 0, (option, done.stderr)

    def keys(self, *keys: str) -> None:
        """Send keys as tmux names them (``Enter``, ``C-q``, or literal text)."""
        done = self.tmux("send-keys", "-t", self.session, *keys)
        assert done.returncode == 0, done.stderr

    def screen(self) -> str:
        """The visible screen as text."""
        return self.tmux("capture-pane", "-p", "-t", self.session).stdout

    def program_pid(self) -> int:
        """The process id of the program: the one child of the pane's shell."""
        shell = int(self.tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").stdout)
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        """Wait until ``check(screen)`` holds, re-checking whenever the program writes output."""
        assert self._fd is not None, "start() first"
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{shown}")
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if ready and not os.read(self._fd, 1 << 16):
                raise AssertionError(f"the program ended while waiting for {what}:\n{shown}")

    def wait_exit(self) -> None:
        """Wait until the program has ended (its shell signals the channel)."""
        done = self.tmux("wait-for", DIED)  # run()'s timeout ends a wait that never comes
        assert done.returncode == 0, done.stderr

    def close(self) -> None:
        """End the tmux server and everything in it."""
        self.tmux("kill-server")
        self._close_output()

    def _close_output(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
