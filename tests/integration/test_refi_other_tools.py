"""REFI-QDA as other tools read and write it: QualCoder, NVivo (issue 13, points 1-5).

Exports are read back with lxml and checked against the published schemas; imports are fed
files built here in the shapes other tools write.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from coder.project.project import Project
from coder.refi.write.export import schema_file
from coder.store.operations import add_memo, apply_code
from coder.store.queries import find_codings, find_memos, load_excerpts

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Cli = Callable[..., tuple[int, str, str]]
NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = (
    "Intervjuer: Hvordan var det på skolen? 🙂\n\n"
    "Deltaker: Det var tøft 😢 i åttende, jeg følte meg alene.\n\n"
    "Intervjuer: Og etterpå?\n\n"
    "Deltaker: Så fikk jeg hjelp av NAV 👍 og en lærer som brydde seg."
)
"""A transcript with emoji (outside the BMP) before and inside the coded turns."""


@pytest.fixture
def coded(new_project: Path) -> Path:
    """Two coders on one excerpt (one code each, one code both), a span, memos; the shipped
    codebook (two labels used twice)."""
    path = new_project / "transcripts" / "ung01.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(TEXT, encoding="utf-8")
    from coder.store.importer import import_transcript

    with Project.open(new_project) as project:
        import_transcript(project, path)
        first, second = [e for e in load_excerpts(project, "ung01") if e.codable]
        apply_code(project, "anna", first.id, "disconnect.relational")
        apply_code(project, "bjørn", first.id, "disconnect.relational")
        apply_code(project, "bjørn", first.id, "risk.school")
        apply_code(project, "anna", second.id, "reconnect.relational")
        start = project_text(project).index("NAV 👍")
        apply_code(project, "anna", second.id, "reconnect.system", span=(start, start + 5))
        add_memo(project, "anna", "Ensomhet, ikke bare skole", excerpt_id=first.id)
        add_memo(project, "bjørn", "Usikker på koden", excerpt_id=first.id)
    return new_project


def project_text(project: Project) -> str:
    from coder.store.queries import transcript_text

    return transcript_text(project, "ung01")


def export(cli: Cli, root: Path, out: Path, *args: str) -> etree._Element:
    code, _, err = cli("--project", root, "export", "refi", "-o", out, *args)
    assert code == 0, err
    qde = zipfile.ZipFile(out).read("project.qde")
    tree = etree.fromstring(qde)
    schema = etree.XMLSchema(etree.parse(str(schema_file("Project.xsd"))))
    assert schema.validate(tree), schema.error_log
    return tree


def users(tree: etree._Element) -> dict[str, str]:
    return {u.get("guid"): u.get("name") for u in tree.iterfind("q:Users/q:User", NS)}


def codings_of(root: Path) -> list[tuple[str, str, int, Any]]:
    with Project.open(root) as project:
        return sorted((c.coder, c.code_id, c.seq, c.span) for c in find_codings(project))


# --- 1: one selection per (span, coder) --------------------------------------------------------


def test_each_selection_holds_one_coders_codings(
    coded: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    tree = export(coder_cli, coded, tmp_path / "p.qdpx")
    names = users(tree)
    seen: set[tuple[str, str, str]] = set()
    for selection in tree.iterfind(".//q:PlainTextSelection", NS):
        owner = selection.get("creatingUser")
        codings = selection.findall("q:Coding", NS)
        assert {c.get("creatingUser") for c in codings} <= {owner}
        key = (selection.get("startPosition"), selection.get("endPosition"), names[owner])
        assert key not in seen
        seen.add(key)
    # anna's and bjørn's codings of the first excerpt are two selections, not one.
    spans = {(start, end) for start, end, _ in seen}
    assert len(seen) == 4 and len(spans) == 3
    back = tmp_path / "back"
    code, _, err = coder_cli("import-refi", tmp_path / "p.qdpx", "--into", back)
    assert code == 0, err
    assert codings_of(back) == codings_of(coded)


def selection_xml(guid: str, start: int, end: int, user: str, codings: list[tuple[str, str]],
                  description: str = "") -> str:  # fmt: skip
    inner = "".join(
        f'<Coding guid="{guid[:-2]}{n:02d}"'
        + (f' creatingUser="{who}"' if who else "")
        + f'><CodeRef targetGUID="{code}"/></Coding>'
        for n, (code, who) in enumerate(codings)
    )
    about = f"<Description>{description}</Description>" if description else ""
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{user}">{about}{inner}</PlainTextSelection>'
    )


U1, U2 = "00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000a2"
C1, C2 = "00000000-0000-4000-8000-0000000000c1", "00000000-0000-4000-8000-0000000000c2"
C0 = "00000000-0000-4000-8000-0000000000c0"
SOURCE = "00000000-0000-4000-8000-0000000000f1"
PLAIN = "Intervjuer: Hei.\n\nDeltaker: Jeg følte meg alene på skolen.\n\nIntervjuer: Takk."


def foreign_qdpx(path: Path, selections: str, *, extra: str = "", more_sources: str = "",
                 codes: str = "") -> Path:  # fmt: skip
    codes = codes or (
        f'<Code guid="{C1}" name="Alene" isCodable="true"/>'
        f'<Code guid="{C2}" name="Skole" isCodable="true"/>'
    )
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fremmed" origin="QualCoder 3.5">
  <Users><User guid="{U1}" name="Kari"/><User guid="{U2}" name="Per"/></Users>
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="intervju" plainTextPath="internal://{SOURCE}.txt">
      {selections}</TextSource>{more_sources}
  </Sources>{extra}
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr(f"sources/{SOURCE}.txt", PLAIN)
    return path


def test_both_selection_shapes_import(coder_cli: Cli, tmp_path: Path) -> None:
    start = PLAIN.index("Jeg følte")
    end = PLAIN.index(" på skolen")
    old = selection_xml(C0[:-2] + "51", start, end, U1, [(C1, U1), (C2, U2)])
    nvivo = selection_xml(C0[:-2] + "61", start, end, U1, [(C1, "")]) + selection_xml(
        C0[:-2] + "62", start, end, U2, [(C2, "")]
    )
    results = []
    for name, selections in (("old", old), ("nvivo", nvivo)):
        path = foreign_qdpx(tmp_path / f"{name}.qdpx", selections)
        code, _, err = coder_cli("import-refi", path, "--into", tmp_path / name)
        assert code == 0, err
        results.append([(who, code_id) for who, code_id, _, _ in codings_of(tmp_path / name)])
    assert results[0] == results[1] == [("Kari", "alene"), ("Per", "skole")]


# --- 2: unique code names ----------------------------------------------------------------------


def test_exported_code_names_are_unique_and_readable(
    coded: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    tree = export(coder_cli, coded, tmp_path / "p.qdpx")
    names = [c.get("name") for c in tree.iterfind(".//q:Code", NS)]
    assert len(names) == len(set(names))
    assert "Relasjonelle forhold (Frakoblingsprosessen)" in names
    assert "Relasjonelle forhold (Påkoblingsprosessen)" in names
    assert "Møtet med systemet (Påkoblingsprosessen)" in names
    back = tmp_path / "back"
    assert coder_cli("import-refi", tmp_path / "p.qdpx", "--into", back)[0] == 0
    with Project.open(back) as project:
        assert project.codebook.code("reconnect.relational").label["nb"] == "Relasjonelle forhold"


def test_names_made_unique_read_back_without_coders_data(coder_cli: Cli, tmp_path: Path) -> None:
    """A file QualCoder wrote after importing coder's export: the parent's name is dropped."""
    codes = (
        f'<Code guid="{C0}" name="Frakoblingsprosessen" isCodable="false">'
        f'<Code guid="{C1}" name="Relasjonelle forhold (Frakoblingsprosessen)" isCodable="true"/>'
        "</Code>"
        f'<Code guid="{C2}" name="Skole (ikke forelder)" isCodable="true"/>'
    )
    path = foreign_qdpx(tmp_path / "q.qdpx", "", codes=codes)
    assert coder_cli("import-refi", path, "--into", tmp_path / "q")[0] == 0
    with Project.open(tmp_path / "q") as project:
        labels = [code.label_in(project.codebook.language) for code in project.codebook.codes]
    assert labels == ["Frakoblingsprosessen", "Relasjonelle forhold", "Skole (ikke forelder)"]


def test_codebook_check_warns_about_labels_used_twice(new_project: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli("--project", new_project, "codebook", "check")
    assert code == 0, err
    assert "ok (" in out
    book = new_project / "codebooks" / "relational-robustness.yaml"
    assert (
        f"warning: {book}: label 'Relasjonelle forhold' (nb) is used by 2 codes: "
        "disconnect.relational, "
        "reconnect.relational; tools that know codes by name (QualCoder) cannot tell them "
        "apart, so REFI-QDA exports name them 'Relasjonelle forhold (Frakoblingsprosessen)' and "
        "'Relasjonelle forhold (Påkoblingsprosessen)'"
    ) in err.splitlines()
    assert sum(line.startswith(f"warning: {book}: label ") for line in err.splitlines()) == 4


# --- 3: memos where QualCoder reads them; no data in descriptions ------------------------------


def test_coding_memos_are_selection_descriptions_and_descriptions_are_clean(
    coded: Path, coder_cli: Cli, tmp_path: Path
) -> None:
    tree = export(coder_cli, coded, tmp_path / "p.qdpx")
    names = users(tree)
    memos = {
        names[s.get("creatingUser")]: s.findtext("q:Description", namespaces=NS)
        for s in tree.iterfind(".//q:PlainTextSelection", NS)
        if s.find("q:Description", NS) is not None
    }
    assert memos == {"anna": "Ensomhet, ikke bare skole", "bjørn": "Usikker på koden"}
    descriptions = [d.text or "" for d in tree.iter("{urn:QDA-XML:project:1.0}Description")]
    assert descriptions and not any("coder-data" in text for text in descriptions)
    # The round trip keeps code ids, labels in both languages, and the memos exactly once.
    back = tmp_path / "back"
    assert coder_cli("import-refi", tmp_path / "p.qdpx", "--into", back)[0] == 0
    with Project.open(back) as project, Project.open(coded) as original:
        assert [c.id for c in project.codebook.codes] == [c.id for c in original.codebook.codes]
        assert (
            project.codebook.code("risk.school").label
            == original.codebook.code("risk.school").label
        )
        got = sorted((m["coder"], m["text"]) for m in find_memos(project))
        want = sorted((m["coder"], m["text"]) for m in find_memos(original))
    assert got == want


def test_old_exports_with_data_in_descriptions_still_import(coder_cli: Cli, tmp_path: Path) -> None:
    from coder.refi.description import DescriptionText

    data = DescriptionText("Når noen er alene.", {"id": "alone.school", "hotkey": "7"}).render()
    codes = (
        f'<Code guid="{C1}" name="Alene" isCodable="true"><Description>{data}</Description></Code>'
    )
    path = foreign_qdpx(tmp_path / "old.qdpx", "", codes=codes)
    assert coder_cli("import-refi", path, "--into", tmp_path / "old")[0] == 0
    with Project.open(tmp_path / "old") as project:
        code = project.codebook.code("alone.school")
    assert (code.hotkey, code.description) == ("7", "Når noen er alene.")


def test_a_selection_description_from_another_tool_is_a_memo(
    coder_cli: Cli, tmp_path: Path
) -> None:
    start = PLAIN.index("Jeg følte")
    sel = selection_xml(C0[:-2] + "71", start, start + 9, U2, [(C1, U2)], "Viktig sitat")
    path = foreign_qdpx(tmp_path / "memo.qdpx", sel)
    code, out, err = coder_cli("import-refi", path, "--into", tmp_path / "memo")
    assert code == 0, err
    with Project.open(tmp_path / "memo") as project:
        memos = [(m["coder"], m["text"], m["excerpt_id"] is not None) for m in find_memos(project)]
    assert memos == [("Per", "Viktig sitat", True)]


# --- 4: UTF-16 positions for NVivo ---------------------------------------------------------------


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@pytest.mark.parametrize("option", [(), ("--positions", "utf16")])
def test_positions_in_code_points_or_utf16(
    coded: Path, coder_cli: Cli, tmp_path: Path, option: tuple[str, ...]
) -> None:
    out = tmp_path / "p.qdpx"
    tree = export(coder_cli, coded, out, *option)
    with Project.open(coded) as project:
        text = project_text(project)
        ranges = {e.seq: (e.start, e.end) for e in load_excerpts(project, "ung01")}
        spans = sorted(c.span or ranges[c.seq] for c in find_codings(project))
    written = sorted(
        (int(s.get("startPosition")), int(s.get("endPosition")))
        for s in tree.iterfind(".//q:PlainTextSelection", NS)
    )
    convert = (lambda n: utf16(text, n)) if option else (lambda n: n)
    assert set(written) == {(convert(a), convert(b)) for a, b in spans}
    assert any(utf16(text, a) != a for a, _ in spans)  # the emoji make the two differ
    back = tmp_path / "back"
    code, stdout, err = coder_cli("import-refi", out, "--into", back)
    assert code == 0, err
    assert codings_of(back) == codings_of(coded)
    assert ("UTF-16" in stdout) == bool(option)


def test_nvivo_target_means_utf16(coded: Path, coder_cli: Cli, tmp_path: Path) -> None:
    a = export(coder_cli, coded, tmp_path / "a.qdpx", "--positions", "utf16")
    b = export(coder_cli, coded, tmp_path / "b.qdpx", "--target", "nvivo")
    positions = [
        [(s.get("startPosition"), s.get("endPosition")) for s in t.iter(f"{{{NS['q']}}}PlainTextSelection")]
        for t in (a, b)
    ]  # fmt: skip
    assert positions[0] == positions[1]


# --- 5: what an import drops ----------------------------------------------------------------------


def test_import_warns_about_sets_links_graphs_and_codings_of_skipped_sources(
    coder_cli: Cli, tmp_path: Path
) -> None:
    start = PLAIN.index("Jeg følte")
    kept = selection_xml(C0[:-2] + "81", start, start + 9, U1, [(C1, U1)])
    missing = "00000000-0000-4000-8000-0000000000f2"
    more = (
        f'<TextSource guid="{missing}" name="borte" plainTextPath="internal://{missing}.txt">'
        + selection_xml(C0[:-2] + "82", 0, 4, U1, [(C1, U1), (C2, U2)])
        + "</TextSource>"
        '<PDFSource guid="00000000-0000-4000-8000-0000000000f3" name="skann.pdf" '
        'path="internal://skann.pdf"><PDFSelection guid="00000000-0000-4000-8000-0000000000e1" '
        'page="0" firstX="0" firstY="0" secondX="1" secondY="1">'
        f'<Coding guid="00000000-0000-4000-8000-0000000000e2"><CodeRef targetGUID="{C2}"/>'
        "</Coding></PDFSelection></PDFSource>"
    )
    extra = (
        '<Sets><Set guid="00000000-0000-4000-8000-0000000000d1" name="Jenter">'
        f'<MemberSource targetGUID="{SOURCE}"/></Set></Sets>'
        '<Graphs><Graph guid="00000000-0000-4000-8000-0000000000d2" name="Kart"/></Graphs>'
        '<Links><Link guid="00000000-0000-4000-8000-0000000000d3" name="henger sammen" '
        f'direction="Associative" originGUID="{C1}" targetGUID="{C2}"/></Links>'
    )
    path = foreign_qdpx(tmp_path / "rich.qdpx", kept, extra=extra, more_sources=more)
    code, out, err = coder_cli("import-refi", path, "--into", tmp_path / "rich")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert any("1 set(s) ('Jenter') not imported" in w for w in warnings), warnings
    assert any("1 graph(s) ('Kart') not imported" in w for w in warnings), warnings
    assert any("1 link(s) between codes, sources or selections not imported" in w for w in warnings)
    assert any("'borte'" in w and "2 coding(s) lost" in w for w in warnings), warnings
    assert any("PDFSource" in w and "1 coding(s) lost" in w for w in warnings), warnings
    assert len(codings_of(tmp_path / "rich")) == 1


def test_round_trip_data_survives_what_a_processing_instruction_cannot_hold() -> None:
    from coder.refi.description import RoundTrip

    keep = RoundTrip()
    keep.keep("g1", {"label": {"en": "a ?> b <c> & æ 😀"}})
    keep.keep("g2", {})  # nothing to keep
    body = keep.instruction()
    assert "?>" not in body and body.isascii()
    xml = f'<?xml version="1.0"?><Project/>\n<?coder-data {body}?>\n'.encode()
    assert etree.fromstring(xml).tag == "Project"  # well-formed
    assert RoundTrip.read(xml).elements == {"g1": {"label": {"en": "a ?> b <c> & æ 😀"}}}
    assert RoundTrip.read(b"<Project/><?coder-data {broken?>").elements == {}
    assert RoundTrip.read(b'<?coder-data {"elements":{}}?><Project/>').elements == {}  # not last
