"""Issue 16.4: agreement on the merged project equals agreement from the coders' own exports.

Two coders code the same excerpts in their own copies; their returns are merged into the lead's
project and ``agreement_report`` runs there. Independently, each copy exports its wide CSV
(``coder export wide``: one row per excerpt the coder reviewed, a 0/1 column per code), and the
coefficients are computed from the two files with scikit-learn's Cohen's kappa and the
``krippendorff`` package. The numbers must be the same.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coder.agreement.report import agreement_report
from coder.store.operations import apply_code, mark_reviewed
from coder.team.merge import merge_returns
from coder.team.team_return import write_return
from support.team_projects import codable, copy_for, lead_project

Cli = Callable[..., tuple[int, str, str]]
CODES = {"risk.ses": "risk_ses", "risk.family": "risk_family"}
PLAN = {  # excerpt position (t1 then t2) -> codes
    "ada": {
        0: ["risk.ses"],
        1: ["risk.ses", "risk.family"],
        3: ["risk.family"],
        4: ["risk.ses"],
        6: ["risk.ses"],
        8: ["risk.family"],
    },
    "cato": {
        0: ["risk.ses"],
        1: ["risk.family"],
        2: ["risk.ses"],
        4: ["risk.ses"],
        7: ["risk.family"],
        8: ["risk.family"],
        9: ["risk.ses"],
    },
}
SKIPPED = {"ada": {9}, "cato": {5}}  # excerpts each coder never reached


def _rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["transcript"], row["excerpt"]): row for row in csv.DictReader(handle)}


def test_agreement_after_a_merge_equals_agreement_from_the_two_exports(
    tmp_path: Path, coder_cli: Cli
) -> None:
    lead = lead_project(tmp_path / "lead")
    returns, exports = [], {}
    for coder, plan in PLAN.items():
        copy = copy_for(lead, coder, tmp_path / "copies")
        units = codable(copy, "t1") + codable(copy, "t2")
        for position, excerpt_id in enumerate(units):
            if position in SKIPPED[coder]:
                continue
            for code in plan.get(position, []):
                apply_code(copy, coder, excerpt_id, code)
            mark_reviewed(copy, coder, excerpt_id)
        returns.append(tmp_path / f"{coder}.coderpack")
        write_return(copy, returns[-1])
        exports[coder] = tmp_path / f"{coder}-wide.csv"
        code, _, err = coder_cli("export", "wide", "-o", exports[coder], "-p", copy.root)
        assert code == 0, err
        copy.close()
    merge_returns(lead, returns)
    report = agreement_report(lead, coders=list(PLAN), codes=list(CODES), bootstrap=0).to_dict()
    ada, cato = _rows(exports["ada"]), _rows(exports["cato"])
    shared = sorted(ada.keys() & cato.keys())
    assert report["units"] == len(shared) == 8
    by_code = {entry["id"]: entry for entry in report["codes"]}
    for code, column in CODES.items():
        a = np.array([int(ada[key][column]) for key in shared])
        b = np.array([int(cato[key][column]) for key in shared])
        entry = by_code[code]
        assert entry["percent_agreement"]["value"] == pytest.approx(float(np.mean(a == b)))
        assert entry["kappa"]["value"] == pytest.approx(cohen_kappa_score(a, b))
        expected = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
        assert entry["alpha"]["value"] == pytest.approx(expected)
