"""Shared by the benchmark smoke tests: run ``benchmarks/NAME.py`` and read its JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from support.processes import run

REPO = Path(__file__).resolve().parents[2]


def run_benchmark(name: str, *args: str, timeout: int = 300) -> dict[str, Any]:
    """Run a benchmark script; its stdout must be exactly one JSON object."""
    done = run(
        [sys.executable, REPO / "benchmarks" / f"{name}.py", *args], timeout=timeout, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def positive(value: Any) -> bool:
    """A number (not a bool) above zero."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
