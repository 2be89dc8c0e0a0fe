"""Hostile .qdpx parts refused before anything is read: zip entries and XML."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from coder.errors import CoderError
from coder.refi.read.safe_zip import HostileFileError, SafeZip, ZipLimits
from coder.refi.read.xml_parser import RefiReader, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;"/>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&secret;</Description></Project>"""


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def patch_sizes(path: Path, size: int) -> None:
    """Rewrite every entry's uncompressed size in the local and central headers."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            data[start + offset : start + offset + 4] = struct.pack("<I", size)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/evil.txt", "\\evil.txt"]
)
def test_entries_with_dotdot_or_absolute_paths_are_refused(tmp_path: Path, name: str) -> None:
    path = make_zip(tmp_path / "x.qdpx", {"project.qde": b"<Project/>", name: b"x"})
    with pytest.raises(HostileFileError, match="refused: zip entry .*(absolute|'\\.\\.')"):
        SafeZip(path)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bomb.qdpx", {"sources/a.txt": bytes(30 * 1024 * 1024)})
    info = zipfile.ZipFile(path).infolist()[0]
    assert info.file_size / info.compress_size > 500
    with pytest.raises(HostileFileError, match="compressed .* times .*zip bomb"):
        SafeZip(path)


def test_an_entry_declaring_a_huge_size_is_refused_before_reading(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "big.qdpx", {"project.qde": b"<Project/>"})
    patch_sizes(path, 3_000_000_000)
    with pytest.raises(HostileFileError, match="would expand to 3,000,000,000 bytes"):
        SafeZip(path)


def test_entry_and_total_limits(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "x.qdpx", {"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    with pytest.raises(HostileFileError, match="per entry"):
        SafeZip(path, ZipLimits(max_entry_bytes=500))
    with pytest.raises(HostileFileError, match="more than 1,000 bytes"):
        SafeZip(path, ZipLimits(max_total_bytes=1000))
    with pytest.raises(HostileFileError, match="at most 1"):
        SafeZip(path, ZipLimits(max_entries=1))
    with SafeZip(path) as archive:
        assert archive.read("a.txt") == b"a" * 600


def test_a_header_understating_the_size_never_reads_more(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "x.qdpx", {"a.txt": b"a" * 5000})
    patch_sizes(path, 10)
    with SafeZip(path) as archive, pytest.raises(CoderError):
        archive.read("a.txt")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(CoderError, match="not a .qdpx"):
        SafeZip(path)


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(HostileFileError, match="refused: the XML declares entities"):
        parse_xml(BILLION_LAUGHS, "x.qde")


def test_external_entities_are_refused() -> None:
    with pytest.raises(HostileFileError, match="refused"):
        parse_xml(EXTERNAL_ENTITY, "x.qde")


def test_broken_xml_and_wrong_roots() -> None:
    with pytest.raises(CoderError, match="x.qde: not well-formed XML"):
        parse_xml(b"<Project", "x.qde")
    with pytest.raises(CoderError, match="not a REFI-QDA project or codebook"):
        RefiReader("x.qde").read(parse_xml(b"<html/>", "x.qde"))


def test_elements_are_read_without_regard_to_namespace() -> None:
    qde = b"""<Project name="P"><Users><User guid="u1" name="Ann"/></Users>
    <CodeBook><Codes><Code guid="c1" name="A" isCodable="true" color="#112233ff">
      <Code guid="c2" name="B" isCodable="false"/></Code></Codes></CodeBook>
    <Sources><TextSource guid="s1" name="one" plainTextPath="internal://s1.txt">
      <PlainTextSelection guid="p1" startPosition="1" endPosition="4" creatingUser="u1">
        <Coding guid="k1" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding>
      </PlainTextSelection></TextSource><PDFSource guid="x"/></Sources></Project>"""
    doc = RefiReader("x.qde").read(parse_xml(qde, "x.qde"))
    assert doc.name == "P" and doc.users[0].name == "Ann"
    assert doc.codes[0].color == "#112233ff" and not doc.codes[0].children[0].codable
    selection = doc.sources[0].selections[0]
    assert (selection.start, selection.end, selection.codings[0].code) == (1, 4, "c1")
    assert doc.skipped == {"PDFSource": 1}
    with pytest.raises(CoderError, match="startPosition must be a whole number"):
        RefiReader("x.qde").read(
            parse_xml(qde.replace(b'startPosition="1"', b'startPosition="one"'), "x.qde")
        )
