"""Properties of the coefficients (hypothesis): invariance under permuting coders and units,
agreement with the ``krippendorff`` package, and the sufficient-statistics engine of the report
equal to the general functions."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
)
from coder.agreement.binary import BinarySums, binary_coefficients

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@st.composite
def ratings(draw: st.DrawFn, *, missing: bool = True, low: int = 1, high: int = 5) -> np.ndarray:
    """Coders x units of small integer ratings with some NaN, plus two permutations."""
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 25))
    values = draw(
        st.lists(
            st.one_of(st.integers(low, high), st.none()) if missing else st.integers(low, high),
            min_size=coders * units,
            max_size=coders * units,
        )
    )
    return np.array([math.nan if v is None else v for v in values], float).reshape(coders, units)


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(ratings(), st.randoms(use_true_random=False))
def test_invariant_under_permuting_coders_and_units(data: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    rows = list(range(data.shape[0]))
    columns = list(range(data.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(columns)
    shuffled = data[rows][:, columns]
    for level in LEVELS:
        assert same(
            krippendorff_alpha(data, level).value,  # type: ignore[arg-type]
            krippendorff_alpha(shuffled, level).value,  # type: ignore[arg-type]
        ), level
    for function in (gwet_ac1, brennan_prediger, percent_agreement):
        assert same(function(data).value, function(shuffled).value), function.__name__
        quadratic = function(data, "quadratic", categories=[1, 2, 3, 4, 5]).value
        assert same(quadratic, function(shuffled, "quadratic", categories=[1, 2, 3, 4, 5]).value)
    counts = reliability_data(data, [1, 2, 3, 4, 5]).counts()
    shuffled_counts = reliability_data(shuffled, [1, 2, 3, 4, 5]).counts()
    assert same(fleiss_kappa(counts).value, fleiss_kappa(shuffled_counts).value)
    a, b = data[0].tolist(), data[1].tolist()
    for weights in (None, "linear", "quadratic"):
        forward = cohen_kappa(a, b, weights, categories=[1, 2, 3, 4, 5]).value  # type: ignore[arg-type]
        swapped = cohen_kappa(b, a, weights, categories=[1, 2, 3, 4, 5]).value  # type: ignore[arg-type]
        permuted = cohen_kappa(
            [a[i] for i in columns],
            [b[i] for i in columns],
            weights,
            categories=[1, 2, 3, 4, 5],  # type: ignore[arg-type]
        ).value
        assert same(forward, swapped) and same(forward, permuted)


@settings(max_examples=80, deadline=None)
@given(ratings(low=0, high=6))
def test_alpha_matches_krippendorff_package(data: np.ndarray) -> None:
    for level in LEVELS:
        ours = krippendorff_alpha(data, level)  # type: ignore[arg-type]
        try:
            with np.errstate(all="ignore"):
                theirs = float(krippendorff.alpha(data, level_of_measurement=level))
        except ValueError:  # the package refuses data with one value only
            assert ours.value is None
            continue
        if ours.value is None:
            assert not math.isfinite(theirs), (level, ours.reason, theirs)
        else:
            assert ours.value == pytest.approx(theirs, abs=1e-9), level


@settings(max_examples=60, deadline=None)
@given(ratings(missing=False))
def test_ordinal_alpha_depends_only_on_order(data: np.ndarray) -> None:
    stretched = np.exp(data)  # a strictly increasing transform keeps the ranks
    assert same(
        krippendorff_alpha(data, "ordinal").value, krippendorff_alpha(stretched, "ordinal").value
    )


@st.composite
def binary_presence(draw: st.DrawFn) -> np.ndarray:
    coders = draw(st.integers(2, 4))
    units = draw(st.integers(1, 30))
    share = draw(st.floats(0.0, 1.0))
    bits = draw(st.lists(st.floats(0, 1), min_size=coders * units, max_size=coders * units))
    return (np.array(bits).reshape(coders, units) < share).astype(float)


@settings(max_examples=150, deadline=None)
@given(binary_presence())
def test_report_engine_equals_general_functions(presence: np.ndarray) -> None:
    m, n = presence.shape
    marks = presence.sum(axis=0)
    sums = BinarySums.from_positives(
        np.array(float(n)), presence.sum(axis=1), np.array(float((marks * marks).sum()))
    )
    found = binary_coefficients(sums)
    domain = [0.0, 1.0]
    assert same(found["krippendorff_alpha"].value, krippendorff_alpha(presence).value)
    if m == 2:
        expected_kappa = cohen_kappa(presence[0].tolist(), presence[1].tolist(), categories=domain)
        assert found["kappa"].name == "cohen_kappa"
    else:
        expected_kappa = fleiss_kappa(reliability_data(presence, domain).counts())
        assert found["kappa"].name == "fleiss_kappa"
    assert same(found["kappa"].value, expected_kappa.value)
    assert same(found["gwet_ac1"].value, gwet_ac1(presence, categories=domain).value)
    assert same(
        found["brennan_prediger"].value, brennan_prediger(presence, categories=domain).value
    )
    assert same(
        found["percent_agreement"].value, percent_agreement(presence, categories=domain).value
    )
    if found["krippendorff_alpha"].value is None:
        assert found["krippendorff_alpha"].reason
