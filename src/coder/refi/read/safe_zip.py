"""Reading a .qdpx (a zip) without trusting it: names, sizes and compression checked first.

Every entry is checked before anything is read: no absolute paths or ``..`` parts, no
encrypted entries, no entry larger than the limit, not too much in all, and no entry that
expands more than ``max_ratio`` times (a zip bomb). Reading stops at the size the entry
declared, so a lying header cannot make it read more. Nothing is ever extracted to disk by its
name inside the zip.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coder.domain.limits import Limits
from coder.errors import CoderError

_DRIVE = re.compile(r"^[A-Za-z]:")
_MIB = 1024 * 1024


class HostileFileError(CoderError):
    """A file that looks built to harm the reader (zip bomb, path traversal, XML entities)."""


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How much a .qdpx may hold (the sizes default to ``coder.domain.limits.Limits``)."""

    max_entry_bytes: int = Limits().bytes("refi_entry_mb")
    """Largest uncompressed size of one entry (``refi_entry_mb``)."""
    max_total_bytes: int = Limits().bytes("refi_total_mb")
    """Largest uncompressed size of all entries together (``refi_total_mb``)."""
    max_ratio: float = 200.0
    """Largest uncompressed/compressed size ratio of an entry bigger than ``ratio_floor``."""
    ratio_floor: int = 1 * _MIB
    """Entries smaller than this are not checked for their ratio (tiny files compress well)."""
    max_entries: int = 100_000
    """Most entries."""
    max_project_bytes: int = Limits().bytes("refi_project_mb")
    """Largest project.qde or .qdc, uncompressed: it is parsed into memory (``refi_project_mb``)."""

    @classmethod
    def from_limits(cls, limits: Limits) -> ZipLimits:
        """The zip limits of a set of reader limits."""
        return cls(
            max_entry_bytes=limits.bytes("refi_entry_mb"),
            max_total_bytes=limits.bytes("refi_total_mb"),
            max_project_bytes=limits.bytes("refi_project_mb"),
        )


def raise_hint(name: str, actual: int) -> str:
    """How to raise a REFI limit for a file of ``actual`` bytes."""
    return f"if the file is genuine, raise the limit: --limit {name}={-(-actual // _MIB) + 1}"


def _unsafe_name(name: str) -> str | None:
    """Why an entry name is unsafe, or None."""
    if not name or "\x00" in name:
        return "has an empty or NUL-containing name"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "has an absolute path"
    if any(part == ".." for part in re.split(r"[\\/]", name)):
        return "has a '..' path part"
    return None


class SafeZip:
    """An opened, checked .qdpx; use as a context manager."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = path
        self.limits = limits or ZipLimits()
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise CoderError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CoderError(f"{path}: not a .qdpx (zip) file ({exc})") from None
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise

    def _refuse(self, name: str, why: str) -> HostileFileError:
        return HostileFileError(f"{self.path}: refused: zip entry {name!r} {why}; nothing imported")

    def _check(self) -> None:
        limits = self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_entries:
            raise HostileFileError(
                f"{self.path}: refused: {len(infos)} zip entries (at most {limits.max_entries})"
            )
        total = 0
        for info in infos:
            why = _unsafe_name(info.filename)
            if why is not None:
                raise self._refuse(info.filename, why)
            if info.flag_bits & 0x1:
                raise self._refuse(info.filename, "is encrypted")
            # the project XML has a limit of its own: it is parsed, not just held
            name, cap = "refi_entry_mb", limits.max_entry_bytes
            if info.filename.lower().endswith(".qde"):
                name, cap = "refi_project_mb", limits.max_project_bytes
            if info.file_size > cap:
                raise self._refuse(
                    info.filename,
                    f"would expand to {info.file_size:,} bytes "
                    f"(at most {cap:,} per entry, the limit {name}; "
                    f"{raise_hint(name, info.file_size)})",
                )
            compressed = max(info.compress_size, 1)
            if (
                info.file_size > limits.ratio_floor
                and info.file_size / compressed > limits.max_ratio
            ):
                raise self._refuse(
                    info.filename,
                    f"is compressed {info.file_size / compressed:,.0f} times "
                    f"(at most {limits.max_ratio:g}): a zip bomb?",
                )
            total += info.file_size
            if total > limits.max_total_bytes:
                total = sum(entry.file_size for entry in infos)
                raise HostileFileError(
                    f"{self.path}: refused: the entries would expand to {total:,} bytes, more "
                    f"than {limits.max_total_bytes:,} bytes (the limit refi_total_mb); nothing "
                    f"imported; {raise_hint('refi_total_mb', total)}"
                )

    def names(self) -> list[str]:
        """Entry names (files only), in the zip's order."""
        return [info.filename for info in self._zip.infolist() if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The entry called ``name``, matched without regard to case or slash direction."""
        wanted = name.replace("\\", "/").lower()
        for entry in self.names():
            if entry.replace("\\", "/").lower() == wanted:
                return entry
        return None

    def size(self, name: str) -> int:
        """An entry's declared uncompressed size."""
        return int(self._zip.getinfo(name).file_size)

    def read(self, name: str) -> bytes:
        """An entry's bytes, read no further than its declared size."""
        info = self._zip.getinfo(name)
        limit = info.file_size
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(min(1 * _MIB, limit - size + 1))
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise self._refuse(name, "holds more data than its header declares")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise CoderError(f"{self.path}: cannot read zip entry {name!r} ({exc})") from None
        return b"".join(chunks)

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
