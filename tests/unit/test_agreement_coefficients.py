"""Agreement coefficients against published reference values (sources cited per test).

Abbreviations of the sources:

- K2011: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School
  for Communication, University of Pennsylvania, section C, the 4 observers x 12 units example
  with missing values: alpha nominal .743, ordinal .815, interval .849, ratio .797.
- F1971: Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
  Psychological Bulletin 76(5), 378-382: 30 patients, 6 psychiatrists, 5 diagnoses; kappa .430.
  Raw ratings as the ``diagnoses`` data set of R's ``irr`` package (Gamer et al.), whose
  ``kappam.fleiss(diagnoses)`` gives 0.4302445.
- G2014: Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed. Its examples as
  distributed with Gwet's own R package ``irrCAC`` (README and vignettes "overview" and
  "weighting"): ``cac.raw4raters`` (the K2011 data, subjects as rows), ``cont3x3abstractors``
  (3 x 3 table of two abstractors) and ``distrib.6raters`` (6 raters' distribution over 5
  categories for 15 subjects).
- IRR: R package ``irr`` (Gamer, Lemon, Fellows & Singh), ``kappa2`` on columns 2 and 3 of its
  ``anxiety`` data set (20 subjects rated 1-6): unweighted -0.006289308, "equal" (linear)
  0.1459075, "squared" (quadratic) 0.2520325.
- SAS: SAS/STAT PROC FREQ agreement printout for the 3 x 3 table [[0, 4, 1], [0, 8, 0],
  [0, 1, 5]]: simple kappa 0.4842, weighted kappa (Cicchetti-Allison, i.e. linear) 0.4701 (as
  reproduced in statsmodels' ``test_inter_rater.py``).
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from coder.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_ac2,
    kappa_from_table,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
)

NAN = math.nan

K2011 = [  # observers A-D (rows) x units 1-12; NaN: the observer did not code the unit
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

F1971 = np.array(  # patients (rows) x psychiatrists; diagnoses 1-5
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

ABSTRACTORS = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]])  # G2014 cont3x3abstractors

SIX_RATERS = np.array(  # G2014 distrib.6raters: subjects x categories, counts of raters
    [
        [0, 0, 0, 6, 0],
        [0, 3, 0, 0, 3],
        [0, 1, 4, 0, 1],
        [0, 0, 0, 0, 6],
        [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0],
        [0, 0, 4, 0, 2],
        [2, 0, 3, 1, 0],
        [2, 0, 0, 4, 0],
        [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0],
        [1, 1, 0, 4, 0],
        [0, 3, 3, 0, 0],
        [1, 0, 0, 5, 0],
        [0, 2, 0, 3, 1],
    ]
)

ANXIETY_2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]  # IRR, rater 2
ANXIETY_3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]  # IRR, rater 3


def table_to_pairs(table: np.ndarray) -> tuple[list[int], list[int]]:
    """Two coders' ratings that reproduce a contingency table (rows: first coder)."""
    first: list[int] = []
    second: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i] * int(count)
            second += [j] * int(count)
    return first, second


def distribution_to_raw(table: np.ndarray) -> np.ndarray:
    """Raters x subjects ratings 1..q from subjects x categories counts (rater order is moot)."""
    return np.array([np.repeat(np.arange(1, table.shape[1] + 1), row) for row in table]).T


def counts_of(rows: np.ndarray, categories: int) -> np.ndarray:
    return np.array([[np.sum(row == k) for k in range(1, categories + 1)] for row in rows])


# --- Krippendorff's alpha -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_krippendorff_2011_worked_example(level: str, published: float) -> None:
    result = krippendorff_alpha(K2011, level)  # type: ignore[arg-type]
    assert result.value is not None
    assert round(result.value, 3) == published  # K2011, section C
    assert result.units == 11  # unit 12 has one value only and is not pairable
    assert result.values == 40
    package = krippendorff.alpha(reliability_data=np.array(K2011), level_of_measurement=level)
    assert result.value == pytest.approx(package, abs=1e-9)


def test_alpha_nominal_matches_gwet_irrcac_on_same_data() -> None:
    # G2014 / irrCAC krippen.alpha.raw(cac.raw4raters): 0.74342
    assert krippendorff_alpha(K2011).value == pytest.approx(0.74342, abs=5e-6)


def test_alpha_two_coder_table_matches_gwet() -> None:
    # G2014 / irrCAC krippen2.table(cont3x3abstractors): 0.7972585
    assert krippendorff_alpha(table_to_pairs(ABSTRACTORS)).value == pytest.approx(
        0.7972585, abs=5e-8
    )


