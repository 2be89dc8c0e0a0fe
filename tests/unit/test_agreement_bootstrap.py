"""Seeded bootstrap intervals: reproducible, honest about undefined replicates, and the
report's pattern bootstrap equal to recomputing the coefficient on the drawn units."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coder.agreement import bootstrap_alpha, bootstrap_kappa, krippendorff_alpha
from coder.agreement.binary import BinarySums, binary_values
from coder.agreement.bootstrap import percentile_interval, resample_counts
from coder.agreement.pattern_bootstrap import (
    code_patterns,
    distinct_rows,
    draw_patterns,
    sums_of,
    unit_stats,
)

NAN = math.nan
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_alpha_interval_is_seeded_and_brackets_the_estimate() -> None:
    first = bootstrap_alpha(K2011, "interval", replicates=400, seed=7)
    again = bootstrap_alpha(K2011, "interval", replicates=400, seed=7)
    other = bootstrap_alpha(K2011, "interval", replicates=400, seed=8)
    assert first.ci is not None and first.ci.defined
    assert first.ci == again.ci
    assert first.ci != other.ci
    assert first.value == krippendorff_alpha(K2011, "interval").value
    assert first.ci.low is not None and first.ci.high is not None
    assert first.ci.low < first.value < first.ci.high  # type: ignore[operator]
    assert first.ci.high <= 1.0
    assert first.ci.replicates == 400 and 0 < first.ci.used <= 400
    assert first.to_dict()["ci"]["seed"] == 7


def test_kappa_interval_is_seeded() -> None:
    a = [1, 2, 2, 3, 1, 2, 3, 3, 1, 2, 2, 1, 3, 2]
    b = [1, 2, 3, 3, 1, 2, 3, 2, 1, 1, 2, 1, 3, 2]
    result = bootstrap_kappa(a, b, "quadratic", replicates=300, seed=1)
    assert result.ci is not None and result.ci.defined
    assert result.ci == bootstrap_kappa(a, b, "quadratic", replicates=300, seed=1).ci
    assert result.ci.low < result.value < result.ci.high  # type: ignore[operator]


def test_interval_undefined_when_every_replicate_is() -> None:
    result = bootstrap_alpha([[1, 1, 1], [1, 1, 1]], replicates=50, seed=0)
    assert result.value is None
    assert result.ci is not None and not result.ci.defined
    assert result.ci.used == 0 and "every bootstrap replicate" in (result.ci.reason or "")


def test_percentile_interval_on_known_samples() -> None:
    samples = np.array([*np.arange(1.0, 101.0), np.nan])
    interval = percentile_interval(samples, replicates=101, seed=0, confidence=0.9)
    assert interval.used == 100
    assert interval.low == pytest.approx(np.quantile(np.arange(1.0, 101.0), 0.05))
    assert interval.high == pytest.approx(np.quantile(np.arange(1.0, 101.0), 0.95))
    with pytest.raises(ValueError):
        percentile_interval(samples, replicates=1, seed=0, confidence=1.5)


def _expanded(patterns_presence: list[np.ndarray], counts: np.ndarray) -> np.ndarray:
    """Coders x units presence: each pattern's representative unit repeated ``counts`` times."""
    columns = [
        np.repeat(p[:, None], int(c), axis=1)
        for p, c in zip(patterns_presence, counts, strict=True)
    ]
    return np.concatenate(columns, axis=1)


@pytest.mark.parametrize("coders", [2, 3, 4])
def test_pattern_draws_equal_recomputing_on_the_drawn_units(coders: int) -> None:
    rng = np.random.default_rng(coders)
    presence = rng.random((coders, 60, 3)) < 0.35  # coders x units x codes
    stats = unit_stats(presence)
    patterns, frequencies = code_patterns(stats, coders)
    assert (frequencies.sum(axis=1) == 60).all()
    # the representative presence of each pattern: two coders -> (a, b); more -> s marks
    if coders == 2:
        representatives = [np.array([a, b], dtype=bool) for a in (0, 1) for b in (0, 1)]
    else:
        representatives = [np.arange(coders) < s for s in range(patterns.shape[0])]
    for code in range(3):
        drawn = draw_patterns(patterns, frequencies[code], 30, np.random.default_rng(11))
        counts = np.random.default_rng(11).multinomial(
            60, frequencies[code] / 60.0, size=30
        )  # the same draws, as counts of each pattern
        alphas = binary_values(sums_of(drawn, coders, 60))["krippendorff_alpha"]
        for replicate in range(30):
            units = _expanded(representatives, counts[replicate]).astype(float)
            expected = krippendorff_alpha(units).value
            if expected is None:
                assert math.isnan(alphas[replicate])
            else:
                assert alphas[replicate] == pytest.approx(expected, abs=1e-12)


def test_distinct_rows_count_each_row() -> None:
    rows = np.array([[2, 4], [0, 0], [2, 4], [1, 1], [0, 0], [2, 4]], dtype=np.int64)
    patterns, frequencies = distinct_rows(rows)
    found = {tuple(p): int(f) for p, f in zip(patterns.tolist(), frequencies.tolist(), strict=True)}
    assert found == {(2, 4): 3, (0, 0): 2, (1, 1): 1}
    none, counts = distinct_rows(np.zeros((0, 2), dtype=np.int64))
    assert none.shape == (0, 2) and counts.size == 0


def test_resample_counts_are_draws_with_replacement() -> None:
    blocks = list(resample_counts(7, 25, seed=3))
    counts = np.vstack(blocks)
    assert counts.shape == (25, 7)
    assert (counts.sum(axis=1) == 7).all()
    again = np.vstack(list(resample_counts(7, 25, seed=3)))
    assert (counts == again).all()


def test_matrix_product_bootstrap_equals_recomputing_on_resampled_units() -> None:
    rng = np.random.default_rng(5)
    presence = (rng.random((3, 40, 4)) < 0.3).astype(float)  # coders x units x codes
    marks = presence.sum(axis=0)
    stats = np.concatenate([marks[..., None], (marks * marks)[..., None]], axis=2)
    counts = np.vstack(list(resample_counts(40, 20, seed=11)))
    drawn = (counts @ stats.reshape(40, -1)).reshape(20, 4, 2)
    sums = BinarySums(3, np.full((20, 4), 40.0), drawn[..., 0], drawn[..., 1])
    alphas = binary_values(sums)["krippendorff_alpha"]
    for replicate in range(20):
        units = np.repeat(np.arange(40), counts[replicate].astype(int))
        for code in range(4):
            expected = krippendorff_alpha(presence[:, units, code]).value
            got = alphas[replicate, code]
            if expected is None:
                assert math.isnan(got)
            else:
                assert got == pytest.approx(expected, abs=1e-12)
