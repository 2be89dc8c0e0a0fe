"""Project settings as plain values, validated from coder.toml at the boundary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from coder.domain.limits import Limits

DEFAULT_INTERVIEWER = ("I", "Int", "Intervjuer", "Interviewer", "Moderator")
DEFAULT_PARTICIPANT = (
    "D",
    "Deltaker",
    "Deltakar",
    "Participant",
    r"P\d*",
    r"R\d*",
    "Respondent",
    "Informant",
    "Ungdom",
    "Interviewee",
)


@dataclass(frozen=True, slots=True)
class SpeakerRules:
    """Which line-start labels start a turn, and whose turn it is."""

    interviewer: tuple[str, ...] = DEFAULT_INTERVIEWER
    """Labels (regular expressions, matched whole and case-insensitively) of interviewers."""
    participant: tuple[str, ...] = DEFAULT_PARTICIPANT
    """Labels of participants; add names here (``Sara``)."""


@dataclass(frozen=True, slots=True)
class SegmentationRules:
    """How turns become excerpts."""

    max_chars: int = 1500
    """Turns longer than this are split at paragraphs, then line breaks, then sentence ends."""
    code_interviewer: bool = False
    """Whether interviewer turns are offered for coding."""


@dataclass(frozen=True, slots=True)
class CodingRules:
    """What the coding screen offers."""

    suggestions: bool = True
    """Whether the coding screen shows code suggestions (from the coder's own model)."""


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """Everything coder.toml says, as plain values."""

    name: str
    """Project name."""
    language: str
    """Transcript language (``nb``, ``en``); also the default label language."""
    codebook: str
    """Codebook path, relative to the project folder."""
    transcripts: str = "transcripts"
    """Transcript folder, relative to the project folder."""
    speakers: SpeakerRules = field(default_factory=SpeakerRules)
    """Speaker label rules."""
    segmentation: SegmentationRules = field(default_factory=SegmentationRules)
    """Excerpt rules."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> keys overrides for the TUI."""
    coding: CodingRules = field(default_factory=CodingRules)
    """Coding-screen rules."""
    pipeline: str | None = None
    """Name of an installed trained spaCy pipeline to use for suggestions."""
    limits: Limits = field(default_factory=Limits)
    """Size limits of the file readers (``[limits]``, see docs/limits.md)."""
    privacy_key: str | None = None
    """Path of the pseudonymisation key (outside the project), from ``[privacy] key``."""
