"""REFI-QDA export and import end to end on the demo project with two coders.

The exports are read back by independent readers (zipfile, lxml with the published XSDs), and
the round trip export -> import must give the same codes, codings with offsets, coders, cases,
attribute values, ratings and memos.
"""

from __future__ import annotations

import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from coder.project.project import Project
from coder.refi.write.export import schema_file
from support.processes import run_coder

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

NS = {"q": "urn:QDA-XML:project:1.0"}


def coder(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_coder(*args, cwd=cwd)


def _excerpts(project: Project, transcript: str) -> list[Any]:
    from coder.store.queries import load_excerpts

    return [e for e in load_excerpts(project, transcript) if e.codable]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo project coded by anna and bjørn: whole excerpts, a span, memos, ratings."""
    from coder.demo import prepare_demo
    from coder.store.operations import add_memo, set_rating

    base = tmp_path_factory.mktemp("refi")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODER_DEMO_DIR", str(base / "demo"))
        root = prepare_demo()
    with Project.open(root) as project:
        ung01, eng01 = _excerpts(project, "ung01"), _excerpts(project, "eng01")
        span = (ung01[2].start + 3, ung01[2].start + 20)
        rows = [
            "transcript,excerpt,start,end,code,coder,memo",
            f"ung01,{ung01[0].seq},,,risk.ses,anna,Money was tight at home",
            f"ung01,{ung01[0].seq},,,risk.ses,bjørn,",
            f"ung01,{ung01[1].seq},,,risk.family,bjørn,",
            f"ung01,,{span[0]},{span[1]},risk.minority,anna,",
            f"ung01,,{span[0]},{span[1]},risk.family,bjørn,",
            f"eng01,{eng01[3].seq},,,risk.child_welfare,anna,",
        ]
        (base / "codings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        add_memo(project, "bjørn", "Nothing coded here,\nbut worth a note", excerpt_id=ung01[5].id)
        add_memo(project, "anna", "Check against the review's definition", code_id="risk.ses")
        add_memo(project, "bjørn", 'Case memo: <tricky> & "quoted"', case_id="ung02")
        add_memo(project, "anna", "A memo on the whole project")
        set_rating(project, "anna", "ung01", "relational_robustness", "wavering")
        set_rating(project, "bjørn", "ung01", "relational_robustness", "steady")
        set_rating(project, "anna", "ung02", "age", "23.5")
    done = coder("--project", str(root), "codings", "import", str(base / "codings.csv"), cwd=base)
    assert done.returncode == 0, done.stderr
    yield root


def snapshot(root: Path) -> dict[str, Any]:
    """Everything the round trip must keep, in comparable form."""
    from coder.store.queries import case_attribute_values, find_codings, find_memos, ratings
    from coder.store.schema import excerpts

    with Project.open(root) as project:
        book = project.codebook
        with project.store.engine.connect() as conn:
            where = {
                int(r.id): (r.transcript_id, r.seq)
                for r in conn.execute(
                    select(excerpts.c.id, excerpts.c.transcript_id, excerpts.c.seq)
                )
            }
        return {
            "codebook": (book.name, book.version, book.languages),
            "codes": [
                (
                    c.id,
                    c.parent,
                    dict(c.label),
                    c.codable,
                    c.description,
                    c.use_when,
                    c.dont_use_when,
                    c.examples,
                    dict(c.indicators),
                    c.patterns,
                    c.color,
                    c.hotkey,
                )
                for c in book.codes
            ],  # fmt: skip
            "attributes": book.attributes,
            "codings": sorted(
                (c.transcript_id, c.seq, c.span, c.code_id, c.coder) for c in find_codings(project)
            ),
            "values": {
                case: {k: v for k, v in attrs.items() if v is not None}
                for case, attrs in case_attribute_values(project).items()
            },
            "ratings": ratings(project),
            "memos": sorted(
                (m["coder"], m["text"], where.get(m["excerpt_id"]), m["code_id"], m["case_id"])
                for m in find_memos(project)
            ),
        }


@pytest.fixture(scope="module")
def exported(demo: Path) -> Path:
    out = demo.parent / "demo.qdpx"
    done = coder("--project", str(demo), "export", "refi", "-o", str(out), cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    assert "6 codings by 2 users" in done.stdout
    return out


def test_export_is_a_valid_refi_project(demo: Path, exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        root = etree.fromstring(qde)
        schema = etree.XMLSchema(etree.parse(str(schema_file("Project.xsd"))))
        assert schema.validate(root), schema.error_log
        assert root.tag == "{urn:QDA-XML:project:1.0}Project"
        with Project.open(demo) as project:
            namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:coder:project:{project.settings.name}")
            from coder.store.queries import list_transcripts, transcript_text

            transcripts = {t.id: transcript_text(project, t.id) for t in list_transcripts(project)}
            label = {c.id: c.label["nb"] for c in project.codebook.codes}
        users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
        assert set(users) == {"anna", "bjørn"}
        codes = {c.get("guid"): c for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
        assert len(codes) == len(label)
        guid = str(uuid.uuid5(namespace, "code:risk.ses"))
        assert codes[guid].get("name") == label["risk.ses"]
        assert codes[guid].get("isCodable") == "true" and codes[guid].get("color") == "#e6550d"
        assert "Use when: " in codes[guid].findtext("q:Description", namespaces=NS)
        sources = root.findall("q:Sources/q:TextSource", NS)
        assert {s.get("name") for s in sources} == set(transcripts)
        assert len(names) == 1 + len(transcripts)
        spans = 0
        for source in sources:
            path = source.get("plainTextPath")
            assert path == f"internal://{source.get('guid')}.txt"
            text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
            assert text == transcripts[source.get("name")]
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert text[start:end].startswith(selection.get("name"))
                spans += end - start < 30
                for coding in selection.iterfind("q:Coding", NS):
                    assert coding.get("creatingUser") in users.values()
                    assert coding.find("q:CodeRef", NS).get("targetGUID") in codes
        assert spans == 2  # the one span (17 code points), coded by anna and by bjørn
    cases = root.findall("q:Cases/q:Case", NS)
    assert {c.get("name") for c in cases} >= {"ung01", "ung02", "eng01"}
    variables = {v.get("name"): v for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert variables["Alder"].get("typeOfVariable") == "Integer"  # ages in cases.csv
    assert variables["Alder (anna)"].get("typeOfVariable") == "Float"  # anna rated 23.5
    assert "Relasjonell robusthet (bjørn)" in variables
    notes = [
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)
    ]
    assert 'Case memo: <tricky> & "quoted"' in notes and len(notes) == 5
    assert len(root.findall("q:Links/q:Link", NS)) == 1  # the case memo
    assert len(root.findall("q:NoteRef", NS)) == 1  # the project memo


def test_export_is_reproducible(demo: Path, exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.qdpx"
    done = coder("--project", str(demo), "export", "refi", "-o", str(again), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == exported.read_bytes()


def test_round_trip_keeps_codes_codings_coders_cases_values_and_memos(
    demo: Path, exported: Path, tmp_path: Path
) -> None:
    target = tmp_path / "back"
    done = coder("import-refi", str(exported), "--into", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "6 codings" in done.stdout and "coders: anna, bjørn" in done.stdout
    before, after = snapshot(demo), snapshot(target)
    for key in before:
        assert after[key] == before[key], key
    assert any(span is not None for _, _, span, _, _ in after["codings"])
    assert len(after["memos"]) == 5 and len(after["ratings"]) == 3
    # a second export of the imported project gives the same GUIDs for everything kept
    again = tmp_path / "again.qdpx"
    done = coder("--project", str(target), "export", "refi", "-o", str(again), cwd=tmp_path)
    assert done.returncode == 0, done.stderr

    def guids(path: Path, tag: str) -> set[str]:
        root = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
        return {e.get("guid") for e in root.iter(f"{{urn:QDA-XML:project:1.0}}{tag}")}

    for tag in ("User", "Code", "TextSource", "PlainTextSelection", "Coding", "Case", "Variable"):
        assert guids(again, tag) == guids(exported, tag), tag


def test_codebook_export_is_valid_and_imports_as_the_same_codebook(
    demo: Path, tmp_path: Path
) -> None:
    qdc = tmp_path / "book.qdc"
    done = coder("--project", str(demo), "export", "qdc", "-o", str(qdc), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = etree.parse(str(qdc)).getroot()
    schema = etree.XMLSchema(etree.parse(str(schema_file("Codebook.xsd"))))
    assert schema.validate(root), schema.error_log
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    done = coder("import-refi", str(qdc), "--into", str(tmp_path / "book"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    before, after = snapshot(demo), snapshot(tmp_path / "book")
    assert after["codebook"] == before["codebook"]
    assert after["codes"] == before["codes"]
    assert after["attributes"] == before["attributes"]
    assert after["codings"] == []


def test_import_never_overwrites(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    done = coder("import-refi", str(exported), "--into", str(target), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "exists already" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no partial folder left
