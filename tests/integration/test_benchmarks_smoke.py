"""Smoke test of the store benchmark: ``benchmarks/store.py --small`` runs and prints sane JSON."""

from __future__ import annotations

import pytest
from benchmark_runner import positive, run_benchmark


@pytest.mark.slow
def test_store_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("store", "--small", timeout=120)

    assert result["benchmark"] == "store"
    assert result["mode"] == "small"
    assert result["python"].startswith("3.")
    assert result["sqlite"].count(".") == 2

    sizes = result["sizes"]
    assert sizes["transcripts"] == 20
    assert sizes["excerpts"] == 20 * 50
    assert sizes["codable_excerpts"] == 20 * 25
    assert sizes["coders"] == 3
    assert sizes["codings"] == 3 * 1_000
    assert sizes["reviews"] >= 1

    imported = result["import"]
    assert imported["files"] == 20
    assert imported["excerpts"] == 1_000
    for key in ("seconds", "files_per_s", "excerpts_per_s", "read_normalise_seconds", "ratio"):
        assert positive(imported[key]), key
    assert imported["ratio"] == pytest.approx(
        imported["seconds"] / imported["read_normalise_seconds"], rel=0.5
    )

    load = result["open_and_load_ms"]
    assert load["repetitions"] >= 20
    assert load["excerpts"] == 50
    for key in ("median", "p95", "min", "max"):
        assert positive(load[key]), key
    assert load["min"] <= load["median"] <= load["p95"] <= load["max"]
    assert set(load["phases_median"]) == {
        "open",
        "load_excerpts",
        "coder_codings_by_excerpt",
        "reviewed_excerpts",
    }

    cold = result["cold_open_and_load"]
    assert positive(cold["open_and_load_ms_median"])
    assert positive(cold["peak_rss_mb"])

    apply = result["apply_code_ms"]
    assert apply["calls"] >= 1_000
    assert apply["inserted"] + apply["already_applied"] == apply["calls"]
    assert apply["inserted"] > 0
    for key in ("p50", "p95", "p99", "max", "mean"):
        assert positive(apply[key]), key
    assert apply["p50"] <= apply["p95"] <= apply["max"]

    assert positive(result["peak_rss_mb"])
    assert set(result["targets"]) == {"open_and_load_under_50ms", "apply_p95_under_5ms"}
    assert all(isinstance(value, bool) for value in result["targets"].values())
    assert result["targets"]["apply_p95_under_5ms"] == (apply["p95"] < 5)
    assert result["targets"]["open_and_load_under_50ms"] == (load["p95"] < 50)
