"""``LiveSession``: a marker saying "this coder has the app open here", to warn a second one.

The same coder in two terminals (or the app and a ``coder codings import`` at once) must never
lose work. Every action is checked against the database (``coder.tui.session``); this marker
adds the warning. It is a small file per coder in ``.coder/live/`` holding the process id, host
and start time, written at start and removed at exit. A marker whose process is gone (the
terminal was killed, the machine crashed) is stale: it is replaced without a warning. On
another host the process cannot be checked; a marker from there younger than a day counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

FOLDER = "live"
"""Under ``.coder/``."""
FOREIGN_HOST_TTL = timedelta(days=1)
"""How long a marker from another machine is believed (its process cannot be checked)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


@dataclass(frozen=True, slots=True)
class LiveSession:
    """One coder's open app, as its marker file records it."""

    coder: str
    """Whose session."""
    pid: int
    """Process id of the app."""
    host: str
    """Machine it runs on."""
    started: str
    """ISO 8601 UTC start time."""
    path: Path
    """The marker file."""

    @staticmethod
    def marker(root: Path, coder: str) -> Path:
        """Where ``coder``'s marker lives in the project at ``root``."""
        digest = hashlib.sha256(coder.encode("utf-8")).hexdigest()[:16]
        return root / ".coder" / FOLDER / f"{digest}.json"

    @classmethod
    def find(cls, root: Path, coder: str) -> LiveSession | None:
        """The coder's live session elsewhere, or None (none, stale, or this very process)."""
        path = cls.marker(root, coder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = cls(str(data["coder"]), int(data["pid"]), str(data["host"]), data["at"], path)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if found.host == socket.gethostname():
            if found.pid == os.getpid() or not _alive(found.pid):
                return None
        else:
            try:
                age = datetime.now(UTC) - datetime.fromisoformat(found.started)
            except ValueError:
                return None
            if age > FOREIGN_HOST_TTL:
                return None
        return found

    @classmethod
    def claim(cls, root: Path, coder: str) -> LiveSession:
        """Write this process's marker for ``coder`` (replacing any other); owner-only."""
        path = cls.marker(root, coder)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        session = cls(coder, os.getpid(), socket.gethostname(), datetime.now(UTC).isoformat(), path)
        data = {"coder": coder, "pid": session.pid, "host": session.host, "at": session.started}
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(temporary, path)
        return session

    def release(self) -> None:
        """Remove the marker if it is still this session's (another may have taken over)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if int(data["pid"]) == self.pid and str(data["host"]) == self.host:
                self.path.unlink()
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def describe(self) -> str:
        """For the warning: where and since when."""
        when = self.started[:16].replace("T", " ")
        return f"process {self.pid} on {self.host}, since {when} UTC"
