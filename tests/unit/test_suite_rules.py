"""The suite's own rules (issue 12.7), checked on its source so a new test cannot break them.

Tests wait for workers and messages, never for a time; children start through the one helper
in ``support.processes``; no test module imports another; every snapshot test says in its
docstring what a reviewer should look for.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SUPPORT = TESTS / "support"
SOURCES = sorted(TESTS.rglob("*.py"))


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def dotted(node: ast.expr) -> str:
    """``a.b.c`` for a Name/Attribute chain, else ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def calls(path: Path) -> list[tuple[int, str, ast.Call]]:
    return [
        (node.lineno, dotted(node.func), node)
        for node in ast.walk(tree(path))
        if isinstance(node, ast.Call)
    ]


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(TESTS)}:{line}"


def test_the_rules_see_the_suite() -> None:
    assert len(SOURCES) > 50 and SUPPORT / "processes.py" in SOURCES


def test_no_test_module_imports_another() -> None:
    found = []
    for path in SOURCES:
        for node in ast.walk(tree(path)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [
                where(path, node.lineno) for n in names if n.split(".")[-1].startswith("test_")
            ]
    assert found == []


def test_no_test_sleeps() -> None:
    """No ``sleep`` and no ``pilot.pause(seconds)``: wait for an event.

    The one exception is ``support/waiting.py``, the poll for outside systems that send no event.
    """
    found = []
    for path in SOURCES:
        if path == SUPPORT / "waiting.py":
            continue
        for line, name, call in calls(path):
            if name.endswith("sleep") or (name.endswith(".pause") and (call.args or call.keywords)):
                found.append(f"{where(path, line)} {name}")
    assert found == []


@pytest.mark.parametrize(
    "banned", ["subprocess.run", "subprocess.Popen", "subprocess.call", "os.system"]
)
def test_children_start_only_through_support_processes(banned: str) -> None:
    found = [
        where(path, line)
        for path in SOURCES
        if SUPPORT not in path.parents
        for line, name, _ in calls(path)
        if name == banned
    ]
    assert found == []


def test_every_snapshot_test_says_what_to_look_for() -> None:
    checked = 0
    for path in SOURCES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                arg.arg == "snap_compare" for arg in node.args.args
            ):
                checked += 1
                docstring = ast.get_docstring(node) or ""
                assert len(docstring.split()) >= 12, f"{where(path, node.lineno)} {node.name}"
    assert checked >= 7
