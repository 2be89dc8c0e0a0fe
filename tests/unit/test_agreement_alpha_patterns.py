"""The pattern-counting path of Krippendorff's alpha (hypothesis): the same value as the
``krippendorff`` package to 1e-12 and as the general pair-by-pair path, nominal and ordinal, on
random data with missing values; and the cases it hands to the general path."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.agreement import alpha as alpha_module
from coder.agreement import krippendorff_alpha
from coder.agreement.alpha_patterns import unit_patterns


@st.composite
def coded(draw: st.DrawFn) -> np.ndarray:
    """Coders x units of integer codes (any offset) with a random share missing."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 2000))
    categories = draw(st.integers(2, 12))
    offset = draw(st.integers(-5, 5))
    truth = rng.integers(0, categories, units)
    agree = rng.random((coders, units)) < draw(st.floats(0.0, 1.0))
    noise = rng.integers(0, categories, (coders, units))
    data = np.where(agree, truth, noise).astype(np.float64) + offset
    data[rng.random((coders, units)) < draw(st.floats(0.0, 0.6))] = np.nan
    return data


def package(data: np.ndarray, level: str) -> float | None:
    try:
        with np.errstate(all="ignore"):
            value = float(krippendorff.alpha(data, level_of_measurement=level))
    except ValueError:  # the package refuses data with one value only
        return None
    return value if math.isfinite(value) else None


def general(data: np.ndarray, level: str, monkeypatch: pytest.MonkeyPatch) -> float | None:
    with monkeypatch.context() as patch:
        patch.setattr(alpha_module, "unit_patterns", lambda _matrix: None)
        return krippendorff_alpha(data, level).value  # type: ignore[arg-type]


@settings(max_examples=120, deadline=None)
@given(coded())
def test_pattern_path_equals_package_and_general_path(data: np.ndarray) -> None:
    assert unit_patterns(data) is not None or np.isnan(data).all()
    with pytest.MonkeyPatch.context() as monkeypatch:
        for level in ("nominal", "ordinal"):
            ours = krippendorff_alpha(data, level)  # type: ignore[arg-type]
            theirs = package(data, level)
            if theirs is None:
                assert ours.value is None and ours.reason, level
                continue
            assert ours.value is not None, (level, ours.reason)
            assert abs(ours.value - theirs) <= 1e-12, level
            slow = general(data, level, monkeypatch)
            assert slow is not None and abs(ours.value - slow) <= 1e-12, level


@settings(max_examples=40, deadline=None)
@given(coded())
def test_pattern_path_counts_pairable_units_and_values(data: np.ndarray) -> None:
    patterns = unit_patterns(data)
    rated = (~np.isnan(data)).sum(axis=0)
    if patterns is None:
        assert np.isnan(data).all()
        return
    assert patterns.unit_count == int((rated >= 2).sum())
    pairable = data[:, rated >= 2]
    values, counts = np.unique(pairable[~np.isnan(pairable)], return_counts=True)
    assert patterns.values.tolist() == values.tolist()
    assert patterns.value_counts.tolist() == counts.astype(float).tolist()
    result = krippendorff_alpha(data)
    if result.value is not None:
        assert result.units == patterns.unit_count and result.values == int(counts.sum())


def test_data_that_do_not_fit_take_the_general_path() -> None:
    rng = np.random.default_rng(7)
    fractional = rng.integers(0, 5, (3, 200)) * 0.37
    wide = rng.integers(0, 1_000_000, (3, 40)).astype(np.float64)  # a span no table holds
    many_coders = rng.integers(0, 9, (12, 200)).astype(np.float64)
    for data in (fractional, wide, many_coders):
        assert unit_patterns(data) is None
        for level in ("nominal", "ordinal"):
            expected = float(krippendorff.alpha(data, level_of_measurement=level))
            assert krippendorff_alpha(data, level).value == pytest.approx(expected, abs=1e-12)


@pytest.mark.slow  # the same equality at small scale: test_pattern_path_equals_package_and_...
def test_a_million_units_match_the_package() -> None:
    """At benchmark scale (1M units, as benchmarks/agreement.py) the sums stay exact to 1e-12."""
    rng = np.random.default_rng(0)
    units = 1_000_000
    truth = rng.integers(0, 5, units)
    data = np.where(rng.random((3, units)) < 0.8, truth, rng.integers(0, 5, (3, units)))
    data = data.astype(np.float64)
    data[rng.random((3, units)) < 0.05] = np.nan
    assert unit_patterns(data) is not None
    for level in ("nominal", "ordinal"):
        expected = float(krippendorff.alpha(data, level_of_measurement=level))
        assert abs(krippendorff_alpha(data, level).value - expected) <= 1e-12  # type: ignore[arg-type,operator]
