"""``ProjectContext``: what a store function needs from an open project.

``coder.project.Project`` satisfies it; the store names this protocol rather than ``Project``
so that ``coder.project`` (which opens a ``Store``) and ``coder.store`` do not import each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook
    from coder.domain.settings import ProjectSettings
    from coder.store.store import Store


class ProjectContext(Protocol):
    """An open project as the store sees it: its folder, settings, codebook and database."""

    @property
    def root(self) -> Path:
        """The folder holding coder.toml."""
        ...

    @property
    def settings(self) -> ProjectSettings:
        """Validated coder.toml."""
        ...

    @property
    def codebook(self) -> Codebook:
        """The loaded codebook."""
        ...

    @property
    def store(self) -> Store:
        """The project database."""
        ...
