"""Smoke test of the export benchmark: ``benchmarks/export.py --small`` runs and prints sane JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "export.py"


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.mark.slow
def test_export_benchmark_small_prints_sane_json() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--repetitions", "1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # stdout is exactly one JSON object

    assert result["benchmark"] == "export" and result["mode"] == "small"
    sizes = result["sizes"]
    assert sizes["codings"] == 10_000 and sizes["excerpts"] == 20 * 100
    assert sizes["codable_excerpts"] == 20 * 50 and sizes["memos"] > 0

    for name in ("long_csv", "long_sav"):
        part = result[name]
        assert part["rows"] == 10_000
        for key in (
            "export_seconds",
            "export_cpu_seconds",
            "plain_csv_seconds",
            "ratio",
            "cpu_ratio",
            "peak_rss_mb",
            "bytes",
        ):
            assert _positive(part[key]), (name, key)
        # the JSON rounds seconds to 3 decimals; the ratio was taken before rounding
        shown = part["export_seconds"] / part["plain_csv_seconds"]
        rounding = shown * (0.0005 / part["export_seconds"] + 0.0005 / part["plain_csv_seconds"])
        assert part["ratio"] == pytest.approx(shown, rel=0.01, abs=rounding)
    assert _positive(result["long_sav"]["plain_sav_seconds"])
    assert result["targets"]["long_csv_cpu_ratio_at_most_1_5"] == (
        result["long_csv"]["cpu_ratio"] <= 1.5
    )
    assert _positive(result["peak_rss_mb"])
