"""Smoke test of the agreement benchmark: ``benchmarks/agreement.py --small`` prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import positive, run_benchmark


@pytest.mark.slow
def test_agreement_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("agreement", "--small", timeout=300)
    assert result["benchmark"] == "agreement" and result["mode"] == "small"

    alpha = result["alpha"]
    assert alpha["units"] == 100_000 and alpha["coders"] == 3
    assert 0.04 < alpha["missing_share"] < 0.06
    assert alpha["abs_difference"] <= 1e-9
    assert alpha["value"] == pytest.approx(alpha["krippendorff_package_value"], abs=1e-9)
    for key in ("seconds", "krippendorff_package_seconds", "speedup"):
        assert positive(alpha[key]), key
    assert alpha["speedup"] == pytest.approx(
        alpha["krippendorff_package_seconds"] / alpha["seconds"]
    )

    report = result["report"]
    assert report["excerpts"] == 20 * 50 and report["codable_excerpts"] == 20 * 25
    assert report["codes"] == 40 and report["coders"] == 3
    assert report["codings"] == 3 * 1_000
    assert 0 < report["units"] <= report["codable_excerpts"]
    assert report["units"] + report["left_out"] == report["codable_excerpts"]
    assert report["bootstrap_replicates"] == 1000
    for key in (
        "seconds",
        "seconds_without_bootstrap",
        "read_tables_seconds",
        "ratio_to_read_tables",
    ):
        assert positive(report[key]), key
    assert set(result["targets"]) == {
        "alpha_same_to_1e-9",
        "alpha_at_least_3x_faster",
        "report_under_2s",
    }
    assert result["targets"]["alpha_same_to_1e-9"] is True
    assert result["targets"]["report_under_2s"] == (report["seconds_min"] < 2.0)
    assert result["targets"]["alpha_at_least_3x_faster"] == (alpha["speedup_best"] >= 3.0)
