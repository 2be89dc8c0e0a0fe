"""Pure domain model: dataclasses and rules, no I/O and no heavy imports."""

from __future__ import annotations

from coder.domain.codebook import AttributeSpec, Code, Codebook, Example, Level
from coder.domain.settings import ProjectSettings, SegmentationRules, SpeakerRules
from coder.domain.transcript import Excerpt, ExcerptDraft, Origin, Role

__all__ = [
    "AttributeSpec",
    "Code",
    "Codebook",
    "Example",
    "Excerpt",
    "ExcerptDraft",
    "Level",
    "Origin",
    "ProjectSettings",
    "Role",
    "SegmentationRules",
    "SpeakerRules",
]
