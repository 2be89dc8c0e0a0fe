"""``read_source``: one transcript file from disk to a normalised ``SourceText``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from coder.errors import ImportFailedError
from coder.ingest.decoding import decode, normalise
from coder.ingest.office import read_docx, read_odt
from coder.ingest.source_text import SUPPORTED_SUFFIXES, Cue, SourceText
from coder.ingest.subtitles import parse_subtitles


def read_source(path: Path) -> SourceText:
    """Read a transcript file (.txt .md .docx .odt .vtt .srt) into a ``SourceText``.

    The text is normalised (NFC, ``\\n`` line ends, no BOM, no trailing line ends); the
    sha256 is of the file's bytes as they are on disk. Every problem the file can have is
    raised as ImportFailedError naming the path.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        what = f"file type {suffix!r}" if suffix else "file without an extension"
        raise ImportFailedError(f"{name}: unsupported {what}; supported are {supported}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailedError(f"{name}: cannot read the file: {exc.strerror or exc}") from exc
    if not data:
        raise ImportFailedError(f"{name}: the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    fmt = suffix.removeprefix(".")
    cues: tuple[Cue, ...] = ()
    if fmt == "docx":
        text, encoding = normalise(read_docx(data, name=name)), "docx"
    elif fmt == "odt":
        text, encoding = normalise(read_odt(data, name=name)), "odt"
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
