"""``KeyFile``: where the privacy key lives, outside the project, and how it is read and written.

The path comes from ``CODER_PRIVACY_KEY`` or coder.toml ``[privacy] key`` (the environment wins);
a path inside the project folder is refused, so the key never travels with the project. The file
is JSON, created readable by its owner only (0600) and replaced atomically; with a passphrase the
entries are sealed with AES-256-GCM under a key derived by scrypt (``key_crypto``).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coder.errors import CoderError
from coder.privacy.key_crypto import KeySeal
from coder.privacy.privacy_key import FORMAT, VERSION, PrivacyKey

ENV_KEY = "CODER_PRIVACY_KEY"
ENV_PASSPHRASE = "CODER_PRIVACY_PASSPHRASE"


def key_location(project_root: Path, configured: str | None) -> Path:
    """The key's path for a project; ``CoderError`` when none is set or it is inside the project."""
    raw = os.environ.get(ENV_KEY) or configured
    if not raw:
        raise CoderError(
            'no privacy key set: put its path in coder.toml [privacy] key = "..." or in '
            f"{ENV_KEY}; the path must be outside the project folder"
        )
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = project_root / path
    path = Path(os.path.abspath(path))
    root = Path(os.path.abspath(project_root))
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(base):
            raise CoderError(
                f"the privacy key {path} is inside the project folder {root}; keep it apart "
                "(for example in ~/.config/coder-keys/), or anyone who gets the project gets "
                "the names. Nothing was changed."
            )
    return path


@dataclass(frozen=True, slots=True)
class KeyFile:
    """One key file on disk."""

    path: Path
    """Where it is (outside the project)."""

    @property
    def exists(self) -> bool:
        """Whether the file is there."""
        return self.path.exists()

    def encrypted(self) -> bool:
        """Whether the file is passphrase-protected."""
        return "encryption" in self._envelope()

    def _envelope(self) -> dict[str, Any]:
        if not self.path.exists():
            raise CoderError(
                f"privacy key not found: {self.path} (set by coder.toml [privacy] key or "
                f"{ENV_KEY}); run `coder privacy scan` to create it, or point to the right file. "
                "Nothing was changed."
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CoderError(f"{self.path}: cannot read the privacy key ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CoderError(f"{self.path}: not a coder privacy key")
        return data

    def read(self, passphrase: str | None) -> PrivacyKey:
        """The key; a passphrase is needed when the file is encrypted."""
        envelope = self._envelope()
        if "encryption" in envelope:
            if not passphrase:
                raise CoderError(
                    f"{self.path}: the privacy key is encrypted; give its passphrase (asked for, "
                    f"or {ENV_PASSPHRASE}). Nothing was changed."
                )
            plain = KeySeal().open(envelope, passphrase, str(self.path))
            try:
                envelope = json.loads(plain.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CoderError(f"{self.path}: damaged privacy key ({exc})") from None
        return PrivacyKey.from_dict(envelope, str(self.path))

    def write(self, key: PrivacyKey, passphrase: str | None) -> None:
        """Write atomically, mode 0600; sealed when ``passphrase`` is given."""
        data: dict[str, Any] = key.to_dict()
        if passphrase:
            plain = json.dumps(data, ensure_ascii=False).encode("utf-8")
            data = KeySeal().seal(plain, passphrase, {"format": FORMAT, "version": VERSION})
        body = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".coder-key-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
