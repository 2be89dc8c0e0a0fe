"""A transcript source as read from disk: ``read_source`` and the normalised ``SourceText``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from coder.domain.limits import Limits
from coder.errors import ImportFailedError
from coder.ingest.decoding import decode, normalise
from coder.ingest.office import read_docx, read_odt
from coder.ingest.subtitles import Cue, parse_subtitles

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".docx", ".odt", ".vtt", ".srt"})
"""File name suffixes (lower case, with the dot) that ``read_source`` can read."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A transcript file's text, normalised, with its provenance."""

    text: str
    """Text in NFC with ``\\n`` line ends and no BOM; offsets point into it."""
    sha256: str
    """Hex SHA-256 of the original file bytes."""
    format: str
    """Reader used: ``txt``, ``md``, ``docx``, ``odt``, ``vtt`` or ``srt``."""
    encoding: str
    """Detected text encoding (``utf-8``, ``cp1252``, ...), or ``docx``/``odt``."""
    cues: tuple[Cue, ...] = ()
    """Subtitle cues in text order; empty for non-subtitle formats."""


def read_source(path: Path, limits: Limits | None = None) -> SourceText:
    """Read a transcript file (.txt .md .docx .odt .vtt .srt) into a ``SourceText``.

    The text is normalised (NFC, ``\\n`` line ends, no BOM, no trailing line ends); the
    sha256 is of the file's bytes as they are on disk. Every problem the file can have is
    raised as ImportFailedError naming the path; a file above a size limit (``limits``, the
    defaults unless given) is refused before it is read.
    """
    limits = limits or Limits()
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        what = f"file type {suffix!r}" if suffix else "file without an extension"
        raise ImportFailedError(f"{name}: unsupported {what}; supported are {supported}")
    fmt = suffix.removeprefix(".")
    try:
        if fmt not in ("docx", "odt"):
            limits.check("transcript_mb", path.stat().st_size, f"{name}: the transcript")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailedError(f"{name}: cannot read the file: {exc.strerror or exc}") from exc
    if not data:
        raise ImportFailedError(f"{name}: the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    cues: tuple[Cue, ...] = ()
    if fmt == "docx":
        text, encoding = normalise(read_docx(data, name=name, limits=limits)), "docx"
    elif fmt == "odt":
        text, encoding = normalise(read_odt(data, name=name, limits=limits)), "odt"
    else:
        raw, encoding = decode(data, name=name)
        text = normalise(raw)
        if fmt in ("vtt", "srt"):
            if not text.strip():
                raise ImportFailedError(f"{name}: the file has no text, only white space")
            text, cues = parse_subtitles(text, kind=fmt, name=name)
            if not cues:
                raise ImportFailedError(f"{name}: the subtitle file has no cues with text")
    text = text.rstrip("\n")
    if not text.strip():
        raise ImportFailedError(f"{name}: the file has no text, only white space")
    return SourceText(text=text, sha256=digest, format=fmt, encoding=encoding, cues=cues)
