"""Speaker labels: which line-start ``LABEL:`` starts a turn, and whose turn it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coder.domain.settings import SpeakerRules
from coder.domain.transcript import Role
from coder.errors import ConfigError, Problem

_CANDIDATE = re.compile(r"^[ \t]*([^\s:][^:\n]{0,59}?)[ \t]*:(?=[ \t]|$)", re.MULTILINE)
"""A line that starts ``something:`` followed by a space, a tab or the end of the line."""


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A line that starts a speaker turn."""

    line_start: int
    """Offset of the line's first character."""
    content_start: int
    """Offset just after the label's colon."""
    speaker: str
    """The label as written (``Deltaker``, ``P3``)."""
    role: Role
    """Interviewer or participant."""


@dataclass(frozen=True, slots=True)
class SpeakerMatcher:
    """Compiled speaker rules; build it with ``SpeakerMatcher.from_rules``."""

    interviewer: tuple[re.Pattern[str], ...]
    """Interviewer label patterns, case-insensitive."""
    participant: tuple[re.Pattern[str], ...]
    """Participant label patterns, case-insensitive."""

    @classmethod
    def from_rules(cls, rules: SpeakerRules) -> SpeakerMatcher:
        """Compile the rules; an invalid pattern raises ConfigError naming it."""
        return cls(
            interviewer=_compile(rules.interviewer, "speakers.interviewer"),
            participant=_compile(rules.participant, "speakers.participant"),
        )

    def role_of(self, label: str) -> Role | None:
        """The role whose patterns fully match ``label`` (interviewer first), else None."""
        label = label.strip()
        if any(pattern.fullmatch(label) for pattern in self.interviewer):
            return Role.INTERVIEWER
        if any(pattern.fullmatch(label) for pattern in self.participant):
            return Role.PARTICIPANT
        return None

    def labelled_lines(self, text: str) -> list[LabelledLine]:
        """Every line of ``text`` that starts with a known speaker label, in order."""
        found: list[LabelledLine] = []
        for match in _CANDIDATE.finditer(text):
            role = self.role_of(match.group(1))
            if role is not None:
                found.append(LabelledLine(match.start(), match.end(), match.group(1), role))
        return found


def _compile(patterns: tuple[str, ...], field: str) -> tuple[re.Pattern[str], ...]:
    """Compile label patterns case-insensitively, reporting every invalid one."""
    compiled: list[re.Pattern[str]] = []
    problems: list[Problem] = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            problems.append(
                Problem(
                    file="coder.toml",
                    line=None,
                    field=f"{field}[{index}]",
                    message=f"invalid speaker label pattern {pattern!r}: {exc}",
                )
            )
    if problems:
        raise ConfigError(problems)
    return tuple(compiled)
