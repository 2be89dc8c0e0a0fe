"""Every runtime dependency declared in pyproject.toml is imported somewhere in ``src/coder``."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coder"
PYPROJECT = SRC.parents[1] / "pyproject.toml"


def imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_no_declared_dependency_goes_unimported() -> None:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    wanted = {canonical(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in declared}
    providers = packages_distributions()
    used = {
        canonical(dist) for module in imported_top_levels() for dist in providers.get(module, [])
    }
    assert wanted - used == set(), f"declared in pyproject.toml but never imported: {wanted - used}"
