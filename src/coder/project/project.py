"""``Project``: one open project (settings, codebook, database); what the CLI and TUI hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coder.codebook import load_codebook
from coder.domain.codebook import Codebook
from coder.domain.settings import ProjectSettings
from coder.errors import CoderError
from coder.project.config import load_settings
from coder.project.discovery import find_project_root

if TYPE_CHECKING:
    from sqlalchemy import Engine

DB_FOLDER = ".coder"
DB_NAME = "coder.db"
RESERVED_CODERS = ("model", "consensus")


def check_orphans(engine: Engine, codebook: Codebook, where: str) -> None:
    """Refuse a codebook that lacks codes stored codings use (they would silently vanish)."""
    from coder.store.orphans import orphan_message, orphaned_codes

    orphans = orphaned_codes(engine, (code.id for code in codebook.codes))
    if orphans:
        engine.dispose()
        raise CoderError(orphan_message(where, orphans))


def check_stored_codings(root: Path, codebook: Codebook, where: str) -> None:
    """``codebook`` against the project's database, if it has one (``coder codebook check``)."""
    from coder.store.database import open_engine

    db = root / DB_FOLDER / DB_NAME
    if db.is_file():
        engine = open_engine(db)
        try:
            check_orphans(engine, codebook, where)
        finally:
            engine.dispose()


@dataclass(slots=True)
class Project:
    """An open project. Create with ``Project.open``; close with ``close()``."""

    root: Path
    """The folder holding coder.toml."""
    settings: ProjectSettings
    """Validated coder.toml."""
    codebook: Codebook
    """The loaded codebook."""
    engine: Engine
    """SQLAlchemy engine on ``.coder/coder.db``."""
    _coder_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        root: Path | str | None = None,
        *,
        start: Path | str | None = None,
        busy_timeout_ms: int | None = None,
    ) -> Project:
        """Open the project at ``root`` (or found upwards from ``start``), creating its database."""
        from coder.store.database import DEFAULT_BUSY_TIMEOUT_MS, open_engine

        folder = find_project_root(start, explicit=root)
        settings = load_settings(folder)
        codebook_path = folder / settings.codebook
        if not codebook_path.is_file():
            raise CoderError(f"{folder / 'coder.toml'}: codebook {settings.codebook!r} not found")
        codebook = load_codebook(codebook_path, settings.limits)
        if settings.keymap:
            from coder.project.config import CONFIG_NAME, check_keymap

            config = folder / CONFIG_NAME
            check_keymap(settings, codebook, config.read_text(encoding="utf-8-sig"), str(config))
        timeout = DEFAULT_BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        engine = open_engine(folder / DB_FOLDER / DB_NAME, busy_timeout_ms=timeout)
        check_orphans(engine, codebook, str(codebook_path))
        return cls(folder, settings, codebook, engine)

    @property
    def db_path(self) -> Path:
        """Where the database lives."""
        return self.root / DB_FOLDER / DB_NAME

    def coder_id(self, name: str, *, create: bool = True) -> int:
        """The database id of coder ``name``, registering the coder on first use."""
        from coder.store.coders import coder_id

        if name not in self._coder_ids:
            self._coder_ids[name] = coder_id(self.engine, name, create=create)
        return self._coder_ids[name]

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
