"""Smoke test of the export benchmark: ``benchmarks/export.py --small`` runs and prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import positive, run_benchmark


@pytest.mark.slow
def test_export_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("export", "--small", "--repetitions", "1", timeout=300)

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
            assert positive(part[key]), (name, key)
        # the JSON rounds seconds to 3 decimals; the ratio was taken before rounding
        shown = part["export_seconds"] / part["plain_csv_seconds"]
        rounding = shown * (0.0005 / part["export_seconds"] + 0.0005 / part["plain_csv_seconds"])
        assert part["ratio"] == pytest.approx(shown, rel=0.01, abs=rounding)
    assert positive(result["long_sav"]["plain_sav_seconds"])
    assert result["targets"]["long_csv_cpu_ratio_at_most_1_0"] == (
        result["long_csv"]["cpu_ratio"] <= 1.0
    )
    assert result["targets"]["long_csv_peak_under_300_mb"] == (
        result["long_csv"]["peak_rss_mb"] < 300
    )
    assert result["targets"]["long_sav_ratio_at_most_1_2"] == (
        result["long_sav"]["ratio_to_plain_sav"] <= 1.2
    )
    assert positive(result["peak_rss_mb"])
