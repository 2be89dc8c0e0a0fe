"""`coder status`: the documented JSON layout, with numbers checked against the database."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coder.project.project import Project
from coder.store import operations as ops
from coder.store.queries import load_excerpts
from support.backends import plain_sql

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

REPO = Path(__file__).resolve().parents[2]
CODE = "risk.psychosocial.loneliness"
OTHER = "risk.psychosocial.bullying"
Cli = Callable[..., tuple[int, str, str]]


def documented_layout() -> dict[str, Any]:
    """The example JSON under "`coder status --json`" in the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `coder status --json`", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README documents the status JSON"
    return json.loads(block.group(1))  # type: ignore[no-any-return]


@pytest.fixture
def coded_demo(demo_project: Path, coder_cli: Cli) -> Path:
    """The demo imported, cases imported, and some work by kari and ola."""
    assert coder_cli("--project", demo_project, "import", demo_project / "transcripts")[0] == 0
    cases = demo_project / "cases.csv"
    assert coder_cli("--project", demo_project, "cases", "import", cases)[0] == 0
    with Project.open(demo_project) as project:
        ung01 = load_excerpts(project, "ung01")
        ung02 = load_excerpts(project, "ung02")
        for excerpt in ung01[2:7]:
            ops.apply_code(project, "kari", excerpt.id, CODE)
            ops.mark_reviewed(project, "kari", excerpt.id)
        ops.apply_code(project, "kari", ung01[2].id, OTHER)
        ops.mark_reviewed(project, "kari", ung01[7].id)  # reviewed, no code
        ops.apply_code(project, "ola", ung02[2].id, CODE)
        ops.remove_code(project, "kari", ung01[6].id, CODE)
        ops.set_rating(project, "kari", "ung01", "relational_robustness", "steady")
        ops.set_rating(project, "ola", "ung01", "relational_robustness", "wavering")
        ops.set_rating(project, "ola", "ung02", "relational_robustness", "trembling")
    return demo_project


def test_status_json_has_exactly_the_documented_keys_and_true_numbers(
    coded_demo: Path, coder_cli: Cli
) -> None:
    code, out, err = coder_cli("--project", coded_demo, "status", "--json")
    assert code == 0, err
    data = json.loads(out)
    documented = documented_layout()
    assert set(data) == set(documented)
    assert {"transcripts", "excerpts", "cases", "coders"} <= set(data)
    per_coder = set(next(iter(documented["coders"].values())))
    assert {"codings", "reviewed"} <= per_coder
    for counts in data["coders"].values():
        assert set(counts) == per_coder
        assert all(type(value) is int for value in counts.values())

    def count(sql: str) -> int:
        return int(plain_sql(coded_demo, sql)[0][0])  # type: ignore[call-overload]

    assert data["transcripts"] == 9 == count("SELECT count(*) FROM transcripts")
    assert data["excerpts"] == 391 == count("SELECT count(*) FROM excerpts")
    assert data["codable_excerpts"] == count("SELECT count(*) FROM excerpts WHERE codable")
    assert 0 < data["codable_excerpts"] < data["excerpts"]
    assert data["cases"] == 9
    assert data["project"] == "p"
    assert data["coders"] == {
        "kari": {"codings": 5, "reviewed": 6, "ratings": 1},
        "ola": {"codings": 1, "reviewed": 0, "ratings": 2},
    }


def test_status_of_an_empty_project(new_project: Path, coder_cli: Cli) -> None:
    code, out, _ = coder_cli("--project", new_project, "status", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["transcripts"], data["excerpts"], data["cases"], data["coders"]) == (0, 0, 0, {})
    code, out, _ = coder_cli("--project", new_project, "status")
    assert "0 transcripts, 0 excerpts (0 codable), 0 cases" in out and "No coding yet." in out


def test_status_text_and_the_real_entry_point_agree(
    coded_demo: Path, run_coder: Callable[..., Any]
) -> None:
    result = run_coder("status", cwd=coded_demo)  # the project is found from the folder
    assert result.returncode == 0, result.stderr
    assert "9 transcripts, 391 excerpts" in result.stdout
    assert "kari: 5 codings, 6 excerpts reviewed, 1 ratings" in result.stdout
    as_json = run_coder("status", "--json", cwd=coded_demo)
    assert json.loads(as_json.stdout)["coders"]["ola"]["codings"] == 1
