"""Speaker-label patterns in linear time, Unicode-aware, with warnings for risky shapes (14.3)."""

from __future__ import annotations

import pytest

from coder.domain.label_pattern import (
    LabelPattern,
    LabelPatternError,
    backtracking_risk,
    unicode_classes,
)
from coder.domain.settings import SpeakerRules
from coder.domain.transcript import Role
from coder.errors import ConfigError
from coder.ingest.speaker_labels import SpeakerMatcher


@pytest.mark.parametrize(
    ("pattern", "label"),
    [(r"\w+", "Bjørn"), (r"[\w.]+", "Åse."), (r"Del\w*", "Deltakær"), (r"P\d*", "P٣")],
)
def test_word_and_digit_classes_are_unicode_as_in_python(pattern: str, label: str) -> None:
    assert LabelPattern.compile(pattern).fullmatch(label)


def test_matching_ignores_case_for_norwegian_letters() -> None:
    assert LabelPattern.compile("søster").fullmatch("SØSTER")
    assert not LabelPattern.compile("søster").fullmatch("SØSTERE")


def test_escaped_backslashes_and_literal_brackets_survive_the_rewrite() -> None:
    assert unicode_classes(r"a\\w") == r"a\\w"
    assert unicode_classes(r"[]\w]") == r"[]\p{L}\p{N}_]"
    assert unicode_classes(r"\W") == r"[^\p{L}\p{N}_]"
    assert LabelPattern.compile(r"[]x]+").fullmatch("]x]")


def test_a_backreference_is_refused_with_what_to_do() -> None:
    with pytest.raises(LabelPatternError, match=r"no backreferences or lookaround"):
        LabelPattern.compile(r"(a)\1")
    with pytest.raises(ConfigError, match=r"speakers.participant\[1\]"):
        SpeakerMatcher.from_rules(
            SpeakerRules.model_construct(interviewer=("I",), participant=("D", r"(?=D)D"))
        )


def test_an_invalid_pattern_keeps_pythons_message() -> None:
    with pytest.raises(LabelPatternError, match=r"invalid speaker pattern '\(D'"):
        LabelPattern.compile("(D")


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(\w*)*", r"(?:x|y+)*z", r"((ab)+c?)+"])
def test_nested_repeats_are_flagged(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None


@pytest.mark.parametrize(
    "pattern", ["I", r"P\d*", r"Deltak[ae]r", r"(Int|Intervjuer)\.?", r"(ab){1,3}c", "R\\d+"]
)
def test_ordinary_patterns_are_not_flagged(pattern: str) -> None:
    assert backtracking_risk(pattern) is None


def test_roles_are_unchanged_for_the_default_rules() -> None:
    matcher = SpeakerMatcher.from_rules(SpeakerRules())
    assert matcher.role_of("Intervjuer") is Role.INTERVIEWER
    assert matcher.role_of("p12") is Role.PARTICIPANT
    assert matcher.role_of("Deltaker 2") is Role.PARTICIPANT
    assert matcher.role_of("Sara") is None
