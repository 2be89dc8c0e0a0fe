"""Transcripts cut into excerpts, the unit of coding and of agreement."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Who speaks in a turn."""

    INTERVIEWER = "interviewer"
    PARTICIPANT = "participant"
    UNKNOWN = "unknown"


class Origin(StrEnum):
    """How a coding came about."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"
    IMPORTED = "imported"
    CONSENSUS = "consensus"


@dataclass(frozen=True, slots=True)
class ExcerptDraft:
    """An excerpt as the segmenter cuts it, before it is stored."""

    start: int
    """First code point of the excerpt in the normalised text."""
    end: int
    """One past the last code point."""
    speaker: str | None
    """Speaker label as written (``Deltaker``, ``P3``), or None."""
    role: Role
    """Interviewer, participant or unknown."""
    codable: bool
    """Whether the UI offers it for coding (interviewer turns are context)."""
    start_time: float | None = None
    """Start in seconds, for subtitle sources."""
    end_time: float | None = None
    """End in seconds, for subtitle sources."""


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A stored excerpt: ``[start, end)`` of its transcript's text."""

    id: int
    """Database id."""
    transcript_id: str
    """The transcript it belongs to."""
    seq: int
    """1-based number within the transcript, counting every excerpt."""
    start: int
    """First code point."""
    end: int
    """One past the last code point."""
    speaker: str | None
    """Speaker label as written."""
    role: Role
    """Interviewer, participant or unknown."""
    codable: bool
    """Whether the UI offers it for coding."""
    text: str
    """The excerpt's text."""
    start_time: float | None = None
    """Start in seconds, for subtitle sources."""
    end_time: float | None = None
    """End in seconds, for subtitle sources."""
