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


# Valid codebooks, generated: the checks above would pass for a loader that refuses everything,
# so these prove that well-formed input (any labels, æøå, nesting, hotkeys) is accepted intact.

label_text = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "P"), include_characters="æøåÆØÅ"),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() != "")


@st.composite
def valid_codebooks(draw: st.DrawFn) -> dict[str, object]:
    from coder.domain.keys import RESERVED_HOTKEYS

    free_keys = [
        key for key in "0123456789abcdefghijklmnopqrstuvwxyz" if key not in RESERVED_HOTKEYS
    ]
    count = draw(st.integers(min_value=1, max_value=8))
    keys = draw(st.permutations(free_keys))
    codes: list[dict[str, object]] = []
    for index in range(count):
        code: dict[str, object] = {
            "id": f"c{index}" + draw(st.sampled_from(["", ".x", "_y", "-z"])),
            "label": {"nb": draw(label_text), "en": draw(label_text)},
        }
        if index and draw(st.booleans()):
            code["parent"] = codes[draw(st.integers(min_value=0, max_value=index - 1))]["id"]
        if draw(st.booleans()):
            code["hotkey"] = keys[index]
        if draw(st.booleans()):
            code["description"] = draw(label_text)
        codes.append(code)
    return {"codebook": {"name": draw(label_text), "languages": ["nb", "en"]}, "codes": codes}


@settings(max_examples=150, deadline=None)
@given(valid_codebooks())
def test_valid_codebooks_are_accepted_intact(data: dict[str, object]) -> None:
    import yaml

    book = parse_codebook(yaml.safe_dump(data, allow_unicode=True), "valid.yaml")
    codes = data["codes"]
    assert isinstance(codes, list)
    assert sorted(code.id for code in book.codes) == sorted(str(code["id"]) for code in codes)
    for written in codes:
        code = book.code(str(written["id"]))
        assert dict(code.label) == {lang: text.strip() for lang, text in written["label"].items()}
        assert code.parent == written.get("parent")
        assert code.hotkey == written.get("hotkey")
