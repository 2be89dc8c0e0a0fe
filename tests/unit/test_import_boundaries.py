"""Headless modules never pull in textual; the domain pulls in nothing heavy (STYLE.md).

Each check is about what importing one module loads in a fresh interpreter. One interpreter
per check group imports all of the group's modules in turn (``modules_after_each``): what is
loaded after a module there includes everything the module loads alone, so a forbidden module
absent there is absent alone too. Only a module whose check that cannot clear is imported
again in an interpreter of its own, which then decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from support.processes import modules_after_each, run_python

HEAVY = ("textual", "spacy", "pandas", "sqlalchemy", "numpy")

DOMAIN = [
    "coder.domain",
    "coder.domain.codebook",
    "coder.domain.transcript",
    "coder.domain.settings",
    "coder.domain.label_pattern",
    "coder.errors",
]
HEADLESS = [
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
]
NO_SQLALCHEMY = [
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
]
STORE = [
    "coder.store.store",
    "coder.store.operations",
    "coder.store.queries",
    "coder.store.importer",
]

Loaded = Callable[[str], set[str]]


def _checker(modules: Sequence[str], clean: Callable[[set[str]], bool]) -> Loaded:
    """``loaded(module)``: dotted names loaded by ``import module``, exactly or a superset.

    From the group's shared interpreter when ``clean`` holds there (then it holds alone too);
    otherwise from an interpreter of the module's own, whose answer the test then judges.
    """
    shared = dict(zip(modules, modules_after_each([f"import {m}" for m in modules]), strict=True))

    def loaded(module: str) -> set[str]:
        if clean(shared[module]):
            return shared[module]
        return modules_after_each([f"import {module}"])[0]

    return loaded


def top_level(names: set[str]) -> set[str]:
    """The packages of dotted module names."""
    return {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def domain_loaded() -> Loaded:
    return _checker(DOMAIN, lambda names: not top_level(names) & set(HEAVY))


@pytest.fixture(scope="module")
def headless_loaded() -> Loaded:
    return _checker(HEADLESS, lambda names: "textual" not in top_level(names))


@pytest.fixture(scope="module")
def outside_store_loaded() -> Loaded:
    return _checker(NO_SQLALCHEMY, lambda names: "sqlalchemy" not in top_level(names))


@pytest.fixture(scope="module")
def store_loaded() -> Loaded:
    return _checker(STORE, lambda names: not any(n.startswith("coder.project") for n in names))


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_imports_nothing_heavy(module: str, domain_loaded: Loaded) -> None:
    loaded = domain_loaded(module)
    assert module in loaded  # the import did run
    assert not top_level(loaded) & set(HEAVY), top_level(loaded) & set(HEAVY)


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module: str, headless_loaded: Loaded) -> None:
    loaded = headless_loaded(module)
    assert module in loaded
    assert "textual" not in top_level(loaded)


def test_help_imports_no_heavy_library() -> None:
    statement = "sys.argv = ['coder', '--help']\ntry:\n    import coder.cli; coder.cli.main()\nexcept SystemExit: pass"
    loaded = top_level(modules_after_each([statement])[0])
    assert not loaded & {"textual", "spacy", "pandas", "sqlalchemy"}, loaded


@pytest.mark.parametrize("module", NO_SQLALCHEMY)
def test_only_the_store_loads_sqlalchemy(module: str, outside_store_loaded: Loaded) -> None:
    """Outside coder.store nothing imports SQLAlchemy; importing these modules does not load it."""
    loaded = outside_store_loaded(module)
    assert module in loaded  # the import did run
    assert "sqlalchemy" not in top_level(loaded)


@pytest.mark.parametrize("module", STORE)
def test_the_store_does_not_import_the_project(module: str, store_loaded: Loaded) -> None:
    loaded = store_loaded(module)
    assert module in loaded
    assert not any(name.startswith("coder.project") for name in loaded), module


def test_a_forbidden_import_is_still_caught_by_a_fresh_interpreter() -> None:
    """The shared interpreter only clears checks: one it fails is judged alone, and fails."""
    modules = ["coder.errors", "colorsys", "coder.domain.limits"]  # stands for a forbidden one
    loaded = _checker(modules, lambda names: "colorsys" not in names)
    assert "colorsys" in loaded("colorsys")
    # coder.domain.limits came after colorsys in the shared interpreter, so it was loaded there;
    # its own interpreter says that importing it alone loads no colorsys
    assert "colorsys" not in loaded("coder.domain.limits")
    assert "coder.domain.limits" in loaded("coder.domain.limits")


def test_run_python_is_a_fresh_interpreter() -> None:
    done = run_python("import sys; print('coder' in sys.modules)")
    assert done.returncode == 0 and done.stdout.strip() == "False"
