"""Reading transcript files: encodings, normalisation, docx, odt, subtitles and refusals."""

from __future__ import annotations

import codecs
import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from coder.errors import ImportFailedError
from coder.ingest import SUPPORTED_SUFFIXES, Cue, decode, normalise, read_source

NORWEGIAN = "Jeg følte meg så ensom på skolen, særlig i gymtimene. Æ Ø Å"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (NORWEGIAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + NORWEGIAN.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + NORWEGIAN.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + NORWEGIAN.encode("utf-16-be"), "utf-16"),
        (NORWEGIAN.encode("utf-16-le"), "utf-16-le"),
        (NORWEGIAN.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + NORWEGIAN.encode("utf-32-le"), "utf-32"),
        (NORWEGIAN.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32", "cp1252"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes, encoding: str) -> None:
    source = read_source(write(tmp_path, "t.txt", data))
    assert source.text == NORWEGIAN
    assert source.encoding == encoding
    assert source.format == "txt"
    assert source.cues == ()
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_cp1252_norwegian_letters_are_the_single_bytes_windows_writes() -> None:
    assert decode(bytes([0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5]), name="x.txt") == (
        "æøåÆØÅ",
        "cp1252",
    )


def test_cp1252_punctuation_and_undefined_bytes() -> None:
    text, encoding = decode(b"\x93sitat\x94 \x96 \x80 ok, og en rar byte: \x81", name="x.txt")
    assert encoding == "cp1252"
    assert text == "\u201csitat\u201d \u2013 \u20ac ok, og en rar byte: \x81"


def test_cp1252_longer_norwegian_text_is_not_taken_for_another_codepage() -> None:
    text = "Blåbærsyltetøy, særlig på søndager. ÆRLIG TALT – «nei» sa hun.\r\n" * 20
    assert decode(text.encode("cp1252"), name="x.txt") == (text, "cp1252")


def test_crlf_and_cr_become_lf(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "t.txt", b"en\r\nto\rtre\n\r\nfire\r\n"))
    assert source.text == "en\nto\ntre\n\nfire"


def test_nfd_becomes_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", NORWEGIAN)
    assert nfd != NORWEGIAN
    source = read_source(write(tmp_path, "t.md", nfd.encode("utf-8")))
    assert source.text == NORWEGIAN
    assert source.format == "md"


def test_normalise_on_its_own() -> None:
    assert normalise("\ufeffa\r\nb\rc\u0301") == "a\nb\n\u0107"


def test_trailing_spaces_on_lines_are_kept(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "t.txt", b"Intervjuer: hei  \n  innrykk\n\n\n"))
    assert source.text == "Intervjuer: hei  \n  innrykk"


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_source(write(tmp_path, "T.TXT", b"hei")).format == "txt"


# --- refusals --------------------------------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(ImportFailedError) as info:
        read_source(path)
    message = str(info.value)
    assert path.name in message
    return message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    data = bytes(range(256)) * 4
    assert "binary" in refused(write(tmp_path, "image.txt", data))


def test_control_characters_are_refused_as_binary(tmp_path: Path) -> None:
    data = b"\x01\x02\x03\x04ab\x05\x06\x07\x08" * 10
    assert "binary" in refused(write(tmp_path, "ctl.txt", data))


def test_empty_file_is_refused(tmp_path: Path) -> None:
    assert "empty" in refused(write(tmp_path, "empty.txt", b""))


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    assert "no text" in refused(write(tmp_path, "blank.txt", b" \r\n\t\n  \n"))


def test_unknown_extension_is_refused_naming_supported_ones(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "notes.pdf", b"%PDF-1.4"))
    assert "'.pdf'" in message
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "cannot read" in refused(tmp_path / "nope.txt")


