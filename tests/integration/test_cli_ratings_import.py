"""`coder ratings import`: coders' case ratings from CSV, all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coder.project.project import Project
from coder.store.queries import ratings

Cli = Callable[..., tuple[int, str, str]]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ratings_import_sets_each_coders_ratings(small_project: Path, coder_cli: Cli) -> None:
    with Project.open(small_project) as project, project.store.engine.connect() as conn:
        case_id = conn.exec_driver_sql("SELECT id FROM cases LIMIT 1").scalar_one()
    path = write(
        small_project / "vurderinger.csv",
        f"case;coder;relational_robustness;age\n{case_id};kari;Skjelvende;17\n{case_id};ola;steady;\n",
    )
    code, out, err = coder_cli("--project", small_project, "ratings", "import", path)
    assert code == 0, err
    assert "3 ratings set or changed, coders: kari, ola" in out
    with Project.open(small_project) as project:
        found = {(r["coder"], r["attribute"], r["value"]) for r in ratings(project)}
    assert found == {
        ("kari", "relational_robustness", "trembling"),  # a label is read as its level
        ("kari", "age", "17"),
        ("ola", "relational_robustness", "steady"),
    }
    again = coder_cli("--project", small_project, "ratings", "import", path)
    assert again[0] == 0 and "0 ratings set or changed" in again[1]


def test_ratings_import_lists_every_bad_row_and_stores_nothing(
    small_project: Path, coder_cli: Cli
) -> None:
    with Project.open(small_project) as project, project.store.engine.connect() as conn:
        case_id = conn.exec_driver_sql("SELECT id FROM cases LIMIT 1").scalar_one()
    path = write(
        small_project / "feil.csv",
        "case,coder,relational_robustness\n"
        f"{case_id},kari,steady\n"
        "nope,kari,steady\n"
        f"{case_id},ola,shaky\n"
        f"{case_id},kari,wavering\n",
    )
    code, _, err = coder_cli("--project", small_project, "ratings", "import", path)
    assert code == 1
    assert ":3: case: unknown case 'nope'" in err
    assert ":4: relational_robustness: 'shaky' is not a level" in err
    assert f":5: case: case '{case_id}' rated by kari twice (also on line 2)" in err
    with Project.open(small_project) as project:
        assert ratings(project) == []
