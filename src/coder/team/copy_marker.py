"""``CopyMarker``: ``.coder/team.json`` in a coder's copy says whose copy it is and where from.

Written by ``coder team join``; read by ``coder team return`` (which coder's work to return and
which hand-out it continues). Owner-only (0600), replaced atomically.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from coder.errors import CoderError

FILE = "team.json"


@dataclass(frozen=True, slots=True)
class CopyMarker:
    """A coder's copy of a lead's project."""

    coder: str
    """Whose copy."""
    handout: str
    """The hand-out's id."""
    project: str
    """The lead's project name."""
    joined_at: str
    """When ``coder team join`` made the copy."""

    @staticmethod
    def path(root: Path) -> Path:
        """Where the marker lives in a project."""
        return root / ".coder" / FILE

    def write(self, root: Path) -> None:
        """Save the marker (0600)."""
        target = self.path(root)
        temporary = target.with_suffix(".tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle, ensure_ascii=False, indent=2)
        os.replace(temporary, target)

    @classmethod
    def read(cls, root: Path) -> CopyMarker:
        """The marker of the project at ``root``; ``CoderError`` when it is not a copy."""
        path = cls.path(root)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                str(data["coder"]),
                str(data["handout"]),
                str(data["project"]),
                str(data["joined_at"]),
            )
        except FileNotFoundError:
            raise CoderError(
                f"{root}: not a coder's copy (no {path.relative_to(root)}); `coder team return` "
                "runs in a folder made by `coder team join`"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CoderError(f"{path}: damaged ({exc})") from None