def test_undecodable_bytes_after_a_utf8_bom_name_the_offset(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + "Hei på deg ".encode() + b"\xff\xfe igjen"
    message = refused(write(tmp_path, "broken.txt", data))
    assert "byte offset 15" in message
    assert "0xFF" in message


def test_utf8_with_one_broken_byte_is_refused_not_garbled(tmp_path: Path) -> None:
    data = ("Blåbær og søt saft. " * 5).encode() + b"\xe6 " + "Ærlig.".encode()
    message = refused(write(tmp_path, "mixed.txt", data))
    offset = data.index(b"\xe6 ")
    assert f"byte offset {offset}" in message


def test_truncated_utf16_is_refused(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "hei".encode("utf-16-le") + b"\x00"
    assert "byte offset 8" in refused(write(tmp_path, "odd.txt", data))


# --- docx ------------------------------------------------------------------------------------


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table is not None:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        document.add_paragraph("Etter tabellen.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_blank_lines(tmp_path: Path) -> None:
    data = make_docx(["Intervjuer: Hei.", "", "Deltaker: Jeg følte meg så ensom.", "Andre linje."])
    source = read_source(write(tmp_path, "intervju.docx", data))
    # a Word paragraph is a paragraph break; empty paragraphs are dropped
    assert source.text == "Intervjuer: Hei.\n\nDeltaker: Jeg følte meg så ensom.\n\nAndre linje."
    assert source.format == "docx"
    assert source.encoding == "docx"
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_docx_tables_in_document_order(tmp_path: Path) -> None:
    data = make_docx(["Før."], table=[["I", "Hei"], ["D", "Hallo"]])
    source = read_source(write(tmp_path, "tabell.docx", data))
    # a two-column speaker | text table reads as labelled turns
    assert source.text == "Før.\n\nI: Hei\n\nD: Hallo\n\nEtter tabellen."


def test_broken_docx_is_refused(tmp_path: Path) -> None:
    assert "docx" in refused(write(tmp_path, "broken.docx", b"this is not a zip file"))


def test_empty_docx_is_refused(tmp_path: Path) -> None:
    assert "no text" in refused(write(tmp_path, "tom.docx", make_docx(["", "  "])))


# --- odt -------------------------------------------------------------------------------------

ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
    xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office:version="1.2">
  <office:body>
    <office:text>
      <text:h text:outline-level="1">Intervju   med  Sara</text:h>
      <text:p>Intervjuer: Hvordan   var
        det?</text:p>
      <text:p/>
      <text:p>Sara: Det var <text:span>ganske <text:span>tøft</text:span></text:span>,<text:s
        text:c="3"/>ærlig talt.<text:tab/>Slutt<text:line-break/>ny linje<text:note><text:note-body>
        <text:p>fotnote</text:p></text:note-body></text:note></text:p>
      <text:list><text:list-item><text:p>punkt i liste</text:p></text:list-item></text:list>
    </office:text>
  </office:body>
</office:document-content>
"""


def make_odt(content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_odt_paragraphs_spans_spaces_tabs_and_breaks(tmp_path: Path) -> None:
    data = make_odt(ODT_CONTENT)
    source = read_source(write(tmp_path, "intervju.odt", data))
    assert source.text == (
        "Intervju med Sara\n\n"
        "Intervjuer: Hvordan var det?\n\n"
        "Sara: Det var ganske tøft,   ærlig talt.\tSlutt\nny linje\n\n"
        "punkt i liste"
    )
    assert (source.format, source.encoding) == ("odt", "odt")
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_broken_odt_is_refused(tmp_path: Path) -> None:
    assert "odt" in refused(write(tmp_path, "broken.odt", b"PK\x03\x04 not really"))


def test_odt_without_content_xml_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert "content.xml" in refused(write(tmp_path, "tom.odt", buffer.getvalue()))


def test_odt_with_bad_xml_is_refused(tmp_path: Path) -> None:
    assert "XML" in refused(write(tmp_path, "bad.odt", make_odt("<office:document-content")))


def test_odt_entity_bomb_is_refused(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    assert "XML" in refused(write(tmp_path, "bomb.odt", make_odt(bomb)))


# --- subtitles -------------------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions

NOTE laget for test
over to linjer

STYLE
::cue { color: yellow }

1
00:00:01.000 --> 00:00:04.500 align:start position:10%
<v Intervjuer>Hvordan var skolen?</v>

2
00:00:05.000 --> 00:00:07.250
<v.loud Sara>Det var <i>tøft</i>,
særlig i gymtimene.</v>

00:08.000 --> 00:09.000
<v Sara><c.yellow>Jeg</c> følte meg ensom.

01:00:10.000 --> 01:00:12.000
<v Intervjuer>Takk &amp; farvel.
"""


def test_vtt_cues_voices_and_layout(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "intervju.vtt", VTT.encode()))
    assert source.format == "vtt"
    assert source.text == (
        "Intervjuer: Hvordan var skolen?\n\n"
        "Sara: Det var tøft, særlig i gymtimene. Jeg følte meg ensom.\n\n"
        "Intervjuer: Takk & farvel."
    )
    spoken = [source.text[cue.start : cue.end] for cue in source.cues]
    assert spoken == [
        "Hvordan var skolen?",
        "Det var tøft, særlig i gymtimene.",
        "Jeg følte meg ensom.",
        "Takk & farvel.",
    ]
    assert source.cues[0] == Cue(12, 31, 1.0, 4.5, "Intervjuer")
    assert [(c.start_time, c.end_time, c.voice) for c in source.cues[1:]] == [
        (5.0, 7.25, "Sara"),
        (8.0, 9.0, "Sara"),
        (3610.0, 3612.0, "Intervjuer"),
    ]


SRT = """1
00:00:01,000 --> 00:00:02,500
Intervjuer: Hvordan har du det?

2
00:00:03,000 --> 00:00:05,000
P3: <i>Sånn passe.</i>
Litt sliten.

3
00:00:05,100 --> 00:00:06,000
Men det går bra.

4
00:00:07,000 --> 00:00:08,000
{\\an8}Intervjuer: Fint.
"""


def test_srt_labels_and_times(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "intervju.srt", SRT.encode("cp1252")))
    assert source.encoding == "cp1252"
    assert source.text == (
        "Intervjuer: Hvordan har du det?\n\n"
        "P3: Sånn passe. Litt sliten.\n\n"
        "Men det går bra.\n\n"
        "Intervjuer: Fint."
    )
    # A ``Name:`` label names its own cue only (issue 13.7): cue 3 has no voice.
    assert [(c.start_time, c.end_time, c.voice) for c in source.cues] == [
        (1.0, 2.5, "Intervjuer"),
        (3.0, 5.0, "P3"),
        (5.1, 6.0, None),
        (7.0, 8.0, "Intervjuer"),
    ]
    assert source.text[source.cues[2].start : source.cues[2].end] == "Men det går bra."


def test_subtitles_without_voices(tmp_path: Path) -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nbare tekst\n\n00:02.000 --> 00:03.000\nmer\n"
    source = read_source(write(tmp_path, "t.vtt", data))
    assert source.text == "bare tekst mer"
    assert [c.voice for c in source.cues] == [None, None]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bad.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhei\n\nbare tekst\n", "line 5"),
        ("bad.srt", b"1\n00:00:99,000 --> 00:00:02,000\nhei\n", "line 2"),
        ("bad.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhei\n", "ends before"),
        ("tom.vtt", b"WEBVTT\n\nNOTE ingenting her\n", "no cues"),
    ],
)
def test_bad_subtitles_are_refused(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    assert expected in refused(write(tmp_path, name, data))


def test_subtitle_labels_must_look_like_names(tmp_path: Path) -> None:
    data = (
        "1\n00:00:01,000 --> 00:00:02,000\nDet var sånn: jeg gikk.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nSPEAKER_01: Hei.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nKari Nordmann: Hallo.\n"
    ).encode()
    source = read_source(write(tmp_path, "navn.srt", data))
    assert [(c.voice, source.text[c.start : c.end]) for c in source.cues] == [
        (None, "Det var sånn: jeg gikk."),
        ("SPEAKER_01", "Hei."),
        ("Kari Nordmann", "Hallo."),
    ]


def test_vtt_voice_tag_wins_over_a_label_in_the_text(tmp_path: Path) -> None:
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sara>Merk: dette er viktig.\n"
    source = read_source(write(tmp_path, "merk.vtt", data))
    assert source.text == "Sara: Merk: dette er viktig."
    assert source.cues[0].voice == "Sara"
