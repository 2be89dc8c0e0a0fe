"""``coder retrieve EXPR``: CSV, Markdown and .docx files read back, whose codings, bad input."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.agreement.adjudication import record_consensus
from coder.project.project import Project
from coder.store.operations import apply_code, set_rating
from coder.store.queries import load_excerpts
from support.lead_projects import CODE, OTHER, adjudication_project

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def lead_project(tmp_path: Path) -> tuple[Path, list[int]]:
    """ada: CODE on units 0 1 2, OTHER on 1; bo: CODE on 0 4, OTHER on 2 5 (t1, case c1).
    ada rates c1 trembling; ada codes a span of unit 0 with CODE as well."""
    project, units = adjudication_project(tmp_path / "p")
    with project:
        set_rating(project, "ada", "c1", "relational_robustness", "trembling")
        first = next(e for e in load_excerpts(project, "t1") if e.id == units[0])
        apply_code(project, "ada", units[0], CODE, span=(first.start + 4, first.start + 17))
    return tmp_path / "p", units


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_every_matching_segment_with_context(
    coder_cli: Cli, lead_project: tuple[Path, list[int]], tmp_path: Path
) -> None:
    folder, units = lead_project
    target = tmp_path / "out.csv"
    code, out, err = coder_cli("-p", folder, "retrieve", CODE, "and", "not", OTHER, "-o", target)
    assert code == 0, err
    assert f"Wrote {target}: 4 segments (coders ada, bo)" in out
    found = rows(target)
    # ada: units 0 and 2 (1 has OTHER too); bo: 0 and 4 (seq = 2 * position + 2)
    assert [(r["excerpt"], r["coder"]) for r in found] == [
        ("2", "ada"),
        ("2", "bo"),
        ("6", "ada"),
        ("10", "bo"),
    ]
    ada = found[0]
    assert ada["case"] == "c1" and ada["speaker"] == "Deltaker"
    assert ada["relational_robustness"] == "trembling"
    assert ada["relational_robustness_label"] == "Skjelvende"
    assert ada["relational_robustness_source"] == "coder"
    assert found[1]["relational_robustness"] == ""  # bo never rated c1 and sees no one else's
    assert ada["text"] == "Det var vanskelig med skolen og familien, del 1."
    assert ada["coded_spans"] == f"{CODE}: var vanskelig"
    assert ada["context_before"] == "Intervjuer: Hvordan var det på skolen, del 1?"
    assert ada["context_after"] == "Intervjuer: Hvordan var det på skolen, del 2?"
    assert found[2]["codes"] == CODE and ada["code_labels"] == "Lav sosioøkonomisk status"


def test_one_coder_or_the_consensus_layer(
    coder_cli: Cli, lead_project: tuple[Path, list[int]], tmp_path: Path
) -> None:
    folder, units = lead_project
    code, out, err = coder_cli("-p", folder, "retrieve", CODE, "--coder", "bo", "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3 and all(",bo," in line for line in lines[1:])
    with Project.open(folder) as project:
        record_consensus(project, units[1], CODE, True, coders=("ada", "bo"))
    target = tmp_path / "layer.csv"
    code, out, err = coder_cli("-p", folder, "retrieve", CODE, "--consensus", "-o", target)
    assert code == 0, err
    # agreed on 0, decided yes on 1; 2 and 4 are undecided disagreements: not retrieved
    assert [(r["excerpt"], r["coder"]) for r in rows(target)] == [
        ("2", "consensus"),
        ("4", "consensus"),
    ]


def test_markdown_for_writing_up(
    coder_cli: Cli, lead_project: tuple[Path, list[int]], tmp_path: Path
) -> None:
    folder, _ = lead_project
    target = tmp_path / "ses.md"
    code, out, err = coder_cli(
        "-p",
        folder,
        "retrieve",
        "Lav sosioøkonomisk status",
        "--coder",
        "ada",
        "-o",
        target,
        "--context",
        "2",
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Retrieval: Lav sosioøkonomisk status\n")
    assert "Whose codings: coder ada; 6 units searched" in text
    assert "## t1" in text
    heading = (
        "### Excerpt 2 · Deltaker · coder ada · case c1 · Relasjonell robusthet: Skjelvende (coder)"
    )
    assert heading in text
    assert "> Det **var vanskelig** med skolen og familien, del 1." in text
    assert "*Intervjuer: Hvordan var det på skolen, del 1?*" in text
    after_first = text.split(heading, 1)[1].split("###", 1)[0]
    assert "*Deltaker: Det var vanskelig med skolen og familien, del 2.*" in after_first  # 2 after


def test_docx_reads_back(
    coder_cli: Cli, lead_project: tuple[Path, list[int]], tmp_path: Path
) -> None:
    import docx

    folder, _ = lead_project
    target = tmp_path / "ses.docx"
    code, out, err = coder_cli("-p", folder, "retrieve", f"{CODE} or {OTHER}", "-o", target)
    assert code == 0, err
    document = docx.Document(str(target))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == f"Retrieval: {CODE} or {OTHER}"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert len(headings) == 7  # ada 0 1 2, bo 0 2 4 5
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes[0].text == "Det var vanskelig med skolen og familien, del 1."
    assert [run.text for run in quotes[0].runs if run.bold] == ["var vanskelig"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk.sess"], "unknown code 'risk.sess'"),
        (["(risk.ses"], "'(' at character 1 is not closed"),
        ([CODE, "--where", "relational_robustness=shaky"], "has no level 'shaky'"),
        ([CODE, "--where", "robustness"], "write ATTRIBUTE=LEVEL"),
        ([CODE, "--where", "mood=low"], "unknown case attribute 'mood'"),
        ([CODE, "--coder", "nobody"], "unknown coder 'nobody'"),
        ([CODE, "--case", "c9"], "case 'c9' has no coded or reviewed excerpts"),
        ([CODE, "--context", "-1"], "--context -1"),
        ([CODE, "--format", "docx"], "--format docx needs -o FILE.docx"),
        ([CODE, "-o", "{tmp}/out.txt"], "cannot tell the format"),
        ([CODE, "--format", "md", "-o", "{tmp}/out.csv"], "--format md is written to a .md file"),
        ([CODE, "-o", "{tmp}/out.md", "--sep", ";"], "--sep and --bom are for CSV"),
        ([CODE, "-o", "{tmp}/missing/out.csv"], "missing"),
    ],
)
def test_bad_input_says_what_and_writes_nothing(
    coder_cli: Cli,
    lead_project: tuple[Path, list[int]],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    folder, _ = lead_project
    code, out, err = coder_cli(
        "-p", folder, "retrieve", *(arg.format(tmp=tmp_path) for arg in args)
    )
    assert code == 1
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("out.*")) and not (tmp_path / "missing").exists()


def test_where_keeps_one_level_by_label(
    coder_cli: Cli, lead_project: tuple[Path, list[int]]
) -> None:
    folder, _ = lead_project
    code, out, err = coder_cli(
        "-p",
        folder,
        "retrieve",
        CODE,
        "--where",
        "relational_robustness=Skjelvende",
        "--format",
        "csv",
    )
    assert code == 0, err
    found = list(csv.DictReader(out.splitlines()))
    assert {r["coder"] for r in found} == {"ada"} and len(found) == 3  # bo's units: not rated


def test_a_blind_coder_sees_no_consensus_rating(lead_project: tuple[Path, list[int]]) -> None:
    from coder.agreement.rating_consensus import record_rating_consensus
    from coder.export.coder_selection import CoderSelection
    from coder.export.retrieval import retrieve

    folder, _ = lead_project
    with Project.open(folder) as project:
        record_rating_consensus(
            project, "c1", "relational_robustness", "steady", coders=("ada", "bo")
        )
        bo = CoderSelection(names=("bo",))
        blind = retrieve(project, CODE, bo, blind=True).segments
        lead = retrieve(project, CODE, bo).segments
    assert [(s.rating, s.rating_source) for s in blind] == [(None, None), (None, None)]
    assert [(s.rating, s.rating_source) for s in lead] == [("steady", "consensus")] * 2
