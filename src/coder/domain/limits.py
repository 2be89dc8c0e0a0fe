"""Size limits of the readers: what a file may hold before coder refuses it, in one place.

Every reader of user files checks its limit *before* it decompresses or parses, so a hostile
or broken file (a zip bomb in a .docx, a YAML alias bomb, a project.qde of gigabytes) is
refused in bounded memory, with a message that names the limit and how to raise it. The
defaults keep a whole import within 2 GiB of address space; ``docs/limits.md`` lists them.
Projects raise them in ``coder.toml`` under ``[limits]``; ``coder import-refi`` (which makes a
new project) takes ``--limit NAME=VALUE``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from coder.errors import CoderError, ImportFailedError

MIB = 1024 * 1024


class LimitExceededError(ImportFailedError):
    """An input is larger than a configured limit; the message names the limit."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much each reader accepts; sizes in MiB (uncompressed unless said otherwise)."""

    transcript_mb: int = 64
    """A text transcript (.txt .md .vtt .srt) on disk; 64 MiB is some 30,000 pages."""
    document_mb: int = 256
    """All parts of a .docx or .odt together, uncompressed (text, styles, pictures)."""
    document_xml_mb: int = 32
    """The XML a .docx or .odt reader parses (document.xml / content.xml), uncompressed."""
    codebook_mb: int = 8
    """A codebook YAML file on disk."""
    codebook_nodes: int = 200_000
    """YAML nodes of a codebook once aliases are expanded (an alias bomb expands to billions)."""
    refi_entry_mb: int = 128
    """One entry of a .qdpx, uncompressed (a source text, a picture)."""
    refi_total_mb: int = 512
    """All entries of a .qdpx together, uncompressed (the texts are held in memory)."""
    refi_project_mb: int = 160
    """The project.qde (or .qdc) XML, uncompressed; it is parsed into memory (300,000
    codings take about 100 MiB)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every limit's name, as written in ``[limits]`` and ``--limit``."""
        return tuple(item.name for item in fields(cls))

    def with_values(self, values: dict[str, int]) -> Limits:
        """A copy with some limits changed; unknown names or values below 1 raise CoderError."""
        for name, value in values.items():
            if name not in self.names():
                raise CoderError(f"unknown limit {name!r} (limits: {', '.join(self.names())})")
            if value < 1:
                raise CoderError(f"limit {name} must be at least 1, not {value}")
        return replace(self, **values)

    def bytes(self, name: str) -> int:
        """A size limit in bytes."""
        return int(getattr(self, name)) * MIB

    def check(self, name: str, actual: int, what: str, *, raise_with: str = "coder.toml") -> None:
        """Refuse ``what`` when ``actual`` (bytes, or a count for ``codebook_nodes``) is above
        the limit ``name``; ``raise_with`` says how the user raises it."""
        if name == "codebook_nodes":
            limit, shown = int(self.codebook_nodes), f"{actual:,} nodes"
            unit = ""
        else:
            limit, shown, unit = self.bytes(name), _mib(actual), " MiB"
        if actual <= limit:
            return
        suggested = max(int(getattr(self, name)) * 2, _ceil_mib(actual) if unit else actual)
        how = (
            f"--limit {name}={suggested}"
            if raise_with == "--limit"
            else f"coder.toml [limits] {name} = {suggested}"
        )
        raise LimitExceededError(
            f"{what} is {shown}, above the limit {name} = {getattr(self, name):,}{unit}; "
            f"nothing was read. If the file is genuine, raise the limit ({how}); see "
            "docs/limits.md"
        )


def _mib(size: int) -> str:
    """A byte count for a message: MiB with one decimal."""
    return f"{size / MIB:,.1f} MiB"


def _ceil_mib(size: int) -> int:
    """``size`` bytes rounded up to whole MiB, plus one."""
    return -(-size // MIB) + 1
