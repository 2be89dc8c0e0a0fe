"""The export tests' project (``support.export_project``) holds what its ``FACTS`` say."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.project.project import Project
from coder.store.queries import status
from support.backends import Backend
from support.export_project import FACTS, excerpt, make_export_project

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL


def test_the_export_project_holds_what_the_facts_say(tmp_path: Path, backend: Backend) -> None:
    folder = make_export_project(tmp_path / "p", backend)
    with Project.open(folder) as project:
        counts = status(project)
    codings = {coder: sum(map(len, units.values())) for coder, units in FACTS["codings"].items()}
    assert {name: c["codings"] for name, c in counts["coders"].items()} == codings
    assert counts["coders"]["åse"]["reviewed"] == 4
    assert counts["coders"]["bjørn"]["reviewed"] == 3
    assert counts["cases"] == 2
    assert "\n" in excerpt(folder, "samtale", 2).text
