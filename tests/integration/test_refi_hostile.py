"""Hostile REFI-QDA files are refused with a clear message, and nothing is left behind."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from support.processes import run_coder

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

SOURCE = "00000005-0000-4000-8000-000000000001"
TEXT = "Participant: A short interview."


def project(selection: tuple[int, int] = (13, 20), head: str = "", name: str = "P") -> str:
    start, end = selection
    return f"""<?xml version="1.0"?>{head}
<Project xmlns="urn:QDA-XML:project:1.0" name="{name}">
  <CodeBook><Codes><Code guid="0000000c-0000-4000-8000-000000000001" name="A" isCodable="true"/>
  </Codes></CodeBook>
  <Sources><TextSource guid="{SOURCE}" name="one" plainTextPath="internal://{SOURCE}.txt">
    <PlainTextSelection guid="0000000f-0000-4000-8000-000000000001" startPosition="{start}"
        endPosition="{end}"><Coding guid="00000001-0000-4000-8000-000000000001">
      <CodeRef targetGUID="0000000c-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>
  </TextSource></Sources>
</Project>"""


def qdpx(path: Path, qde: str, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{SOURCE}.txt", TEXT)
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


LAUGHS = """
<!DOCTYPE Project [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>"""


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the error message must say)."""
    secret = folder / "secret.txt"
    secret.write_text("TOP-SECRET-SENTINEL")
    xxe = f'\n<!DOCTYPE Project [<!ENTITY s SYSTEM "file://{secret}">]>'
    bomb = qdpx(folder / "bomb.qdpx", project(), {"sources/padding.txt": bytes(40 * 1024 * 1024)})
    big = qdpx(folder / "big.qdpx", project())
    data = bytearray(big.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = struct.pack("<I", 4_000_000_000)
    big.write_bytes(bytes(data))
    laughs_qdc = folder / "laughs.qdc"
    laughs_qdc.write_text(
        f'<?xml version="1.0"?>{LAUGHS}\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '<Codes><Code guid="0000000c-0000-4000-8000-000000000001" name="&d;" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    return {
        "entity expansion": (
            qdpx(folder / "laughs.qdpx", project(head=LAUGHS, name="&d;")),
            "refused: the XML declares entities",
        ),
        "entity expansion in a codebook": (laughs_qdc, "refused: the XML declares entities"),
        "external entity": (
            qdpx(folder / "xxe.qdpx", project(head=xxe, name="&s;")),
            "refused: the XML declares entities",
        ),
        "dot-dot entry": (
            qdpx(folder / "slip.qdpx", project(), {"../../evil.sh": b"#!/bin/sh"}),
            "refused: zip entry '../../evil.sh' has a '..' path part",
        ),
        "absolute entry": (
            qdpx(folder / "abs.qdpx", project(), {"/etc/cron.d/evil": b"x"}),
            "refused: zip entry '/etc/cron.d/evil' has an absolute path",
        ),
        "zip bomb": (bomb, "is compressed"),
        "oversized entry": (big, "would expand to 4,000,000,000 bytes"),
        "selection outside its source": (
            qdpx(folder / "outside.qdpx", project(selection=(13, 400))),
            f"lies outside the source ({len(TEXT)} characters)",
        ),
        "source path outside the file": (
            qdpx(
                folder / "path.qdpx",
                project().replace(f"internal://{SOURCE}.txt", "internal://../../etc/passwd"),
            ),  # fmt: skip
            "points outside the file",
        ),
    }


@pytest.mark.slow
def test_hostile_files_are_refused_safely(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    for label, (path, message) in hostile_files(files).items():
        work = tmp_path / label.replace(" ", "_")
        work.mkdir()
        target = work / "project"
        done = run_coder("import-refi", path, "--into", target, cwd=work)
        assert done.returncode == 1, (label, done.stdout, done.stderr)
        assert done.stderr.startswith("error: "), (label, done.stderr)
        assert message in done.stderr, (label, done.stderr)
        assert "Traceback" not in done.stderr, label
        assert "TOP-SECRET-SENTINEL" not in done.stdout + done.stderr, label
        assert list(work.iterdir()) == [], (label, list(work.iterdir()))  # nothing half-written


def test_a_well_formed_file_of_the_same_shape_imports(tmp_path: Path) -> None:
    """The hostile files above differ from this one only in what makes them hostile."""
    path = qdpx(tmp_path / "fine.qdpx", project())
    done = run_coder("import-refi", path, "--into", tmp_path / "p", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 codings" in done.stdout
