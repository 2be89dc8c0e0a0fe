"""Offset re-mapping: coded text stays on the same words when replacements change lengths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.domain.offset_map import OffsetMap, Replacement


def test_offsets_move_by_the_length_change_before_them() -> None:
    text = "Jeg og Sara gikk til Bakken skole."
    mapping = OffsetMap(text, [Replacement(7, 11, "[NAVN-1]"), Replacement(21, 33, "[SKOLE-1]")])
    assert mapping.new == "Jeg og [NAVN-1] gikk til [SKOLE-1]."
    start, end = mapping.span(7, 16)  # "Sara gikk"
    assert mapping.new[start:end] == "[NAVN-1] gikk"
    assert mapping.span(0, len(text)) == (0, len(mapping.new))
    assert mapping.span(12, 16) == (16, 20)


def test_a_boundary_inside_a_replacement_takes_in_the_whole_placeholder() -> None:
    mapping = OffsetMap("ab Sara Hansen cd", [Replacement(3, 14, "[NAVN-1]")])
    assert mapping.new[slice(*mapping.span(8, 17))] == "[NAVN-1] cd"
    assert mapping.new[slice(*mapping.span(0, 5))] == "ab [NAVN-1]"


def test_overlapping_or_outside_replacements_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        OffsetMap("abcdef", [Replacement(0, 3, "x"), Replacement(2, 4, "y")])
    with pytest.raises(ValueError, match="outside"):
        OffsetMap("abc", [Replacement(2, 5, "x")])
    with pytest.raises(ValueError, match="outside"):
        OffsetMap("abc", []).start(4)


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, list[Replacement], int, int]:
    text = draw(st.text(alphabet="abæøå ", min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=12)))
    replacements = []
    for left, right in zip(cuts[::2], cuts[1::2], strict=False):
        if left < right:
            replacements.append(
                Replacement(left, right, draw(st.text(alphabet="[]NAVN-0123", max_size=12)))
            )
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    return text, replacements, a, b


@given(_case())
def test_the_coded_text_is_the_old_coded_text_pseudonymised(
    case: tuple[str, list[Replacement], int, int],
) -> None:
    text, replacements, a, b = case
    mapping = OffsetMap(text, replacements)
    start, end = mapping.span(a, b)
    assert 0 <= start <= end <= len(mapping.new)
    # the span grows to whole placeholders where a boundary fell inside one
    a2 = min([a, *(r.start for r in replacements if r.start < a < r.end)])
    b2 = max([b, *(r.end for r in replacements if r.start < b < r.end)])
    inside = [
        Replacement(r.start - a2, r.end - a2, r.new)
        for r in replacements
        if a2 <= r.start and r.end <= b2
    ]
    assert mapping.new[start:end] == OffsetMap(text[a2:b2], inside).new
