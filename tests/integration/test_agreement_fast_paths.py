"""The excerpt report's fast paths give what the slow, obvious computation gives.

- Loading (grouped reads, code positions, an id look-up table, left-out excerpts kept as
  arrays) equals a row-by-row reference read with plain ``sqlite3`` from the same file.
- The pattern bootstrap: a code's interval does not depend on which other codes are compared,
  and its intervals match the generic unit bootstrap (recomputing alpha on resampled units)
  within Monte Carlo error.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np

from coder.agreement import krippendorff_alpha
from coder.agreement.bootstrap import bootstrap_units
from coder.agreement.excerpt_units import load_excerpt_units
from coder.agreement.report import excerpt_report
from coder.domain.transcript import Origin
from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed

CODERS = ("ada", "bo", "cy")


def interview(turns: int, tag: str) -> str:
    lines = []
    for number in range(1, turns + 1):
        lines.append(f"Intervjuer: Hvordan var det på skolen, {tag} del {number}?")
        lines.append(f"Deltaker: Det var vanskelig med skolen og familien, {tag} {number}.")
    return "\n\n".join(lines) + "\n"


def build(folder: Path, seed: int) -> tuple[Project, list[str]]:
    """Three transcripts, three coders coding and reviewing at random (some codings unreviewed,
    some excerpts reviewed by one or two coders only)."""
    init_project(folder)
    project = Project.open(folder)
    for name, turns in (("b", 7), ("a", 5), ("c", 9)):
        path = folder / "transcripts" / f"{name}.txt"
        path.write_text(interview(turns, name), encoding="utf-8")
        import_transcript(project, path, case_id=f"case_{name}")
    codes = [code.id for code in project.codebook.codes if code.codable][:6]
    rng = random.Random(seed)
    from coder.store.queries import load_excerpts

    excerpt_ids = [e.id for t in ("a", "b", "c") for e in load_excerpts(project, t) if e.codable]
    for coder in CODERS:
        for excerpt in excerpt_ids:
            if rng.random() < 0.8:
                mark_reviewed(project, coder, excerpt)
            for code in codes:
                if rng.random() < 0.25:
                    origin = Origin.SUGGESTION if rng.random() < 0.2 else Origin.MANUAL
                    apply_code(project, coder, excerpt, code, origin=origin)
    return project, codes


def reference(db: Path, coders: tuple[str, ...], codes: list[str]) -> dict[str, object]:
    """Units, presence and left-out excerpts computed row by row."""
    with sqlite3.connect(db) as conn:
        ids = {name: cid for cid, name in conn.execute("SELECT id, name FROM coders")}
        rows = conn.execute(
            "SELECT id, transcript_id, seq FROM excerpts WHERE codable ORDER BY transcript_id, seq"
        ).fetchall()
        reviewed = {
            name: {
                e
                for (e,) in conn.execute(
                    "SELECT excerpt_id FROM reviews WHERE coder_id = ?", (ids[name],)
                )
            }
            for name in coders
        }
        coded = {
            name: set(
                conn.execute(
                    "SELECT excerpt_id, code_id FROM codings WHERE coder_id = ?", (ids[name],)
                ).fetchall()
            )
            for name in coders
        }
    for name in coders:
        reviewed[name] |= {excerpt for excerpt, _ in coded[name]}
    units = [row for row in rows if all(row[0] in reviewed[name] for name in coders)]
    left_out = [
        (row[0], row[1], row[2], tuple(n for n in coders if row[0] not in reviewed[n]))
        for row in rows
        if any(row[0] in reviewed[n] for n in coders)
        and not all(row[0] in reviewed[n] for n in coders)
    ]
    presence = np.array(
        [[[(u[0], code) in coded[name] for code in codes] for u in units] for name in coders]
    )
    return {
        "units": [u[0] for u in units],
        "seqs": [u[2] for u in units],
        "left_out": left_out,
        "presence": presence,
    }


def test_loading_equals_a_row_by_row_reference(tmp_path: Path) -> None:
    project, codes = build(tmp_path / "p", seed=3)
    with project:
        compared = codes[1:5]  # codings of the other codes must not count
        units = load_excerpt_units(project, list(CODERS), compared)
        expected = reference(project.db_path, CODERS, compared)
        assert units.excerpt_ids.tolist() == expected["units"]
        assert units.seqs.tolist() == expected["seqs"]
        assert (units.presence == expected["presence"]).all()
        got = [(e.excerpt_id, e.transcript_id, e.seq, e.missing) for e in units.excluded]
        assert got == expected["left_out"]
        assert len(units.excluded) == len(expected["left_out"]) > 0
        assert units.excluded[-1] == list(units.excluded)[-1]
        summary: dict[str, int] = {}
        for item in units.excluded:
            summary[item.reason] = summary.get(item.reason, 0) + 1
        assert units.excluded.summary() == summary


def test_a_codes_interval_does_not_depend_on_the_other_codes(tmp_path: Path) -> None:
    project, codes = build(tmp_path / "p", seed=5)
    with project:
        full = excerpt_report(project, bootstrap=200, seed=9)
        alone = excerpt_report(project, bootstrap=200, seed=9, codes=[codes[2]])
        row = next(r for r in full.codes if r.id == codes[2])
        assert row.alpha.ci is not None and row.alpha.ci.defined
        assert alone.codes[0].alpha.ci == row.alpha.ci
        assert alone.codes[0].ac1.ci == row.ac1.ci
        other_seed = excerpt_report(project, bootstrap=200, seed=10, codes=[codes[2]])
        assert other_seed.codes[0].alpha.ci != row.alpha.ci


def test_pattern_bootstrap_matches_the_unit_bootstrap(tmp_path: Path) -> None:
    project, codes = build(tmp_path / "p", seed=7)
    with project:
        report = excerpt_report(project, bootstrap=4000, seed=1, codes=[codes[0]])
        units = load_excerpt_units(project, list(CODERS), [codes[0]])
    matrix = units.presence[:, :, 0].astype(np.float64)
    generic = bootstrap_units(
        matrix, lambda drawn: krippendorff_alpha(drawn), replicates=4000, seed=2
    )
    ci = report.codes[0].alpha.ci
    assert ci is not None and generic.low is not None and generic.high is not None
    assert abs(ci.low - generic.low) < 0.05  # type: ignore[operator]
    assert abs(ci.high - generic.high) < 0.05  # type: ignore[operator]
    assert report.codes[0].alpha.value == krippendorff_alpha(matrix).value
