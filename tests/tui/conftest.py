"""A small real project for Pilot tests: two demo interviews, their cases, the review's codebook."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.cases_import import import_cases
from coder.store.importer import import_transcript

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPTS = ("ung01", "ung03")


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "prosjekt"
    init_project(folder)
    for name in TRANSCRIPTS:
        shutil.copyfile(
            ROOT / "transcripts" / f"{name}.txt", folder / "transcripts" / f"{name}.txt"
        )
    rows = [line for line in (ROOT / "cases.csv").read_text(encoding="utf-8").splitlines()]
    kept = [rows[0], *(row for row in rows[1:] if row.split(",")[0] in TRANSCRIPTS)]
    (folder / "cases.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with Project.open(folder) as project:
        for name in TRANSCRIPTS:
            import_transcript(project, folder / "transcripts" / f"{name}.txt")
        import_cases(project, folder / "cases.csv")
    return folder


@pytest.fixture
def project(project_dir: Path) -> Iterator[Project]:
    """A second, independent connection: what a restart would see."""
    opened = Project.open(project_dir)
    yield opened
    opened.close()
