"""8 coder processes, each as their own PostgreSQL role, coding one project at once.

``benchmarks/coders_at_once.py`` runs them and checks every action a coder saw succeed against
the database: 0 lost, 0 unexplained, 0 errors shown in 60 s; SIGKILLed coders lose nothing they
committed; a server restart gives a clear message and the next action succeeds.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from coder.project.project import Project
from coder.store.importer import import_transcript
from support.backends import store_url
from support.postgres import Cluster
from support.processes import run

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def team(root: Path, cluster: Cluster, database: str, *args: str) -> dict[str, object]:
    """The demo transcripts on a fresh database; the coders' run's JSON."""
    cluster.create_database(database)
    store_url(root / "coder.toml", cluster.url(database))
    with Project.open(root) as project:
        for path in sorted((REPO / "transcripts").glob("ung0[1-3].txt")):
            import_transcript(project, Path(shutil.copy(path, root / "transcripts")))
    done = run(
        [sys.executable, REPO / "benchmarks" / "coders_at_once.py", "--project", root,
         "--coders", "8", "--roles", *args],
        timeout=600,
        env={"CODER_ROLE_PASSWORD": "pw-æøå"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_eight_coders_for_a_minute_lose_nothing_and_see_no_error(
    new_project: Path, pg_cluster: Cluster
) -> None:
    result = team(new_project, pg_cluster, "team_minute", "--seconds", "60")
    assert result["actions"] > 8 * 100
    assert (result["lost"], result["extra"], result["errors_shown"]) == (0, 0, 0), result


def test_killed_coders_and_a_server_restart_lose_nothing(
    new_project: Path, pg_cluster: Cluster
) -> None:
    restart = shlex.join(
        [*pg_cluster._as, str(pg_cluster.bin / "pg_ctl"), "-D", str(pg_cluster.data), "-w",
         "-m", "fast", "-l", str(pg_cluster.root / "log"), "restart"]
    )  # fmt: skip
    result = team(
        new_project, pg_cluster, "team_restart", "--seconds", "10", "--kill", "2",
        "--restart", restart,
    )  # fmt: skip
    assert result["killed"] == ["c1", "c2"] and result["restarted"] is True
    assert (result["lost"], result["extra"]) == (0, 0), result
    assert result["errors_shown"] > 0  # the survivors were told, and then carried on
    for message in result["messages"]:  # type: ignore[attr-defined]
        assert "postgresql+psycopg://c" in message and "pw-æøå" not in message
        assert "went away" in message or "cannot reach the database server" in message
