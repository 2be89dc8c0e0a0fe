"""Find the project folder from the current folder upwards, like git."""

from __future__ import annotations

from pathlib import Path

from coder.errors import ProjectNotFoundError
from coder.project.config import CONFIG_NAME


def find_project_root(
    start: Path | str | None = None, *, explicit: Path | str | None = None
) -> Path:
    """The folder with coder.toml: ``explicit`` if given, else the nearest one above ``start``."""
    if explicit is not None:
        explicit = Path(explicit)
        root = explicit.expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise ProjectNotFoundError(
                f"{root}: no {CONFIG_NAME} here (create one with `coder init {explicit}`)"
            )
        return root
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectNotFoundError(
        f"no {CONFIG_NAME} in {here} or any folder above it; "
        "run `coder init DIR`, pass `--project DIR`, or try `coder demo`"
    )
