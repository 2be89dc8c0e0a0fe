"""``coder demo``: a private copy of the bundled demo project, imported and ready."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coder.errors import CoderError
from coder.project.resources import demo_source

DEMO_FILES = ("coder.toml", "cases.csv")
DEMO_FOLDERS = ("codebooks", "transcripts")


def demo_folder() -> Path:
    """Where the demo lives: ``$CODER_DEMO_DIR``, else ``$XDG_DATA_HOME/coder/demo``."""
    explicit = os.environ.get("CODER_DEMO_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "coder" / "demo"


def prepare_demo(*, reset: bool = False) -> Path:
    """Copy the demo project (first time, or again with ``reset``) and import it.

    ``reset`` moves the old copy aside to ``demo.backup-<time>`` rather than deleting it.
    """
    from coder.ingest import SUPPORTED_SUFFIXES
    from coder.project.project import Project
    from coder.store.cases_import import import_cases
    from coder.store.importer import expand_paths, import_transcript

    target = demo_folder()
    if reset and target.exists():
        if not (target / "coder.toml").is_file():
            raise CoderError(f"{target}: not a demo project; refusing to touch it")
        from datetime import UTC, datetime

        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target.rename(target.with_name(f"{target.name}.backup-{stamp}"))  # nothing is deleted
    if not (target / "coder.toml").is_file():
        source = demo_source()
        staging = target.with_name(target.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True, mode=0o700)
        for name in DEMO_FILES:
            shutil.copyfile(source / name, staging / name)
        for name in DEMO_FOLDERS:
            shutil.copytree(source / name, staging / name)
        if target.exists():
            raise CoderError(
                f"{target}: exists but has no coder.toml; move it away or set CODER_DEMO_DIR"
            )
        staging.rename(target)
    with Project.open(target) as project:
        folder = target / project.settings.transcripts
        for path in expand_paths([str(folder)], SUPPORTED_SUFFIXES):
            import_transcript(project, path)
        import_cases(project, target / "cases.csv")
    return target
