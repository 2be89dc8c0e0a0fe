"""PostgreSQL by URL: choosing the server, ``coder db upgrade`` and ``coder db copy``, bad input.

Every test here talks to the session's throw-away cluster (``pg_cluster``); those marked
``backends`` run on SQLite too.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql
from sqlalchemy import Boolean, create_engine, text

from coder.errors import StoreError
from coder.project.project import Project
from coder.store import operations as ops
from coder.store.database import create_v1
from coder.store.location import Location, parse
from coder.store.queries import load_excerpts
from coder.store.schema import SCHEMA_VERSION, metadata
from coder.store.transfer import copy_project
from support.backends import Backend, plain_sql, store_url
from support.postgres import Cluster

pytestmark = pytest.mark.postgres
CODE = "risk.psychosocial.loneliness"
Run = Callable[..., Any]
TABLES = [table.name for table in metadata.sorted_tables]


def dump(root: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order, as the driver returns them."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for table in metadata.sorted_tables:
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        rows = plain_sql(root, f"SELECT {names} FROM {table.name} ORDER BY {order}")
        found[table.name] = [
            tuple(
                bool(v) if isinstance(c.type, Boolean) else v
                for v, c in zip(row, table.columns, strict=True)
            )
            for row in rows
        ]
    return found


def test_the_url_in_coder_toml_chooses_the_server_and_the_environment_overrides_it(
    small_project: Path, pg_cluster: Cluster, run_coder: Run, write_transcript: Callable[..., Path]
) -> None:
    pg_cluster.create_database("by_toml")
    pg_cluster.create_database("by_env")
    (small_project / ".coder" / "coder.db").unlink()
    store_url(small_project / "coder.toml", pg_cluster.url("by_toml"))
    done = run_coder("import", small_project / "transcripts", cwd=small_project)
    assert done.returncode == 0, done.stderr
    assert plain_sql(small_project, "SELECT id FROM transcripts") == [("intervju",)]
    assert not (small_project / ".coder" / "coder.db").exists()  # nothing went to SQLite
    env = {"CODER_DATABASE_URL": pg_cluster.url("by_env")}
    done = run_coder("status", "--json", cwd=small_project, env=env)
    assert done.returncode == 0, done.stderr
    assert '"transcripts": 0' in done.stdout  # the other database: empty
    with pg_cluster.connect("by_env") as conn:
        assert conn.execute("SELECT version FROM coder_schema").fetchall() == [(SCHEMA_VERSION,)]


def test_a_password_in_coder_toml_is_refused_without_showing_it(
    new_project: Path, run_coder: Run
) -> None:
    store_url(new_project / "coder.toml", "postgresql+psycopg://ana:hemmelig@localhost/prosjekt")
    done = run_coder("status", cwd=new_project)
    assert done.returncode != 0
    assert "password" in done.stderr and "pgpass" in done.stderr
    assert "hemmelig" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.backends
def test_db_upgrade_migrates_either_backend_with_the_one_mechanism(
    new_project: Path, backend: Backend, run_coder: Run
) -> None:
    location = Location.of(new_project / ".coder" / "coder.db", _configured(new_project))
    if backend.is_postgres:
        url = location.url
        assert url is not None
        engine = create_engine(url)
        with engine.begin() as conn:  # the template's schema out, a version-1 one in
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE coder_schema"))
    else:
        location.path.unlink(missing_ok=True)
        location.path.parent.mkdir(exist_ok=True)
        engine = create_engine(f"sqlite:///{location.path}")
    with engine.begin() as conn:
        create_v1(conn)
        conn.execute(
            text("INSERT INTO coders (id, name, kind, created_at) VALUES (1, 'åse', 'human', 't0')")
        )
    engine.dispose()
    if backend.is_postgres:  # a coder's open never migrates a server: the lead upgrades
        with pytest.raises(StoreError, match="coder db upgrade"):
            Project.open(new_project)
    done = run_coder("db", "upgrade", cwd=new_project)
    assert done.returncode == 0, done.stderr
    assert f"from version 1 to {SCHEMA_VERSION}" in done.stdout
    assert plain_sql(new_project, "SELECT name FROM coders") == [("åse",)]
    assert plain_sql(new_project, "SELECT count(*) FROM positions") == [(0,)]
    kinds = plain_sql(new_project, "SELECT kind FROM events")
    assert kinds == [("schema.migrated",)]
    done = run_coder("db", "upgrade", cwd=new_project)
    assert done.returncode == 0 and "up to date" in done.stdout, done.stderr


def _configured(root: Path) -> str | None:
    import tomllib

    data = tomllib.loads((root / "coder.toml").read_text(encoding="utf-8"))
    return data.get("store", {}).get("url")  # type: ignore[no-any-return]


def _coded(root: Path) -> None:
    with Project.open(root) as project:
        excerpts = load_excerpts(project, "intervju")
        ops.apply_code(project, "kari", excerpts[1].id, CODE)
        ops.apply_code(
            project, "ola", excerpts[3].id, CODE, span=(excerpts[3].start, excerpts[3].start + 4)
        )
        ops.mark_reviewed(project, "kari", excerpts[1].id)
        ops.add_memo(project, "kari", "Ensomhet – særlig på skolen", excerpt_id=excerpts[1].id)
        ops.set_rating(project, "ola", "intervju", "relational_robustness", "wavering")
        ops.remove_code(project, "kari", excerpts[1].id, CODE)
        ops.apply_code(project, "kari", excerpts[1].id, CODE)


def test_db_copy_moves_a_project_to_postgresql_and_back_row_for_row(
    small_project: Path, pg_cluster: Cluster, run_coder: Run, tmp_path: Path
) -> None:
    _coded(small_project)
    before = dump(small_project)
    assert before["codings"] and before["memos"] and before["events"]
    pg_cluster.create_database("copied")
    done = run_coder("db", "copy", "--to", pg_cluster.url("copied"), cwd=small_project)
    assert done.returncode == 0, done.stderr
    assert f"Copied {sum(map(len, before.values()))} rows" in done.stdout
    moved = Path(shutil.copytree(small_project, tmp_path / "moved"))
    (moved / ".coder" / "coder.db").unlink()
    store_url(moved / "coder.toml", pg_cluster.url("copied"))
    assert dump(moved) == before
    with Project.open(moved) as project:  # the id sequences moved past the copied ids
        ops.apply_code(project, "ola", load_excerpts(project, "intervju")[5].id, CODE)
    back = tmp_path / "back.db"
    done = run_coder("db", "copy", "--to", back, cwd=moved)
    assert done.returncode == 0, done.stderr
    returned = Path(shutil.copytree(small_project, tmp_path / "returned"))
    (returned / ".coder" / "coder.db").unlink()
    back.rename(returned / ".coder" / "coder.db")
    after = dump(returned)
    assert after["codings"][:-1] == before["codings"] and len(after["codings"]) == 3
    assert {k: v for k, v in after.items() if k not in ("codings", "events")} == {
        k: v for k, v in before.items() if k not in ("codings", "events")
    }


def test_db_copy_reports_progress_and_refuses_a_database_holding_a_project(
    small_project: Path, pg_cluster: Cluster
) -> None:
    _coded(small_project)
    pg_cluster.create_database("full")
    target = Location(small_project / ".coder" / "x.db", parse(pg_cluster.url("full")))
    seen: list[tuple[int, int]] = []
    with Project.open(small_project) as project:
        result = copy_project(project.store, target, lambda done, total: seen.append((done, total)))
        assert seen[0] == (0, result.total) and seen[-1] == (result.total, result.total)
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
        with pytest.raises(StoreError, match="holds a project already") as caught:
            copy_project(project.store, target)
    assert "postgresql+psycopg://postgres@" in str(caught.value)
    with pg_cluster.connect("full") as conn:
        assert conn.execute("SELECT count(*) FROM codings").fetchone() == (2,)


def _role(cluster: Cluster, name: str, password: str) -> None:
    with cluster.connect() as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)
            )
        )


@pytest.mark.parametrize("problem", ["unreachable", "password", "newer", "rights"])
def test_bad_servers_give_a_clear_message_naming_the_url_and_write_nothing(
    small_project: Path,
    pg_cluster: Cluster,
    _pg_templates: dict[str, str],
    run_coder: Run,
    problem: str,
) -> None:
    database = f"bad_{problem}"
    pg_cluster.create_database(database, _pg_templates["small"])
    env: dict[str, str] = {}
    shown = f"postgresql+psycopg://postgres@/{database}"
    url = pg_cluster.url(database)
    if problem == "unreachable":
        url = url.replace(f"port={pg_cluster.port}", "port=1")
        shown = url.split("?")[0]
    elif problem == "password":
        _role(pg_cluster, "pw_ana", "riktig")
        url = pg_cluster.url(database, "pw_ana:galt", tcp=True)
        shown = f"postgresql+psycopg://pw_ana@/{database}"
    elif problem == "newer":
        with pg_cluster.connect(database) as conn:
            conn.execute("UPDATE coder_schema SET version = version + 1")
    else:
        _role(pg_cluster, "no_rights", "pw")
        url = pg_cluster.url(database, "no_rights")
        env["PGPASSWORD"] = "pw"
        shown = f"postgresql+psycopg://no_rights@/{database}"
    with pg_cluster.connect(database) as conn:
        before = conn.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM coders)"
        ).fetchone()
    (small_project / ".coder" / "coder.db").unlink()
    env["CODER_DATABASE_URL"] = url
    for args in (
        ("status",),
        ("export", "long", "-o", str(small_project / "x.csv")),
        ("db", "upgrade"),
    ):
        done = run_coder(*args, cwd=small_project, env=env)
        assert done.returncode != 0, (args, done.stdout)
        assert shown in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "galt" not in done.stderr
        message = done.stderr.lower()
        expected = {
            "unreachable": "cannot reach the database server",
            "password": "refused the password",
            "newer": "newer coder",
            "rights": "no right",
        }[problem]
        assert expected in message, done.stderr
    assert not (small_project / ".coder" / "coder.db").exists()
    assert not (small_project / "x.csv").exists()
    with pg_cluster.connect(database) as conn:
        after = conn.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM coders)"
        ).fetchone()
        version = conn.execute("SELECT version FROM coder_schema").fetchone()
    assert after == before
    assert version == ((SCHEMA_VERSION + 1) if problem == "newer" else SCHEMA_VERSION,)