def test_alpha_accepts_labels_and_none() -> None:
    labels = {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    coded = [[None if math.isnan(v) else labels[int(v)] for v in row] for row in K2011]
    assert krippendorff_alpha(coded).value == pytest.approx(krippendorff_alpha(K2011).value)
    ordered = krippendorff_alpha(coded, "ordinal", categories=list("abcde")).value
    assert ordered == pytest.approx(krippendorff_alpha(K2011, "ordinal").value)


# --- Fleiss' kappa --------------------------------------------------------------------------


def test_fleiss_1971_diagnoses() -> None:
    result = fleiss_kappa(counts_of(F1971, 5))
    assert result.value is not None
    assert round(result.value, 3) == 0.430  # F1971
    assert result.value == pytest.approx(0.4302445, abs=5e-8)  # irr::kappam.fleiss
    assert result.units == 30 and result.values == 180


def test_fleiss_from_reliability_data_counts() -> None:
    # G2014 / irrCAC fleiss.kappa.raw(cac.raw4raters): 0.76117 (units with missing ratings)
    counts = reliability_data(K2011).counts()
    assert fleiss_kappa(counts).value == pytest.approx(0.76117, abs=5e-6)
    # G2014 / irrCAC fleiss.kappa.dist(distrib.6raters): 0.4139265
    assert fleiss_kappa(SIX_RATERS).value == pytest.approx(0.4139265, abs=5e-8)


# --- Cohen's kappa --------------------------------------------------------------------------


def test_cohen_kappa_unweighted_linear_quadratic_irr_anxiety() -> None:
    assert cohen_kappa(ANXIETY_2, ANXIETY_3).value == pytest.approx(-0.006289308, abs=5e-10)
    linear = cohen_kappa(ANXIETY_2, ANXIETY_3, "linear").value
    assert linear == pytest.approx(0.1459075, abs=5e-8)  # IRR "equal"
    quadratic = cohen_kappa(ANXIETY_2, ANXIETY_3, "quadratic").value
    assert quadratic == pytest.approx(0.2520325, abs=5e-8)  # IRR "squared"


def test_cohen_kappa_sas_printout() -> None:
    table = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert kappa_from_table(table).value == pytest.approx(0.4842, abs=5e-5)  # SAS
    assert kappa_from_table(table, "linear").value == pytest.approx(0.4701, abs=5e-5)  # SAS
    first, second = table_to_pairs(table)
    # the second coder never used category 0; declaring it keeps the 3 x 3 table
    assert cohen_kappa(first, second, "linear", categories=[0, 1, 2]).value == pytest.approx(
        0.4701, abs=5e-5
    )


def test_cohen_kappa_gwet_abstractors() -> None:
    first, second = table_to_pairs(ABSTRACTORS)
    assert cohen_kappa(first, second).value == pytest.approx(0.7964094, abs=5e-8)  # G2014
    quadratic = cohen_kappa(first, second, "quadratic").value
    assert quadratic == pytest.approx(0.8921569, abs=5e-8)  # G2014 weighting vignette


def test_cohen_kappa_drops_units_missing_either_rating() -> None:
    result = cohen_kappa([1, 2, None, 1, 2], [1, 2, 2, NAN, 1])
    assert result.units == 3
    assert result.value == pytest.approx(cohen_kappa([1, 2, 2], [1, 2, 1]).value)


# --- Gwet's AC1/AC2, Brennan-Prediger, percent agreement --------------------------------------


def test_gwet_handbook_raw_ratings_with_missing_values() -> None:
    # G2014 / irrCAC on cac.raw4raters (the K2011 data)
    assert percent_agreement(K2011).value == pytest.approx(0.8181818, abs=5e-8)
    ac1 = gwet_ac1(K2011)
    assert ac1.value == pytest.approx(0.77544, abs=5e-6)
    assert ac1.expected == pytest.approx(0.1903212, abs=5e-8)
    assert brennan_prediger(K2011).value == pytest.approx(0.77273, abs=5e-6)
    # quadratic weights (weighting vignette)
    assert percent_agreement(K2011, "quadratic").value == pytest.approx(0.9753788, abs=5e-8)
    ac2 = gwet_ac2(K2011, "quadratic")
    assert ac2.name == "gwet_ac2"
    assert ac2.value == pytest.approx(0.914, abs=5e-4)
    assert ac2.expected == pytest.approx(0.7137044, abs=5e-8)
    assert brennan_prediger(K2011, "quadratic").value == pytest.approx(0.90152, abs=5e-6)


def test_gwet_handbook_two_abstractors() -> None:
    pair = table_to_pairs(ABSTRACTORS)
    assert gwet_ac1(pair).value == pytest.approx(0.8493305, abs=5e-8)  # G2014
    assert gwet_ac2(pair, "quadratic").value == pytest.approx(0.9402369, abs=5e-8)
    assert brennan_prediger(pair).value == pytest.approx(0.835, abs=5e-9)
    assert brennan_prediger(pair, "quadratic").value == pytest.approx(0.9175, abs=5e-9)
    assert percent_agreement(pair).value == pytest.approx(0.89, abs=5e-9)
    assert percent_agreement(pair, "quadratic").value == pytest.approx(0.9725, abs=5e-9)


def test_gwet_handbook_six_raters() -> None:
    raw = distribution_to_raw(SIX_RATERS)
    assert gwet_ac1(raw).value == pytest.approx(0.4448007, abs=5e-8)  # G2014
    assert gwet_ac1(raw).expected == pytest.approx(0.1914815, abs=5e-8)
    assert gwet_ac2(raw, "quadratic").value == pytest.approx(0.4837438, abs=5e-8)
    assert brennan_prediger(raw).value == pytest.approx(0.4388889, abs=5e-8)
    assert percent_agreement(raw).value == pytest.approx(0.5511111, abs=5e-8)


def test_declared_categories_change_chance_agreement() -> None:
    data = [[1, 1, 2, 2], [1, 1, 2, 1]]
    # an unused third category lowers Brennan-Prediger's chance agreement from 1/2 to 1/3
    assert brennan_prediger(data).expected == pytest.approx(1 / 2)
    assert brennan_prediger(data, categories=[1, 2, 3]).expected == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="not among the declared categories"):
        gwet_ac1(data, categories=[1, 3])


