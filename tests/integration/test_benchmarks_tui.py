"""Smoke test of the TUI benchmark: ``benchmarks/tui.py --small`` runs and prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import positive, run_benchmark


@pytest.mark.slow
def test_tui_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("tui", "--small", "--presses", "20", timeout=300)
    assert result["benchmark"] == "tui"
    for name in ("synthetic", "demo"):
        part = result[name]
        assert positive(part["launch_to_coding_ms"]), name
        for key in ("toggle_ms", "move_ms", "reading_open_ms", "reading_move_ms"):
            figures = part[key]
            assert figures["n"] > 0 and 0 < figures["p50"] <= figures["p95"] <= figures["max"]
        # every toggle press applied a code: the measured keys really did the work
        assert part["codings_in_session"] > 0
    assert result["synthetic"]["excerpts"] == 300  # the --small long transcript
    assert set(result["targets"]) == {
        "launch_under_1s",
        "toggle_p95_under_30ms",
        "move_p95_under_16ms",
        "reading_open_p95_under_250ms",
        "reading_move_p95_under_16ms",
    }
