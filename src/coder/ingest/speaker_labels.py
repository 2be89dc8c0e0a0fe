"""Speaker labels: which line-start ``LABEL:`` starts a turn, and whose turn it is.

A label may follow a timestamp (``[00:00:05] Intervjuer:``, ``(0:05) P1:``, ``00:00:05.123 I:``)
and may be a small variant of a configured label: with a period before the colon (``Int.:``),
with a number after it (``Deltaker 2:``, ``Interviewer1:``), or in brackets (``[Sara]:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coder.domain.label_pattern import LabelPattern, LabelPatternError
from coder.domain.settings import SpeakerRules
from coder.domain.transcript import Role
from coder.errors import ConfigError, Problem

_TIME = r"\d{1,2}:[0-5]\d(?::[0-5]\d)?(?:[.,]\d{1,3})?"
"""``m:ss``, ``mm:ss``, ``h:mm:ss`` or ``hh:mm:ss``, optionally with a fraction of a second."""

_CANDIDATE = re.compile(
    rf"^[ \t]*(?:(?P<stamp>\[{_TIME}\]|\({_TIME}\)|{_TIME})[ \t]+)?"
    r"(?P<label>[^\s:][^:\n]{0,59}?)[ \t]*:(?=[ \t]|$)",
    re.MULTILINE,
)
"""A line that starts ``something:`` (perhaps after a timestamp) followed by a space, a tab or
the end of the line."""

_NUMBERED = re.compile(r"(?P<base>(?:\S.*?)?[^\W\d_])[ \t]+\d{1,3}|(?P<word>\S*[^\W\d_]{3})\d{1,3}")
"""A label ending in a letter, then white space and a number of 1-3 digits (``Deltaker 2``;
not a year, as in ``I 2020:``), or ending in three letters and the number (``Interviewer1``;
not ``D12``)."""
_BRACKETED = re.compile(r"\[(?P<inner>[^\[\]]+)\]|\((?P<paren>[^()]+)\)")
"""A label in square brackets or parentheses (``[id1]``, ``(Sara)``)."""

_LABEL_WORD = re.compile(r"[^\W_][\w.'’-]*")
"""A word of a label-like text: a letter or digit, then letters, digits, ``_ . ' -``."""

LABEL_LIKE_MAX_CHARS = 30
"""Unlisted label-like texts longer than this are taken for prose."""

ROLE_MEMO_SIZE = 4096
"""Distinct labels whose role a matcher remembers (a transcript repeats a few labels)."""


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A line that starts a speaker turn."""

    line_start: int
    """Offset of the line's first character."""
    content_start: int
    """Offset just after the label's colon."""
    speaker: str
    """The label as written (``Deltaker``, ``P3``, ``Deltaker 2``), without a timestamp."""
    role: Role
    """Interviewer or participant."""
    start_time: float | None = None
    """Seconds given by a timestamp before the label, if there is one."""


@dataclass(frozen=True, slots=True)
class UnlistedLabel:
    """A line that starts like a speaker label but matches no speaker rule."""

    line_start: int
    """Offset of the line's first character."""
    label: str
    """The label-like text as written, without the colon or a timestamp (``Sara``)."""


