"""A transcript source as read from disk: normalised text plus what is known about it."""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".docx", ".odt", ".vtt", ".srt"})
"""File name suffixes (lower case, with the dot) that ``read_source`` can read."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue, located in the text built from a .vtt or .srt file."""

    start: int
    """First code point of the cue's text in ``SourceText.text``."""
    end: int
    """One past the last code point of the cue's text."""
    start_time: float
    """When the cue starts, in seconds."""
    end_time: float
    """When the cue ends, in seconds."""
    voice: str | None
    """Who speaks, from a ``<v Name>`` tag or a ``Name:`` label, or None."""


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
