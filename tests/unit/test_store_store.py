"""``Store``: the project's one database object owns the engine, transactions and coder ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from coder.errors import NotFoundError
from coder.project.project import Project
from coder.store.schema import coders
from coder.store.store import Store

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL


def test_a_project_is_settings_codebook_and_a_store(new_project: Path) -> None:
    with Project.open(new_project) as project:
        assert isinstance(project.store, Store)
        assert project.db_path == project.store.path == new_project / ".coder" / "coder.db"


def test_coder_ids_are_registered_once_and_cached(new_project: Path) -> None:
    with Project.open(new_project) as project:
        store = project.store
        assert store.existing_coder("åse") is None  # a query never registers anyone
        with pytest.raises(NotFoundError, match="unknown coder 'åse'"):
            store.coder_id("åse", create=False)
        first = store.coder_id("åse")
        with store.write() as conn:  # the row goes away behind the cache's back
            conn.execute(coders.delete().where(coders.c.id == first))
        assert store.coder_id("åse") == first  # answered from the cache, no second row
        with store.read() as conn:
            assert list(conn.execute(select(coders.c.name))) == []


def test_a_write_that_fails_changes_nothing(new_project: Path) -> None:
    with Project.open(new_project) as project:
        project.store.coder_id("ada")
        with pytest.raises(RuntimeError), project.store.write() as conn:
            conn.execute(coders.delete())
            raise RuntimeError("half-way")
        with project.store.read() as conn:
            assert list(conn.execute(select(coders.c.name)).scalars()) == ["ada"]
