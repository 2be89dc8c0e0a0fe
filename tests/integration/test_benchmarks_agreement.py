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
    assert set(alpha["levels"]) == {"nominal", "ordinal"}
    assert alpha["levels"]["nominal"]["value"] == alpha["value"]
    for level in alpha["levels"].values():
        assert level["abs_difference"] <= 1e-12
        assert level["value"] == pytest.approx(level["krippendorff_package_value"], abs=1e-12)
        for key in ("seconds", "krippendorff_package_seconds", "speedup", "speedup_best"):
            assert positive(level[key]), key
        assert level["speedup"] == pytest.approx(
            level["krippendorff_package_seconds"] / level["seconds"]
        )
        assert level["speedup_best"] == pytest.approx(
            min(level["krippendorff_package_seconds_all"]) / min(level["seconds_all"])
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
        "alpha_same_to_1e-12",
        "alpha_at_least_10x_faster",
        "report_under_0.5s",
    }
    assert result["targets"]["alpha_same_to_1e-12"] is True
    assert result["targets"]["report_under_0.5s"] == (report["seconds_min"] < 0.5)
    fastest = min(level["speedup_best"] for level in alpha["levels"].values())
    assert result["targets"]["alpha_at_least_10x_faster"] == (fastest >= 10.0)
