"""Headless modules never pull in textual; the domain pulls in nothing heavy (STYLE.md)."""

from __future__ import annotations

import pytest

from support.processes import modules_after, run_python

HEAVY = ("textual", "spacy", "pandas", "sqlalchemy", "numpy")


def loaded_after(statement: str) -> set[str]:
    return modules_after(statement)


@pytest.mark.parametrize(
    "module",
    [
        "coder.domain",
        "coder.domain.codebook",
        "coder.domain.transcript",
        "coder.domain.settings",
        "coder.errors",
    ],
)
def test_domain_imports_nothing_heavy(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


@pytest.mark.parametrize(
    "module",
    [
        "coder.codebook",
        "coder.project",
        "coder.project.project",
        "coder.ingest",
        "coder.store.operations",
        "coder.store.queries",
        "coder.store.importer",
        "coder.cli",
        "coder.cli.main",
        "coder.refi.read.package",
        "coder.refi.load.project_import",
        "coder.refi.write.export",
        "coder.demo",
        "coder.serve.server",
        "coder.serve.launch",
        "coder.team.merge",
        "coder.team.join",
    ],
)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    assert "textual" not in loaded_after(f"import {module}")


def test_help_imports_no_heavy_library() -> None:
    statement = "sys.argv = ['coder', '--help']\ntry:\n    import coder.cli; coder.cli.main()\nexcept SystemExit: pass"
    loaded = modules_after(statement)
    assert not loaded & {"textual", "spacy", "pandas", "sqlalchemy"}, loaded


@pytest.mark.parametrize(
    "module",
    [
        "coder.project",
        "coder.project.project",
        "coder.agreement.excerpt_units",
        "coder.agreement.case_units",
        "coder.agreement.adjudication",
        "coder.agreement.report",
        "coder.export.formats",
        "coder.export.long",
        "coder.export.cases",
        "coder.export.unit_matrix",
        "coder.export.reports",
        "coder.suggest",
        "coder.suggest.feedback",
        "coder.suggest.active",
        "coder.suggest.training_data",
        "coder.suggest.model_training",
        "coder.tui.session",
    ],
)
def test_only_the_store_loads_sqlalchemy(module: str) -> None:
    """Outside coder.store nothing imports SQLAlchemy; importing these modules does not load it."""
    loaded = loaded_after(f"import {module}")
    assert "sqlalchemy" not in loaded
    assert "coder" in loaded  # the import did run


@pytest.mark.parametrize(
    "module",
    ["coder.store.store", "coder.store.operations", "coder.store.queries", "coder.store.importer"],
)
def test_the_store_does_not_import_the_project(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('coder.')))"
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert "coder.project" not in done.stdout and "coder.store" in done.stdout
