"""Importing .qdpx files as other tools write them: their quirks, mapped onto excerpts."""

from __future__ import annotations

import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from coder.project.project import Project
from support.processes import run_coder

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

TURN1 = "School was hard. My family had little money."
TURN2 = "Later I found work at a café. Things got better."
TEXT = (
    "Interviewer: How was school?\n\n"
    f"Participant: {TURN1}\n\n"
    "Interviewer: And later?\n\n"
    f"Participant: {unicodedata.normalize('NFD', TURN2)}\n"
).replace("\n", "\r\n")
U_SMITH, U_ANN = "0000000a-0000-4000-8000-000000000001", "0000000a-0000-4000-8000-000000000002"
C_FAMILY, C_MONEY, C_WORK = (f"0000000c-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
V_AGE, V_GENDER, V_JOB = (f"0000000d-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
N_SEL, N_CODE, N_PROJECT, N_LOOSE = (
    f"0000000e-0000-4000-8000-00000000000{i}" for i in (1, 2, 3, 4)
)


def coder(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_coder(*args, cwd=cwd)


def selection(guid: int, text: str, phrase: str, code: str, user: str, *, to: str = "", crlf: int = 2,
              note: str = "") -> str:  # fmt: skip
    """A PlainTextSelection of ``phrase`` (through ``to``) counted as a tool that counts a CRLF
    as ``crlf`` characters would."""
    counted = text if crlf == 2 else text.replace("\r\n", "\n")
    start = counted.index(phrase)
    end = counted.index(to) + len(to) if to else start + len(phrase)
    note_ref = f'<NoteRef targetGUID="{note}"/>' if note else ""
    return (
        f'<PlainTextSelection guid="0000000f-0000-4000-8000-{guid:012d}" name="{phrase}" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
        f'<Coding guid="00000001-0000-4000-8000-{guid:012d}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding>{note_ref}</PlainTextSelection>'
    )


def project_xml(crlf: int) -> str:
    text = TEXT
    selections = "".join(
        [
            selection(1, text, TURN1, C_FAMILY, U_SMITH, crlf=crlf, note=N_SEL),
            selection(2, text, "little money", C_MONEY, U_ANN, crlf=crlf),
            selection(3, text, "My family", C_WORK, U_ANN, to="Later I found", crlf=crlf),
            selection(4, text, "Participant", C_WORK, U_SMITH, crlf=crlf),
            selection(5, text, "Things got better", C_WORK, U_SMITH, crlf=crlf),
        ]
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From another tool" origin="SomeQDA 12">
  <Users><User guid="{U_SMITH}" name="Dr. Smith (PI)"/><User guid="{U_ANN}" name="Ann"/></Users>
  <CodeBook><Codes>
    <Code guid="{C_FAMILY}" name="Family" isCodable="true" color="#FF0000AA">
      <Description>Anything about the family.</Description><NoteRef targetGUID="{N_CODE}"/>
      <Code guid="{C_MONEY}" name="Money &amp; poverty" isCodable="true" color="#0F0"/>
    </Code>
    <Code guid="{C_WORK}" name="Work" isCodable="true" color="transparent"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{V_AGE}" name="Age" typeOfVariable="Integer"/>
    <Variable guid="{V_GENDER}" name="Gender" typeOfVariable="Text"/>
    <Variable guid="{V_JOB}" name="Employed" typeOfVariable="Boolean"/>
  </Variables>
  <Cases><Case guid="0000000b-0000-4000-8000-000000000001" name="Case 1">
    <VariableValue><VariableRef targetGUID="{V_AGE}"/><IntegerValue>19</IntegerValue></VariableValue>
    <VariableValue><VariableRef targetGUID="{V_GENDER}"/><TextValue>female</TextValue></VariableValue>
    <VariableValue><VariableRef targetGUID="{V_JOB}"/><BooleanValue>true</BooleanValue></VariableValue>
    <SourceRef targetGUID="00000005-0000-4000-8000-000000000001"/>
  </Case></Cases>
  <Sources>
    <TextSource guid="00000005-0000-4000-8000-000000000001" name="Interview A.txt"
        plainTextPath="internal://00000005-0000-4000-8000-000000000001.txt">{selections}</TextSource>
    <TextSource guid="00000005-0000-4000-8000-000000000002" name="Notes inline">
      <PlainTextContent>Participant: Just a short inline text.</PlainTextContent></TextSource>
    <TextSource guid="00000005-0000-4000-8000-000000000003" name="Elsewhere"
        plainTextPath="C:\\Users\\smith\\Documents\\elsewhere.txt"/>
    <PDFSource guid="00000005-0000-4000-8000-000000000004" name="scan.pdf"/>
  </Sources>
  <Notes>
    <Note guid="{N_SEL}" name="Money" creatingUser="{U_ANN}" creationDateTime="2024-03-01T10:00:00Z">
      <PlainTextContent>Money is mentioned twice.</PlainTextContent></Note>
    <Note guid="{N_CODE}" name="About family" creatingUser="{U_SMITH}">
      <PlainTextContent>Includes foster families.</PlainTextContent></Note>
    <Note guid="{N_PROJECT}" name="Project" creatingUser="{U_SMITH}">
      <PlainTextContent>Project note.</PlainTextContent></Note>
    <Note guid="{N_LOOSE}" name="Loose"><PlainTextContent>Loose note</PlainTextContent></Note>
  </Notes>
  <NoteRef targetGUID="{N_PROJECT}"/>
</Project>"""


def write_qdpx(path: Path, crlf: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("My Project.qde", project_xml(crlf))  # not called project.qde
        archive.writestr("Sources/00000005-0000-4000-8000-000000000001.txt", TEXT.encode("utf-8"))
    return path


def imported(tmp_path: Path, crlf: int) -> tuple[Path, subprocess.CompletedProcess[str]]:
    source = write_qdpx(tmp_path / "other.qdpx", crlf)
    done = coder("import-refi", str(source), "--into", str(tmp_path / "project"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "project", done


def coded(root: Path) -> list[tuple[str, str, bool, str]]:
    """(coder, code, whole excerpt?, coded text) of every coding."""
    from coder.store.queries import find_codings, load_excerpts, transcript_text

    with Project.open(root) as project:
        result = []
        for row in find_codings(project):
            text = transcript_text(project, row.transcript_id)
            excerpt = {e.id: e for e in load_excerpts(project, row.transcript_id)}[row.excerpt_id]
            start, end = row.span or (excerpt.start, excerpt.end)
            result.append((row.coder, row.code_id, row.span is None, text[start:end]))
        return sorted(result)


@pytest.mark.parametrize("crlf", [2, 1])
def test_selections_line_up_however_the_tool_counted_crlf(tmp_path: Path, crlf: int) -> None:
    root, done = imported(tmp_path, crlf)
    turn2 = unicodedata.normalize("NFC", TURN2)
    assert coded(root) == sorted(
        [
            ("Ann", "family.money_poverty", False, "little money"),
            ("Ann", "work", False, "My family had little money."),  # crossing: clipped per excerpt
            ("Ann", "work", True, "And later?"),
            ("Ann", "work", False, "Later I found"),
            ("Dr. Smith PI", "family", True, TURN1),  # equal to the excerpt: whole
            ("Dr. Smith PI", "work", False, "Things got better"),  # after an NFD é
        ]
    )
    assert turn2.endswith("Things got better.")
    count = "two" if crlf == 2 else "one"
    expected = (
        f"Positions in other.qdpx were read as code points, a CRLF line end counting as {count}."
    )
    assert expected in done.stdout
    warnings = done.stderr
    assert "1 selection(s) crossed excerpt boundaries" in warnings
    assert "1 selection(s) lay outside every excerpt" in warnings  # the speaker label
    assert "source 'Elsewhere': its text is not inside other.qdpx" in warnings
    assert "1 PDFSource element(s) skipped" in warnings
    assert "colour 'transparent' not understood" in warnings


def test_the_rest_of_the_project_comes_along(tmp_path: Path) -> None:
    from coder.store.queries import case_attribute_values, find_memos, list_transcripts

    root, done = imported(tmp_path, 2)
    assert "coders: Ann, Dr. Smith PI, imported" in done.stdout
    with Project.open(root) as project:
        book = project.codebook
        assert [(c.id, c.parent, c.label_in("en"), c.color) for c in book.codes] == [
            ("family", None, "Family", "#FF0000"),
            ("family.money_poverty", "family", "Money & poverty", "#00FF00"),
            ("work", None, "Work", None),
        ]
        assert book.code("family").description == "Anything about the family."
        assert [(a.id, a.kind, [lv.id for lv in a.levels]) for a in book.attributes] == [
            ("age", "interval", []),
            ("gender", "text", []),
            ("employed", "nominal", ["true", "false"]),
        ]
        transcripts = {t.id: t.case_id for t in list_transcripts(project)}
        assert transcripts == {"Interview A": "Case 1", "Notes inline": "Notes inline"}
        values = case_attribute_values(project)["Case 1"]
        assert values == {"age": "19", "gender": "female", "employed": "true"}
        memos = sorted(
            (m["coder"], m["text"], m["excerpt_id"] is not None, m["code_id"])
            for m in find_memos(project)
        )
    assert memos == [
        ("Ann", "Money\n\nMoney is mentioned twice.", True, None),
        ("Dr. Smith PI", "About family\n\nIncludes foster families.", False, "family"),
        ("Dr. Smith PI", "Project\n\nProject note.", False, None),
        ("imported", "Loose\n\nLoose note", False, None),
    ]


def test_a_codebook_from_another_tool(tmp_path: Path) -> None:
    qdc = tmp_path / "book.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022"><Codes>'
        f'<Code guid="{C_FAMILY}" name="Familie" isCodable="false" color="#123456FF">'
        f'<Description>Familien.</Description><Code guid="{C_MONEY}" name="Økonomi" '
        'isCodable="true"/></Code></Codes></CodeBook>',
        encoding="utf-8",
    )
    done = coder("import-refi", str(qdc), "--into", str(tmp_path / "book"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    check = coder("--project", str(tmp_path / "book"), "codebook", "check", cwd=tmp_path)
    assert check.returncode == 0 and "(2 codes, 1 codable, 0 attributes)" in check.stdout
    with Project.open(tmp_path / "book") as project:
        codes: list[Any] = list(project.codebook.codes)
    assert [(c.id, c.codable, c.color) for c in codes] == [
        ("familie", False, "#123456"),
        ("familie.okonomi", True, None),
    ]


def test_model_suggestions_are_exported_only_when_asked(tmp_path: Path) -> None:
    from coder.domain.transcript import Origin
    from coder.store.operations import apply_code
    from coder.store.queries import load_excerpts

    root, _ = imported(tmp_path, 2)
    with Project.open(root) as project:
        excerpt = load_excerpts(project, "Interview A")[1]
        apply_code(project, "model", excerpt.id, "work", origin=Origin.SUGGESTION)

    def users(*flags: str) -> set[str]:
        out = tmp_path / f"out{len(flags)}.qdpx"
        done = coder("--project", str(root), "export", "refi", "-o", str(out), *flags, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
        return {name for name in ("model", "Ann", "Dr. Smith PI") if f'name="{name}"' in qde}

    assert users() == {"Ann", "Dr. Smith PI"}
    assert users("--include-model") == {"Ann", "Dr. Smith PI", "model"}


def test_the_default_folder_is_named_after_the_file(tmp_path: Path) -> None:
    source = write_qdpx(tmp_path / "other.qdpx", 2)
    done = coder("import-refi", str(source), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "other" / "coder.toml").is_file()
    assert f"Created {tmp_path / 'other'}" in done.stdout