# --- undefined cases: reported with the reason, never a stand-in 0 or 1 ----------------------


def test_alpha_one_category_is_undefined() -> None:
    result = krippendorff_alpha([[1, 1, 1], [1, 1, 1]])
    assert result.value is None and not result.defined
    assert "one category" in (result.reason or "")
    data = result.to_dict()
    assert data["value"] is None and data["defined"] is False and data["reason"]
    with pytest.raises(ValueError, match="undefined"):
        float(result)


@pytest.mark.parametrize(
    "data",
    [
        [[1, 2, 3]],  # one coder
        [[1, NAN, 3], [NAN, 2, NAN]],  # no unit coded twice
        [[NAN, NAN], [NAN, NAN]],  # nothing at all
    ],
)
def test_alpha_without_pairable_values_is_undefined(data: list[list[float]]) -> None:
    for level in ("nominal", "ordinal", "interval", "ratio"):
        result = krippendorff_alpha(data, level)  # type: ignore[arg-type]
        assert result.value is None
        assert "pairable" in (result.reason or "")


def test_kappa_undefined_cases() -> None:
    same = cohen_kappa([2, 2, 2], [2, 2, 2])
    assert same.value is None and "chance agreement is 1" in (same.reason or "")
    assert same.observed == 1.0
    apart = cohen_kappa([1, None], [None, 2])
    assert apart.value is None and "no unit was rated by both" in (apart.reason or "")
    for weights in ("linear", "quadratic"):
        assert cohen_kappa([3, 3], [3, 3], weights).value is None  # type: ignore[arg-type]
    assert fleiss_kappa([[3, 0], [3, 0]]).value is None
    assert "two or more ratings" in (fleiss_kappa([[1, 0], [0, 1]]).reason or "")


def test_gwet_undefined_cases() -> None:
    alone = gwet_ac1([[1, 2, 3]])
    assert alone.value is None and "two or more coders" in (alone.reason or "")
    one_category = gwet_ac1([[1, 1], [1, 1]])
    assert one_category.value is None and "one category" in (one_category.reason or "")
    assert brennan_prediger([[1, 1], [1, 1]]).value is None
    assert percent_agreement([[1, NAN], [NAN, 1]]).value is None
    # with the domain declared, perfect agreement on one of two categories is defined
    assert gwet_ac1([[0, 0], [0, 0]], categories=[0, 1]).value == pytest.approx(1.0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="2-D"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha(K2011, "cardinal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown weights"):
        cohen_kappa([1], [1], "cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="different numbers of units"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="infinite"):
        krippendorff_alpha([[1, math.inf], [1, 2]])
    with pytest.raises(ValueError, match="negative"):
        fleiss_kappa([[-1, 2]])
