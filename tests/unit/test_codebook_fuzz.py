"""Arbitrary input never fails with anything but the project's own error type."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from coder.codebook import parse_codebook
from coder.errors import CoderError

yaml_tokens = st.sampled_from(
    [
        "codebook:",
        "codes:",
        "attributes:",
        "  - id: a",
        "    parent: b",
        "  name: x",
        "    label: {nb: Æ}",
        "    hotkey: 1",
        "    color: '#ffffff'",
        "    kind: ordinal",
        "    levels: []",
        "&a",
        "*a",
        "[",
        "]",
        "{",
        "}",
        "- ",
        ": ",
        "'",
        '"',
        "\t",
        "\n",
        "!!python/object:os.system",
        "2024-13-45",
        "~",
        "yes",
        "ø",
        "    codable: false",
    ]
)


def check(text: str | bytes) -> None:
    with contextlib.suppress(CoderError):
        parse_codebook(text, "fuzz.yaml")


@settings(max_examples=300, deadline=None)
@given(st.lists(yaml_tokens, max_size=40).map("".join))
def test_token_soup_raises_only_coder_errors(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_raises_only_coder_errors(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_raise_only_coder_errors(data: bytes) -> None:
    check(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "codebook": json_values,
            "codes": json_values,
            "attributes": json_values,
            "extra": json_values,
        },
    )
)
def test_structured_garbage_raises_only_coder_errors(data: dict[str, object]) -> None:
    import yaml

    check(yaml.safe_dump(data, allow_unicode=True))
