"""``CrashLog``: an unexpected error becomes a short message and a private log file.

Tracebacks from the coding app carry interview text (Rich prints local variables), and
interview text about vulnerable young people must not end up on a shared screen, in a terminal
scroll-back or in a bug report pasted whole. So neither the CLI nor the TUI prints a traceback:
the details go to ``.coder/logs/crash-TIME.log`` in the project (or
``$XDG_STATE_HOME/coder/logs/`` outside one), created readable by its owner only, and the
terminal shows one line naming the error type and the file.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOG_FOLDER = "logs"
"""Under ``.coder/`` (or the state folder): where crash logs are written."""


def _state_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "coder" / LOG_FOLDER


@dataclass(frozen=True, slots=True)
class CrashLog:
    """One written crash log."""

    path: Path
    """The log file (mode 0600)."""
    kind: str
    """The exception's type name, e.g. ``ValueError``."""

    @classmethod
    def write(cls, error: BaseException, project_root: Path | None = None) -> CrashLog:
        """Write ``error``'s traceback to a new 0600 file; never raises for a write failure."""
        from coder import __version__

        folder = project_root / ".coder" / LOG_FOLDER if project_root else _state_folder()
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"crash-{stamp}.log"
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        header = (
            f"coder {__version__}, Python {platform.python_version()}, {sys.platform}\n"
            f"at {datetime.now(UTC).isoformat()}\ncommand: {' '.join(sys.argv)}\n\n"
        )
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(header + details)
        except OSError:
            path = Path(os.devnull)
        return cls(path, type(error).__name__)

    def message(self) -> str:
        """The one line for the terminal: what happened and where the details are."""
        if self.path == Path(os.devnull):
            return f"error: unexpected internal error ({self.kind}); no log could be written"
        return (
            f"error: unexpected internal error ({self.kind}); every action you completed is saved. "
            f"Details (private, may contain interview text): {self.path}"
        )
