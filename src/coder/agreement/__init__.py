"""Inter-coder agreement: coefficients (pure numpy), unit alignment, reports, adjudication.

The coefficients take reliability data as coders x units (rows are coders; None/NaN missing),
the orientation of Krippendorff (2011) and the ``krippendorff`` package, and return a
``Coefficient`` that is either defined or says why not. The project report lives in
``coder.agreement.report``, adjudication in ``coder.agreement.adjudication``.
"""

from __future__ import annotations

from coder.agreement.alpha import LEVELS, krippendorff_alpha
from coder.agreement.bootstrap import bootstrap_alpha, bootstrap_kappa, bootstrap_units
from coder.agreement.gwet import brennan_prediger, gwet_ac1, gwet_ac2, percent_agreement
from coder.agreement.kappa import cohen_kappa, confusion_matrix, fleiss_kappa, kappa_from_table
from coder.agreement.reliability import ReliabilityData, reliability_data
from coder.agreement.result import Coefficient, Interval, threshold_flag

__all__ = [
    "LEVELS",
    "Coefficient",
    "Interval",
    "ReliabilityData",
    "bootstrap_alpha",
    "bootstrap_kappa",
    "bootstrap_units",
    "brennan_prediger",
    "cohen_kappa",
    "confusion_matrix",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac2",
    "kappa_from_table",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_data",
    "threshold_flag",
]
