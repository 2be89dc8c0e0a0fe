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
    quality = result["quality"]
    assert quality["dataset"]["examples"] == len(
        (REPO / "benchmarks" / "data" / "goemotions_test_sample.txt")
        .read_text("utf-8")
        .splitlines()
    )
    assert quality["dataset"]["license"] == "Apache-2.0"
    assert len(quality["dataset"]["labels_scored"]) >= 10
    systems = ("fused", "indicators_only", "baseline_tfidf_lr", "baseline_tfidf_lr_balanced")
    for system in systems:
        assert all(_fraction(v) for v in quality[system].values()), system
    assert set(quality["per_label_f1"]) == set(quality["dataset"]["labels_scored"])

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
    assert targets["fused_beats_baseline_macro_f1"] == (
        quality["fused"]["macro_f1"] > quality["baseline_tfidf_lr"]["macro_f1"]
    )
    assert targets["training_under_60s"] == (training["total_seconds"] < 60)