@dataclass(frozen=True, slots=True)
class SpeakerMatcher:
    """Compiled speaker rules; build it with ``SpeakerMatcher.from_rules``."""

    interviewer: tuple[LabelPattern, ...]
    """Interviewer label patterns, case-insensitive, matched in linear time (RE2)."""
    participant: tuple[LabelPattern, ...]
    """Participant label patterns, case-insensitive, matched in linear time (RE2)."""
    _roles: dict[str, Role | None] = field(default_factory=dict, compare=False, repr=False)
    """Memo of ``role_of`` (the RE2 matches dominate an import otherwise)."""

    @classmethod
    def from_rules(cls, rules: SpeakerRules) -> SpeakerMatcher:
        """Compile the rules; an invalid pattern raises ConfigError naming it."""
        return cls(
            interviewer=_compile(rules.interviewer, "speakers.interviewer"),
            participant=_compile(rules.participant, "speakers.participant"),
        )

    def role_of(self, label: str) -> Role | None:
        """The role of ``label``, else None.

        A role's patterns must match the label whole (interviewer patterns first), or match it
        without one trailing period (``Int.``), without a number of 1-3 digits (``Deltaker 2``,
        ``Interviewer1``), or without brackets around it (``[Sara]``); the label as written is
        tried first.
        """
        try:
            return self._roles[label]
        except KeyError:
            pass
        role = self._match(label.strip())
        if len(self._roles) < ROLE_MEMO_SIZE:
            self._roles[label] = role
        return role

    def _match(self, label: str) -> Role | None:
        for candidate in _variants(label):
            if any(pattern.fullmatch(candidate) for pattern in self.interviewer):
                return Role.INTERVIEWER
            if any(pattern.fullmatch(candidate) for pattern in self.participant):
                return Role.PARTICIPANT
        return None

    def labelled_lines(self, text: str) -> list[LabelledLine]:
        """Every line of ``text`` that starts with a known speaker label, in order."""
        found: list[LabelledLine] = []
        for match in _CANDIDATE.finditer(text):
            role = self.role_of(match["label"])
            if role is not None:
                stamp = match["stamp"]
                seconds = None if stamp is None else timestamp_seconds(stamp)
                found.append(
                    LabelledLine(match.start(), match.end(), match["label"], role, seconds)
                )
        return found

    def unlisted_labels(self, text: str) -> list[UnlistedLabel]:
        """Lines that look like a speaker label followed by a space but match no rule.

        Label-like is 1-3 space-separated words, each starting with a capital letter or a
        digit (``Sara``, ``Ola Nordmann``, ``D1``, ``SPEAKER_01``), at most 30 characters.
        """
        found: list[UnlistedLabel] = []
        for match in _CANDIDATE.finditer(text):
            label = match["label"]
            followed_by_space = match.end() < len(text) and text[match.end()] in " \t"
            if followed_by_space and looks_like_label(label) and self.role_of(label) is None:
                found.append(UnlistedLabel(match.start(), label))
        return found


def looks_like_label(text: str) -> bool:
    """Whether ``text`` (before a colon) is short, capitalised words, like a speaker's name.

    In brackets (``[id1]``) the words need not be capitalised: the brackets mark a label.
    """
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed is not None:
        inner = (bracketed["inner"] or bracketed["paren"]).strip()
        return bool(inner) and looks_like_label(inner[:1].upper() + inner[1:])
    words = text.split(" ")
    return (
        len(text) <= LABEL_LIKE_MAX_CHARS
        and 1 <= len(words) <= 3
        and all(
            _LABEL_WORD.fullmatch(word) and (word[0].isupper() or word[0].isdigit())
            for word in words
        )
    )


def timestamp_seconds(stamp: str) -> float:
    """Seconds of a timestamp such as ``[00:01:05]``, ``(1:05)`` or ``00:01:05,250``."""
    clock, _, fraction = stamp.strip("[]()").replace(",", ".").partition(".")
    seconds = 0
    for part in clock.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds + (float(f"0.{fraction}") if fraction else 0.0)


def _variants(label: str) -> list[str]:
    """``label``, then what it is a variant of: it without a trailing period or number, or
    the text inside its brackets (and that text's variants)."""
    found = [label]
    if len(label) > 1 and label.endswith("."):
        found.append(label[:-1])
    numbered = _NUMBERED.fullmatch(label)
    if numbered is not None:
        found.append(numbered["base"] or numbered["word"])
    bracketed = _BRACKETED.fullmatch(label)
    if bracketed is not None:
        inner = (bracketed["inner"] or bracketed["paren"]).strip()
        found.extend(_variants(inner) if inner else ())
    return found


def _compile(patterns: tuple[str, ...], field: str) -> tuple[LabelPattern, ...]:
    """Compile label patterns case-insensitively, reporting every invalid one."""
    compiled: list[LabelPattern] = []
    problems: list[Problem] = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(LabelPattern.compile(pattern))
        except LabelPatternError as exc:
            problems.append(
                Problem(file="coder.toml", line=None, field=f"{field}[{index}]", message=str(exc))
            )
    if problems:
        raise ConfigError(problems)
    return tuple(compiled)
