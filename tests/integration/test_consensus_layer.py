"""The consensus layer is a complete dataset: agreed codes, decided disagreements, and
undecided disagreements as missing (never 0), in ``export wide --consensus`` and reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from coder.agreement.adjudication import record_consensus
from coder.export.coder_selection import CoderSelection
from coder.export.unit_matrix import unit_matrix
from coder.project.project import Project
from coder.store.operations import set_rating
from support.lead_projects import CODE, OTHER, adjudication_project

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Project, list[int]]]:
    """Six codable excerpts; ada and bo disagree on CODE at units 1, 2, 4."""
    project, units = adjudication_project(tmp_path / "p")
    yield project, units
    project.close()


def export_wide(coder_cli: Cli, project: Project, out: Path) -> pd.DataFrame:
    code, _out, err = coder_cli(
        "--project", project.root, "export", "wide", "-o", out, "--consensus"
    )
    assert code == 0, err
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def test_wide_consensus_holds_agreed_decided_and_marks_undecided(
    setup: tuple[Project, list[int]],
    coder_cli: Cli,
    tmp_path: Path,
) -> None:
    project, units = setup
    # ada CODE on 0,1,2; bo CODE on 0,4: agreed present at 0, disagreements at 1, 2, 4
    record_consensus(project, units[1], CODE, True, coders=("ada", "bo"))
    record_consensus(project, units[2], CODE, False, coders=("ada", "bo"))
    frame = export_wide(coder_cli, project, tmp_path / "wide.csv")
    assert list(frame["coder"].unique()) == ["consensus"]
    assert len(frame) == 6  # every excerpt both coders reviewed, not only the decided ones
    column = next(c for c in frame.columns if c == CODE.replace(".", "_") or c.endswith("ses"))
    by_seq = dict(zip(frame["excerpt"].astype(int), frame[column], strict=True))
    seqs = sorted(by_seq)
    got = [by_seq[seq] for seq in seqs]
    # unit 0 agreed 1; unit 1 decided 1; unit 2 decided 0; 3 and 5 agreed 0; 4 undecided: empty
    assert got == ["1", "1", "0", "0", "", "0"]
    other = next(c for c in frame.columns if c.endswith("family"))
    # OTHER: ada on 1, bo on 2 and 5, nothing decided: those three are missing, the rest 0
    assert [frame.set_index("excerpt")[other][str(s)] for s in seqs] == ["0", "", "", "0", "0", ""]


def test_agreed_rating_and_explicit_consensus_rating(
    setup: tuple[Project, list[int]],
) -> None:
    project, units = setup
    record_consensus(project, units[1], CODE, True, coders=("ada", "bo"))
    set_rating(project, "ada", "c1", "relational_robustness", "wavering")
    set_rating(project, "bo", "c1", "relational_robustness", "wavering")
    matrix = unit_matrix(project, CoderSelection(consensus=True))
    assert set(matrix.attributes["relational_robustness"]) == {"wavering"}
    assert set(matrix.sources["relational_robustness"]) == {"consensus"}
    # the panel disagrees: nothing until the lead decides
    set_rating(project, "bo", "c1", "relational_robustness", "steady")
    matrix = unit_matrix(project, CoderSelection(consensus=True))
    assert matrix.attributes["relational_robustness"].isna().all()
    set_rating(project, "consensus", "c1", "relational_robustness", "steady")
    matrix = unit_matrix(project, CoderSelection(consensus=True))
    assert set(matrix.attributes["relational_robustness"]) == {"steady"}


@pytest.mark.parametrize("decide", [False, True])
def test_missing_mask_only_for_undecided(
    setup: tuple[Project, list[int]],
    decide: bool,
) -> None:
    project, units = setup
    record_consensus(project, units[1], CODE, True, coders=("ada", "bo"))
    if decide:
        for position in (2, 4):
            record_consensus(project, units[position], CODE, position == 4, coders=("ada", "bo"))
    matrix = unit_matrix(project, CoderSelection(consensus=True))
    column = matrix.codes.index(CODE)
    missing = {
        int(e)
        for e, m in zip(matrix.units["excerpt_id"], matrix.missing[:, column], strict=True)
        if m
    }
    assert missing == (set() if decide else {units[2], units[4]})
    # a coder's own export never has missing codes
    plain = unit_matrix(project, CoderSelection(names=("ada",)))
    assert not plain.missing.any()


def test_cases_export_of_the_consensus_counts_agreed_and_decided(
    setup: tuple[Project, list[int]],
) -> None:
    from coder.export.cases import cases_table

    project, units = setup
    for position in (1, 2, 4):
        record_consensus(project, units[position], CODE, position != 2, coders=("ada", "bo"))
    table = cases_table(project, CoderSelection(consensus=True))
    name = {column.spec.key: column.name for column in table.columns}
    row = table.frame.set_index("case").loc["c1"]
    assert row[name[f"count:{CODE}"]] == 3  # agreed at 0, decided apply at 1 and 4
    assert row[name[f"code:{CODE}"]] == 1
    assert pd.isna(row[name[f"count:{OTHER}"]])  # OTHER's disagreements are undecided
    assert pd.isna(row[name[f"code:{OTHER}"]])
