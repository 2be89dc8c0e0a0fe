"""``Project``: one open project (settings, codebook, database); what the CLI and TUI hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coder.codebook import load_codebook
from coder.domain.codebook import Codebook
from coder.domain.settings import ProjectSettings
from coder.errors import CoderError
from coder.project.config import load_settings
from coder.project.discovery import find_project_root

if TYPE_CHECKING:
    from coder.store.store import Store

DB_FOLDER = ".coder"
DB_NAME = "coder.db"


def check_orphans(store: Store, codebook: Codebook, where: str) -> None:
    """Refuse a codebook that lacks codes stored codings use (they would silently vanish)."""
    from coder.store.code_proposals import open_proposal_ids
    from coder.store.orphans import orphan_message, orphaned_codes

    known = {code.id for code in codebook.codes} | open_proposal_ids(store)
    orphans = orphaned_codes(store, known)
    if orphans:
        store.close()
        raise CoderError(orphan_message(where, orphans))


def has_database(root: Path) -> bool:
    """Whether the project at ``root`` has a database: a server URL, or the SQLite file."""
    from coder.project.config import load_settings
    from coder.store.location import Location

    db = root / DB_FOLDER / DB_NAME
    return Location.of(db, load_settings(root).store.url).is_postgres or db.exists()


def check_stored_codings(root: Path, codebook: Codebook, where: str) -> None:
    """``codebook`` against the project's database, if it has one (``coder codebook check``)."""
    from coder.project.config import load_settings
    from coder.store.store import Store

    if has_database(root):
        store = Store.open(root / DB_FOLDER / DB_NAME, url=load_settings(root).store.url)
        try:
            check_orphans(store, codebook, where)
        finally:
            store.close()


def _read_codebook(path: Path, settings: ProjectSettings) -> tuple[Codebook, str]:
    """The codebook at ``path`` and the sha256 of the very bytes it was parsed from."""
    from coder.codebook.codebook_file import fingerprint

    try:  # the fingerprint first: a change made while loading reads as "changed on disk"
        sha = fingerprint(path.read_bytes())
    except OSError:
        sha = ""
    return load_codebook(path, settings.limits), sha


@dataclass(slots=True)
class Project:
    """An open project. Create with ``Project.open``; close with ``close()``."""

    root: Path
    """The folder holding coder.toml."""
    settings: ProjectSettings
    """Validated coder.toml."""
    codebook: Codebook
    """The loaded codebook."""
    store: Store
    """The database, ``.coder/coder.db``."""
    codebook_sha: str = ""
    """The sha256 of the codebook file's bytes ``codebook`` was loaded from (a change on disk
    since is noticed: ``reload_codebook``)."""
    proposals_of: str | None = None
    """Whose open code proposals ``codebook`` shows besides the file's codes (a team's coder
    sees their own, never another's); None: the file's codes only."""
    file_codebook: Codebook | None = None
    """The codebook as the file has it (``codebook`` without proposals); None: the same."""

    @classmethod
    def open(
        cls,
        root: Path | str | None = None,
        *,
        start: Path | str | None = None,
        busy_timeout_ms: int | None = None,
    ) -> Project:
        """Open the project at ``root`` (or found upwards from ``start``), creating its database."""
        from coder.store.store import Store

        folder = find_project_root(start, explicit=root)
        settings = load_settings(folder)
        codebook_path = folder / settings.codebook
        if not codebook_path.is_file():
            raise CoderError(f"{folder / 'coder.toml'}: codebook {settings.codebook!r} not found")
        codebook, sha = _read_codebook(codebook_path, settings)
        if settings.keymap:
            from coder.project.config import CONFIG_NAME, check_keymap

            config = folder / CONFIG_NAME
            check_keymap(settings, codebook, config.read_text(encoding="utf-8-sig"), str(config))
        store = Store.open(
            folder / DB_FOLDER / DB_NAME, busy_timeout_ms=busy_timeout_ms, url=settings.store.url
        )
        check_orphans(store, codebook, str(codebook_path))
        return cls(folder, settings, codebook, store, sha)

    @property
    def codebook_path(self) -> Path:
        """The codebook YAML file."""
        return self.root / self.settings.codebook

    def codebook_changed_on_disk(self) -> bool:
        """Whether the codebook file is no longer the one loaded (edited by hand, say)."""
        from coder.codebook.codebook_file import fingerprint

        try:
            return fingerprint(self.codebook_path.read_bytes()) != self.codebook_sha
        except OSError:
            return True

    def reload_codebook(self) -> bool:
        """Load the codebook again if its file changed; True when it did.

        A file that is now invalid, or lacks codes stored codings use, raises ``CoderError``
        and the codebook in use stays as it was.
        """
        if not self.codebook_changed_on_disk():
            return False
        from coder.store.code_proposals import open_proposal_ids
        from coder.store.orphans import orphan_message, orphaned_codes

        codebook, sha = _read_codebook(self.codebook_path, self.settings)
        known = {code.id for code in codebook.codes} | open_proposal_ids(self.store)
        orphans = orphaned_codes(self.store, known)
        if orphans:
            raise CoderError(orphan_message(str(self.codebook_path), orphans))
        self.set_codebook(codebook, sha)
        return True

    def set_codebook(self, codebook: Codebook, sha: str) -> None:
        """Use ``codebook`` (loaded from bytes with fingerprint ``sha``), with the open code
        proposals of ``proposals_of`` added."""
        self.file_codebook = codebook
        if self.proposals_of is not None:
            from coder.project.code_proposals import with_proposals

            codebook = with_proposals(self, codebook, self.proposals_of)
        self.codebook, self.codebook_sha = codebook, sha

    def show_proposals_of(self, coder: str | None) -> None:
        """Show ``coder``'s open code proposals in ``codebook`` (None: none)."""
        self.proposals_of = coder
        self.set_codebook(self.file_codebook or self.codebook, self.codebook_sha)

    @property
    def db_path(self) -> Path:
        """Where the database lives."""
        return self.store.path

    def close(self) -> None:
        """Release database connections."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
