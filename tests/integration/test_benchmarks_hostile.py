"""Smoke test of ``benchmarks/hostile.py --small``: it runs and prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import positive, run_benchmark


@pytest.mark.slow
def test_hostile_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("hostile", "--small", timeout=300)
    assert result["benchmark"] == "hostile"
    columns = result["duplicate_columns"]
    assert columns["columns"] == 80_000 and columns["refused"] is True
    assert positive(columns["seconds"]) and positive(columns["bare_csv_reader_seconds"])
    regex = result["speaker_regex"]
    assert regex["pattern"] == "(a+)+b" and positive(regex["seconds"])
    cases = result["cases_import"]
    assert cases["rows"] == cases["stored"] == cases["bare_rows"] == 20_000
    assert positive(cases["seconds"]) and positive(cases["ratio"])
