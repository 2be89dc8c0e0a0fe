"""Blind by the database: each coder their own PostgreSQL role, row-level security on their rows.

A coder's connection (coder itself, or plain SQL) reads and writes only their own codings,
reviews, memos, ratings and events; the lead role reads all; the lead's views need the lead
role. Roles come from ``coder server add-coder``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from coder.project.project import Project
from coder.store import operations as ops
from coder.store.queries import load_excerpts
from support.backends import plain_sql, store_url
from support.postgres import Cluster

pytestmark = pytest.mark.postgres
CODE = "risk.psychosocial.loneliness"
PASSWORD = "hemmelig-æøå"
Run = Callable[..., Any]


@pytest.fixture
def team(
    small_project: Path, pg_cluster: Cluster, _pg_templates: dict[str, str], run_coder: Run
) -> dict[str, Any]:
    """The small project on its own database; coders ana and bo, and the lead lea, by the CLI."""
    tag = secrets.token_hex(3)
    database = "team_" + tag
    pg_cluster.create_database(database, _pg_templates["small"])
    (small_project / ".coder" / "coder.db").unlink()
    store_url(small_project / "coder.toml", pg_cluster.url(database))
    names = {"ana": f"ana_{tag}", "bo": f"bø_{tag}", "lea": f"lea_{tag}"}
    for key, name in names.items():
        args = ["server", "add-coder", name] + (["--lead"] if key == "lea" else [])
        done = run_coder(*args, cwd=small_project, env={"CODER_ROLE_PASSWORD": PASSWORD})
        assert done.returncode == 0, done.stderr
        assert "can log in" in done.stdout
    return {"root": small_project, "db": database, "names": names, "cluster": pg_cluster}


def as_role(team: dict[str, Any], key: str) -> dict[str, str]:
    """The environment of a coder working under their own role."""
    cluster: Cluster = team["cluster"]
    url = cluster.url(team["db"], team["names"][key])
    return {"CODER_DATABASE_URL": url, "PGPASSWORD": PASSWORD}


def work(team: dict[str, Any], key: str, monkeypatch: pytest.MonkeyPatch, seq: int) -> None:
    """``key`` codes, reviews, writes a memo and rates, connected as their own role."""
    with monkeypatch.context() as patch:
        for name, value in as_role(team, key).items():
            patch.setenv(name, value)
        with Project.open(team["root"]) as project:
            coder = team["names"][key]
            excerpt = load_excerpts(project, "intervju")[seq]
            ops.apply_code(project, coder, excerpt.id, CODE)
            ops.mark_reviewed(project, coder, excerpt.id)
            ops.add_memo(project, coder, f"notat av {coder}", excerpt_id=excerpt.id)
            ops.set_rating(project, coder, "intervju", "relational_robustness", "steady")


def test_a_coders_plain_sql_connection_reads_and_writes_only_their_own_rows(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    work(team, "ana", monkeypatch, 1)
    work(team, "bo", monkeypatch, 3)
    root, names = team["root"], team["names"]
    ids = dict(plain_sql(root, "SELECT name, id FROM coders"))  # the superuser sees all
    ana, bo = ids[names["ana"]], ids[names["bo"]]
    assert {row[0] for row in plain_sql(root, "SELECT coder_id FROM codings")} == {ana, bo}
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    for table in ("codings", "reviews", "memos", "case_ratings", "events"):
        seen = plain_sql(root, f"SELECT DISTINCT coder_id FROM {table}", user=names["ana"])
        assert {row[0] for row in seen} <= {ana, None}, table
        assert (ana,) in seen, table
        others = plain_sql(
            root, f"SELECT count(*) FROM {table} WHERE coder_id = {bo}", user=names["ana"]
        )
        assert others == [(0,)], table  # bo's rows are there, but not for ana's connection
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        plain_sql(
            root,
            "INSERT INTO codings (excerpt_id, code_id, coder_id, origin, created_at)"
            f" SELECT id, 'x', {bo}, 'manual', 't' FROM excerpts LIMIT 1",
            user=names["ana"],
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        plain_sql(
            root, f"DELETE FROM transcripts WHERE id = 'intervju' AND {bo} > 0", user=names["ana"]
        )
    lead = plain_sql(root, "SELECT DISTINCT coder_id FROM codings", user=names["lea"])
    assert {row[0] for row in lead} == {ana, bo}


def test_the_lead_views_work_only_with_the_lead_role(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch, run_coder: Run
) -> None:
    work(team, "ana", monkeypatch, 1)
    work(team, "bo", monkeypatch, 1)
    root, names = team["root"], team["names"]
    done = run_coder(
        "agree", "--format", "json", "--bootstrap", "0", cwd=root, env=as_role(team, "ana")
    )
    assert done.returncode != 0
    assert "lead" in done.stderr and "Traceback" not in done.stderr
    assert names["ana"] in done.stderr  # the URL, with the role and without the password
    assert PASSWORD not in done.stderr
    done = run_coder(
        "agree", "--format", "json", "--bootstrap", "0", cwd=root, env=as_role(team, "lea")
    )
    assert done.returncode == 0, done.stderr
    assert names["ana"] in done.stdout and names["bo"] in done.stdout
    done = run_coder("status", "--json", cwd=root, env=as_role(team, "ana"))
    assert done.returncode == 0, done.stderr
    coders = json.loads(done.stdout)["coders"]
    assert coders[names["ana"]] == {"codings": 1, "reviewed": 1, "ratings": 1}
    assert coders.get(names["bo"], {}) in ({}, {"codings": 0, "reviewed": 0, "ratings": 0})


def test_add_coder_needs_a_server(new_project: Path, run_coder: Run) -> None:
    done = run_coder("server", "add-coder", "ana", cwd=new_project)
    assert done.returncode != 0
    assert "PostgreSQL" in done.stderr and "Traceback" not in done.stderr
