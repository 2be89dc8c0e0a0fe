"""The ``.coderpack`` container: 0600, checksummed, AES-GCM with a scrypt key (issue 16.5)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from coder.errors import CoderError
from coder.team.pack_file import MAGIC, PackFile, Seal

MEMBERS = {"manifest.json": b'{"a": 1}', "work/codings.json": '["æøå"]'.encode()}


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper scrypt cost in these tests; the parameters travel in the header."""
    monkeypatch.setattr("coder.team.pack_file.DEFAULT_SEAL", Seal(n=2**10))


def test_a_plain_pack_is_private_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "x.coderpack"
    PackFile(path, MEMBERS).write()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(MAGIC)
    assert PackFile.read(path).members == MEMBERS
    assert [p.name for p in tmp_path.iterdir()] == ["x.coderpack"]  # no temporary file left


def test_a_changed_or_cut_plain_pack_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.coderpack"
    PackFile(path, MEMBERS).write()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(CoderError, match="checksum does not match"):
        PackFile.read(path)
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CoderError, match="damaged"):
        PackFile.read(path)
    path.write_bytes(b"PK\x03\x04 a zip, not a pack")
    with pytest.raises(CoderError, match="does not start like a .coderpack"):
        PackFile.read(path)


def test_an_encrypted_pack_opens_only_with_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "x.coderpack"
    PackFile(path, MEMBERS).write("riktig passord æøå")
    data = path.read_bytes()
    assert b"manifest" not in data and "æøå".encode() not in data
    assert PackFile.read(path, "riktig passord æøå").members == MEMBERS
    with pytest.raises(CoderError, match="wrong passphrase"):
        PackFile.read(path, "feil")
    with pytest.raises(CoderError, match="the pack is encrypted; give its passphrase"):
        PackFile.read(path)


@pytest.mark.parametrize("where", ["header", "ciphertext", "end"])
def test_a_tampered_encrypted_pack_is_refused(tmp_path: Path, where: str) -> None:
    path = tmp_path / "x.coderpack"
    PackFile(path, MEMBERS).write("pw")
    data = bytearray(path.read_bytes())
    index = {"header": data.index(b'"nonce"') + 12, "ciphertext": len(data) - 40, "end": -1}[where]
    data[index] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CoderError, match="wrong passphrase, or the file was changed|damaged"):
        PackFile.read(path, "pw")


def test_writing_refuses_a_missing_folder_and_an_empty_passphrase(tmp_path: Path) -> None:
    with pytest.raises(CoderError, match="does not exist"):
        PackFile(tmp_path / "nope" / "x.coderpack", MEMBERS).write()
    with pytest.raises(CoderError, match="passphrase is empty"):
        PackFile(tmp_path / "x.coderpack", MEMBERS).write("")
    assert list(tmp_path.iterdir()) == []


def test_a_pack_that_unpacks_too_large_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.coderpack"
    PackFile(path, {"work/events.json": b"[" + b" " * 5000 + b"]"}).write()
    monkeypatch.setattr("coder.team.pack_file.MAX_UNPACKED", 1000)
    with pytest.raises(CoderError, match="unpacks to more than"):
        PackFile.read(path)
