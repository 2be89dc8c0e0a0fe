"""Smoke test of the suggestion benchmark: ``benchmarks/suggest.py --small`` prints sane JSON."""

from __future__ import annotations

from typing import Any

import pytest
from benchmark_runner import REPO, run_benchmark


def _fraction(value: Any) -> bool:
    return isinstance(value, float) and 0.0 <= value <= 1.0


@pytest.mark.slow
def test_suggest_benchmark_small_prints_sane_json() -> None:
    result = run_benchmark("suggest", "--small", timeout=300)

    assert result["benchmark"] == "suggest" and result["mode"] == "small"
    go = result["quality"]["datasets"]["goemotions"]
    assert go["examples"] == len(
        (REPO / "benchmarks" / "data" / "goemotions_test_sample.txt")
        .read_text("utf-8")
        .splitlines()
    )
    assert go["license"] == "Apache-2.0" and go["language"] == "en"
    assert len(go["labels_scored"]) >= 10
    systems = go["systems"]
    assert set(systems) == {
        "baseline",
        "baseline_tuned_c",
        "coder",
        "coder_handwritten_indicators",
        "indicators_only",
    }
    for name, curve in systems.items():
        assert list(curve) == ["50", "200", "all"], name  # --small: two curve points
        for point in curve.values():
            assert _fraction(point["macro_f1"]) and _fraction(point["micro_f1"]), name
            assert set(point["per_code_f1"]) == set(go["labels_scored"])
    lead = go["targets"]["macro_f1_lead"]
    assert lead["all"] == pytest.approx(
        systems["coder"]["all"]["macro_f1"] - systems["baseline"]["all"]["macro_f1"], abs=1e-4
    )
    assert go["targets"]["meets_margin_full_training"] == (lead["all"] >= 0.10)

    suggestions = result["suggestions"]
    assert suggestions["excerpts"] == 1_000
    assert suggestions["excerpts_per_s"] > 0 and suggestions["tokenizer_excerpts_per_s"] > 0
    assert suggestions["ratio_to_tokenizer"] == pytest.approx(
        suggestions["suggest_seconds"] / suggestions["tokenizer_seconds"], rel=0.05
    )
    assert suggestions["single_suggest_ms"]["p50"] <= suggestions["single_suggest_ms"]["p95"]

    training = result["training"]
    assert training["excerpts"] == 300 and training["modelled_codes"] > 0
    assert training["total_seconds"] == pytest.approx(
        training["analyse_seconds"] + training["train_seconds"], abs=0.01
    )
    targets = result["targets"]
    assert targets["goemotions_baseline_plus_0.10_macro_f1"] == (lead["all"] >= 0.10)
    assert targets["training_under_60s"] == (training["total_seconds"] < 60)
