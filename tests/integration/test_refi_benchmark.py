"""Smoke test of the REFI benchmark: ``benchmarks/refi.py --small`` runs and prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import run_benchmark


@pytest.mark.slow
def test_refi_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("refi", "--small", timeout=300)
    assert (result["benchmark"], result["mode"]) == ("refi", "small")
    sizes = result["sizes"]
    assert sizes == {
        "transcripts": 20,
        "excerpts": 1000,
        "coders": 3,
        "codings": 3000,
        "selections": sizes["selections"],
    }
    assert 0 < sizes["selections"] <= 3000
    for phase in ("export", "import"):
        measured = result[phase]
        assert measured["seconds"] > 0 and measured["reference_seconds"] > 0
        assert measured["ratio"] == pytest.approx(
            measured["seconds"] / measured["reference_seconds"], rel=0.05
        )
    assert result["import"]["codings"] == 3000  # the round trip kept every coding
    assert result["export"]["bytes"] > 0 and result["peak_rss_mb"] > 0
