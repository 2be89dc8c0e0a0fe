"""Word and OpenDocument files as they come: nested tables, hostile and broken files (13.9)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.ingest import read_source

Cli = Callable[..., tuple[int, str, str]]

LIBRARY_WORDS = re.compile(
    r"Error|Exception|Forbidden|BadZip|Package|ParseError|XMLSyntax|etree|lxml|defusedxml|\w+\("
)
"""What a library's exception looks like in a message: a class name, or a repr."""


def nested_docx() -> bytes:
    """A speaker | text table whose text cells hold tables (as Word's "insert table" in a cell)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Intervju 7")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Intervjuer"
    table.cell(0, 1).text = "Hva gjorde du det året?"
    table.cell(1, 0).text = "Deltaker"
    answer = table.cell(1, 1)
    answer.text = "Det var sånn:"
    inner = answer.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "Høsten"
    inner.cell(0, 1).text = "Jobb på lager"
    inner.cell(1, 0).text = "Våren"
    deepest = inner.cell(1, 1).add_table(rows=1, cols=1)
    deepest.cell(0, 0).text = "NAV-kurs, så ingenting"
    answer.add_paragraph("Så sluttet jeg.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_text_in_tables_nested_in_docx_cells_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nestet.docx"
    path.write_bytes(nested_docx())
    text = read_source(path).text
    for words in ("Jobb på lager", "NAV-kurs, så ingenting", "Så sluttet jeg.", "Høsten"):
        assert words in text
    # The nested rows stay inside the participant's turn, in document order.
    turn = text[text.index("Deltaker: ") :]
    assert turn.index("Det var sånn:") < turn.index("Høsten\tJobb på lager")
    assert turn.index("Jobb på lager") < turn.index("NAV-kurs") < turn.index("Så sluttet jeg.")


def odt(content: bytes | str, *, compress: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def corrupt_deflate() -> bytes:
    data = bytearray(odt("<x>" + "tekst " * 500 + "</x>", compress=zipfile.ZIP_DEFLATED))
    start = data.index(b"content.xml") + len("content.xml") + 20
    data[start : start + 40] = b"\xff" * 40
    return bytes(data)


def only_mimetype() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return buffer.getvalue()


BODY = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
)
HOSTILE_ODT = {
    "not-a-zip": (b"Dette er bare tekst med feil filendelse.", "not a zip archive"),
    "no-content": (only_mimetype(), "has no content.xml"),
    "cut-off-xml": (odt(BODY + "<text:p>Intervjuer: Hei"), "breaks off or has an invalid"),
    "billion-laughs": (
        odt(
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            "<lolz>&lol2;</lolz>"
        ),
        "declares entities",
    ),
    "external-entity": (
        odt(
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
        ),
        "declares entities",
    ),
    "corrupt-deflate": (corrupt_deflate(), "is damaged"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ODT))
def test_hostile_or_broken_odt_gets_a_plain_message(
    case: str, new_project: Path, coder_cli: Cli
) -> None:
    data, expected = HOSTILE_ODT[case]
    path = new_project / "transcripts" / f"{case}.odt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code != 0
    assert "Traceback" not in err
    assert f"{path}: " in err and "OpenDocument .odt" in err and expected in err, err
    assert LIBRARY_WORDS.search(err) is None, err
    assert "Nothing was imported." in err


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04 not really", "not a zip archive"),
        (odt("<x/>"), "not a Word .docx document"),
    ],
    ids=["not-a-zip", "an-odt-zip"],  # the zip's bytes hold the time: no ids made from them
)
def test_broken_docx_gets_a_plain_message(tmp_path: Path, data: bytes, expected: str) -> None:
    from coder.errors import ImportFailedError

    path = tmp_path / "feil.docx"
    path.write_bytes(data)
    with pytest.raises(ImportFailedError) as caught:
        read_source(path)
    assert expected in str(caught.value)
    assert LIBRARY_WORDS.search(str(caught.value)) is None, caught.value


def test_docx_tables_nested_beyond_reason_are_refused_plainly(tmp_path: Path) -> None:
    import docx

    from coder.errors import ImportFailedError

    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(30):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "Dypt"
    path = tmp_path / "dyp.docx"
    document.save(str(path))
    with pytest.raises(ImportFailedError) as caught:
        read_source(path)
    assert "tables are nested more than 20 deep" in str(caught.value)
    assert LIBRARY_WORDS.search(str(caught.value)) is None, caught.value
