"""The store backends a test runs on: SQLite (the project's file) and PostgreSQL (a server).

A test module marked ``pytestmark = pytest.mark.backends`` runs every test that uses a project
fixture (``new_project``, ``small_project``, ``project``, ... or ``backend`` itself) twice: on
SQLite and on PostgreSQL (those instances carry the ``postgres`` marker, so
``-m "not postgres"`` leaves them out). On PostgreSQL each test gets a fresh database, a copy of
a template built once per session, and its coder.toml names it in ``[store] url``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.postgres import Cluster

BACKENDS = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))
"""The ``backend`` parameters of a module marked ``backends``."""


def store_url(config: Path, url: str) -> None:
    """Point the project of ``config`` (coder.toml) at ``url`` with a ``[store]`` table."""
    text = config.read_text(encoding="utf-8")
    assert "\n[store]" not in text, f"{config}: has a [store] table already"
    config.write_text(text.rstrip("\n") + f'\n\n[store]\nurl = "{url}"\n', encoding="utf-8")


@dataclass
class Backend:
    """The backend of one test: ``name`` is ``sqlite`` or ``postgres``."""

    name: str
    cluster: Cluster | None = None
    templates: dict[str, str] = field(default_factory=dict)
    """PostgreSQL: project template name -> template database."""
    databases: list[str] = field(default_factory=list)

    @property
    def is_postgres(self) -> bool:
        """True on PostgreSQL."""
        return self.cluster is not None

    def new_database(self, template: str | None = None) -> str:
        """A fresh database (a copy of the project template ``template``); its URL."""
        assert self.cluster is not None
        name = "t_" + secrets.token_hex(6)
        self.cluster.create_database(name, self.templates.get(template) if template else None)
        self.databases.append(name)
        return self.cluster.url(name)

    def attach(self, root: Path, template: str | None = None) -> Path:
        """On PostgreSQL: give the project at ``root`` its own database; returns ``root``."""
        if self.is_postgres:
            store_url(root / "coder.toml", self.new_database(template))
            (root / ".coder" / "coder.db").unlink(missing_ok=True)
        return root

    def init(self, folder: Path, **options: object) -> Path:
        """``coder init`` in ``folder`` (``init_project``), on this backend; returns coder.toml."""
        from coder.project.init import init_project

        config = init_project(folder, **options)  # type: ignore[arg-type]
        self.attach(folder)
        return config

    def drop(self) -> None:
        """Drop the databases this test made."""
        if self.cluster is not None:
            for name in self.databases:
                self.cluster.drop_database(name)


def plain_sql(root: Path, query: str, *, user: str | None = None) -> list[tuple[object, ...]]:
    """Rows of ``query`` (plain SQL) on the database of the project at ``root``, either backend.

    The connection is the driver's own (sqlite3 or psycopg), not coder's: what a test sees is
    what is stored. ``user`` connects to PostgreSQL as that role instead of the URL's.
    """
    import sqlite3
    import tomllib

    import psycopg
    from sqlalchemy.engine import make_url

    settings = tomllib.loads((root / "coder.toml").read_text(encoding="utf-8"))
    url = settings.get("store", {}).get("url")
    if url is None:
        connection = sqlite3.connect(root / ".coder" / "coder.db")
        try:
            return [tuple(row) for row in connection.execute(query)]
        finally:
            connection.close()
    parsed = make_url(url)
    with psycopg.connect(
        host=str(parsed.query["host"]),
        port=int(str(parsed.query["port"])),
        dbname=parsed.database,
        user=user or parsed.username,
    ) as connection:
        return [tuple(row) for row in connection.execute(query.encode())]  # type: ignore[call-overload]
