"""``AtomicFiles``: write several files all at once or not at all.

Each file is first written to a temporary file beside its target (created readable by its owner
only: exports hold sensitive interview data); when every file is complete they are moved into
place with ``os.replace``. On any failure the temporary files are removed and existing targets
stay as they were, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import TracebackType

from coder.errors import CoderError


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class AtomicFiles:
    """Temporary paths for targets, committed together; use as a context manager."""

    __slots__ = ("_pending",)

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, target: Path) -> Path:
        """A temporary file to write instead of ``target``; raises CoderError if it cannot be."""
        target = self.check(target)
        if any(target == planned for planned, _ in self._pending):
            raise CoderError(f"{target}: the export would write this file twice")
        folder = target.parent
        try:
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise CoderError(f"cannot write {target}: {_reason(exc)}") from None
        os.close(handle)
        temporary = Path(name)
        self._pending.append((target, temporary))
        return temporary

    @staticmethod
    def check(target: Path) -> Path:
        """``target`` if a file can be put there (its folder exists, it is not a folder)."""
        target = Path(target)
        if target.is_dir():
            raise CoderError(f"cannot write {target}: it is a folder")
        if not target.parent.is_dir():
            raise CoderError(f"cannot write {target}: folder {target.parent} does not exist")
        return target

    @property
    def targets(self) -> list[Path]:
        """The files this batch writes, in the order they were asked for."""
        return [target for target, _ in self._pending]

    def commit(self) -> None:
        """Move every temporary file into place."""
        for target, temporary in self._pending:
            try:
                os.replace(temporary, target)
            except OSError as exc:
                self.discard()
                raise CoderError(f"cannot write {target}: {_reason(exc)}") from None
        self._pending.clear()

    def discard(self) -> None:
        """Remove every temporary file not yet moved into place."""
        for _, temporary in self._pending:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._pending.clear()

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
            return
        targets = self.targets
        self.discard()
        if isinstance(exc, OSError):
            where = targets[-1] if targets else "the export"
            raise CoderError(f"cannot write {where}: {_reason(exc)}") from None
