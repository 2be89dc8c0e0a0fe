"""``CodebookFile``: the codebook on disk, read with a fingerprint and written atomically.

The YAML file is the source of truth and people edit it by hand, also while the app runs. So
every write names the fingerprint (sha256) of the text it was computed from: when the file on
disk no longer has it, someone else changed the file, and the write is refused with
``CodebookConflictError`` (never overwritten). A write goes to a temporary file beside the target
and is moved into place with ``os.replace``, so a reader sees the old file or the new one, never
half of one; the file keeps its permissions.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coder.errors import CoderError


class CodebookConflictError(CoderError):
    """The codebook file changed on disk since it was read; nothing was written."""


def fingerprint(raw: bytes) -> str:
    """The sha256 of a file's bytes, as hex."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class CodebookFile:
    """One codebook file: its path, and the text and fingerprint it had when read."""

    path: Path
    """The YAML file."""
    text: str
    """Its text when read."""
    sha: str
    """The sha256 of its bytes when read."""

    @classmethod
    def read(cls, path: Path) -> CodebookFile:
        """Read the file (UTF-8, a byte-order mark dropped)."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CoderError(f"{path}: cannot read: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CoderError(f"{path}: not UTF-8; save the file as UTF-8") from None
        return cls(Path(path), text, fingerprint(raw))

    def current_sha(self) -> str | None:
        """The fingerprint of the file on disk now (None when it is gone)."""
        try:
            return fingerprint(self.path.read_bytes())
        except OSError:
            return None

    def changed_on_disk(self) -> bool:
        """Whether the file on disk is no longer the text this object holds."""
        return self.current_sha() != self.sha

    def write(self, text: str) -> CodebookFile:
        """Replace the file with ``text`` if it is still as read; returns the new state.

        Raises ``CodebookConflictError`` when the file changed on disk meanwhile.
        """
        if self.changed_on_disk():
            raise CodebookConflictError(
                f"{self.path}: the codebook file was changed on disk (by hand or another session) "
                "since coder read it; your change was not written. Reload the codebook and make "
                "the change again."
            )
        return self.replace(text)

    def replace(self, text: str) -> CodebookFile:
        """Write ``text`` atomically, whatever the file holds now (undo uses ``write``)."""
        raw = text.encode("utf-8")
        folder = self.path.parent
        try:
            mode = self.path.stat().st_mode & 0o777
        except OSError:
            mode = 0o600
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise CoderError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise CoderError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        return CodebookFile(self.path, text, fingerprint(raw))
