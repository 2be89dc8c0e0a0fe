"""Smoke test of the privacy benchmark: ``benchmarks/privacy.py --small`` prints sane JSON."""

from __future__ import annotations

from benchmark_runner import run_benchmark


def test_privacy_benchmark_small_prints_recall_and_precision() -> None:
    result = run_benchmark("privacy", "--small", timeout=120)
    assert result["mode"] == "small" and result["transcripts"] == 3
    for run in ("without_list", "with_lead_list"):
        figures = result[run]
        assert figures["inserted"] == 24
        assert set(figures["recall_by_category"]) == {"FNR", "NAVN", "STED", "TELEFON"}
        assert 0 < figures["precision_against_inserted"] <= 1
        # checksummed numbers are found wherever they are written
        assert figures["recall_by_category"]["FNR"] == 1.0
        assert figures["recall_by_category"]["TELEFON"] == 1.0
    assert result["with_lead_list"]["recall"] == 1.0  # the lead's list finds every name and place
