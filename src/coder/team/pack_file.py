"""``PackFile``: the ``.coderpack`` container on disk, plain or sealed with a passphrase.

Layout: the magic line ``CODERPACK 1``, then ``P`` + the SHA-256 of the body + the body (plain)
or ``E`` + a length-prefixed JSON header (scrypt parameters, salt, nonce) + the AES-256-GCM
ciphertext of the body, the header authenticated with it. The body is a zip of named members.
A wrong passphrase, a changed byte or a truncated file is a ``CoderError`` raised before anything
is written anywhere. Packs are written to a temporary file beside the target, created 0600, and
moved into place when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import struct
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coder.errors import CoderError

MAGIC = b"CODERPACK 1\n"
PLAIN, SEALED = b"P", b"E"
PASSPHRASE_ENV = "CODER_TEAM_PASSPHRASE"
"""Environment variable holding the passphrase (instead of ``--passphrase``)."""
MAX_UNPACKED = 2 * 1024**3
"""A pack unpacks to at most 2 GiB (a hostile zip cannot exhaust memory; the 100k-excerpt
project's hand-out unpacks to well under 100 MB)."""


@dataclass(frozen=True, slots=True)
class Seal:
    """scrypt parameters for the key (the cryptography documentation's advice)."""

    n: int = 2**15
    """CPU/memory cost."""
    r: int = 8
    """Block size."""
    p: int = 1
    """Parallelism."""

    @staticmethod
    def key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        """The 256-bit key for ``passphrase``."""
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))

    def seal(self, body: bytes, passphrase: str) -> bytes:
        """``SEALED`` + header + ciphertext of ``body``."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not passphrase:
            raise CoderError("the passphrase is empty. Nothing was written.")
        salt, nonce = os.urandom(16), os.urandom(12)
        header = json.dumps(
            {
                "cipher": "AES-256-GCM",
                "kdf": "scrypt",
                "n": self.n,
                "r": self.r,
                "p": self.p,
                "salt": salt.hex(),
                "nonce": nonce.hex(),
            },
            sort_keys=True,
        ).encode("ascii")
        prefix = MAGIC + SEALED + struct.pack(">I", len(header)) + header
        key = self.key(passphrase, salt, self.n, self.r, self.p)
        return prefix + AESGCM(key).encrypt(nonce, body, prefix)


DEFAULT_SEAL = Seal()
"""The parameters new packs are sealed with."""


def _damaged(where: Path, why: str) -> CoderError:
    return CoderError(f"{where}: not a coder pack, or damaged ({why}). Nothing was written.")


def _open_sealed(data: bytes, passphrase: str | None, where: Path) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    start = len(MAGIC) + 1
    try:
        (length,) = struct.unpack(">I", data[start : start + 4])
        raw = data[start + 4 : start + 4 + length]
        header = json.loads(raw)
        salt, nonce = bytes.fromhex(header["salt"]), bytes.fromhex(header["nonce"])
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
        if header.get("cipher") != "AES-256-GCM" or header.get("kdf") != "scrypt":
            raise ValueError(f"unknown encryption {header.get('cipher')!r}")
        if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("scrypt parameters out of range")
    except (struct.error, ValueError, KeyError, TypeError) as exc:
        raise _damaged(where, f"its encryption header: {exc}") from None
    if not passphrase:
        raise CoderError(
            f"{where}: the pack is encrypted; give its passphrase with --passphrase or in "
            f"{PASSPHRASE_ENV}. Nothing was written."
        )
    prefix = data[: start + 4 + length]
    try:
        return AESGCM(Seal.key(passphrase, salt, n, r, p)).decrypt(
            nonce, data[len(prefix) :], prefix
        )
    except InvalidTag:
        raise CoderError(
            f"{where}: wrong passphrase, or the file was changed or cut short after it was "
            "written (it does not authenticate). Nothing was written."
        ) from None


class PackFile:
    """Named members (bytes) read from or written to one ``.coderpack`` file."""

    __slots__ = ("members", "path")

    def __init__(self, path: Path, members: Mapping[str, bytes]) -> None:
        self.path = path
        """The file."""
        self.members = dict(members)
        """Member name -> content."""

    @classmethod
    def read(cls, path: Path, passphrase: str | None = None) -> PackFile:
        """Read and check the whole file; ``CoderError`` when it cannot be trusted."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CoderError(f"cannot read {path}: {exc.strerror or exc}") from None
        if not data.startswith(MAGIC):
            raise _damaged(path, "it does not start like a .coderpack file")
        mode = data[len(MAGIC) : len(MAGIC) + 1]
        if mode == SEALED:
            body = _open_sealed(data, passphrase, path)
        elif mode == PLAIN:
            digest, body = data[len(MAGIC) + 1 : len(MAGIC) + 33], data[len(MAGIC) + 33 :]
            if hashlib.sha256(body).digest() != digest:
                raise _damaged(path, "its checksum does not match: changed or cut short")
        else:
            raise _damaged(path, "unknown mode")
        return cls(path, cls._unzip(body, path))

    @staticmethod
    def _unzip(body: bytes, path: Path) -> dict[str, bytes]:
        members: dict[str, bytes] = {}
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                infos = archive.infolist()
                if sum(info.file_size for info in infos) > MAX_UNPACKED:
                    raise zipfile.BadZipFile("it unpacks to more than 2 GiB")
                for info in infos:
                    members[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise _damaged(path, str(exc)) from None
        return members

    def write(self, passphrase: str | None = None) -> None:
        """Write the file (0600, atomically); sealed when ``passphrase`` is given."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name, content in self.members.items():
                archive.writestr(
                    zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)),
                    content,
                    compress_type=zipfile.ZIP_DEFLATED,
                )
        body = buffer.getvalue()
        if passphrase is not None:
            data = DEFAULT_SEAL.seal(body, passphrase)
        else:
            data = MAGIC + PLAIN + hashlib.sha256(body).digest() + body
        self._write_private(data)

    def _write_private(self, data: bytes) -> None:
        target = self.path
        if target.is_dir():
            raise CoderError(f"cannot write {target}: it is a folder")
        if not target.parent.is_dir():
            raise CoderError(f"cannot write {target}: folder {target.parent} does not exist")
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
        except OSError as exc:
            raise CoderError(f"cannot write {target}: {exc.strerror or exc}") from None
        temporary = Path(name)
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise CoderError(f"cannot write {target}: {exc.strerror or exc}") from None
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            raise
