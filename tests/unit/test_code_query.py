"""The code query parser: and, or, not, brackets, ids or labels (any case, æøå), and its errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.codebook import load_codebook
from coder.domain.code_query import CodeQuery, CodeQueryError

BOOK = load_codebook(
    Path(__file__).resolve().parents[2] / "codebooks" / "relational-robustness.yaml"
)
SES, FAMILY, BULLY = "risk.ses", "risk.family", "risk.psychosocial.bullying"


def query(text: str) -> CodeQuery:
    return CodeQuery.parse(text, BOOK)


@pytest.mark.parametrize(
    ("text", "present", "expected"),
    [
        ("risk.ses", {SES}, True),
        ("risk.ses and risk.family", {SES}, False),
        ("risk.ses and risk.family", {SES, FAMILY}, True),
        ("risk.ses not risk.family", {SES, FAMILY}, False),  # A not B = A and not B
        ("risk.ses not risk.family", {SES}, True),
        ("risk.ses or risk.family", {FAMILY}, True),
        ("not risk.ses", set(), True),
        ("risk.ses or risk.family and Mobbing", {SES}, True),  # and binds tighter than or
        ("(risk.ses or risk.family) and Mobbing", {SES}, False),
        ("risk.ses & !risk.family | Mobbing", {BULLY, FAMILY}, True),
        ("RISK.SES AND NOT risk.family", {SES}, True),
    ],
)
def test_boolean_operators(text: str, present: set[str], expected: bool) -> None:
    assert query(text).matches(present) is expected


def test_labels_in_any_language_and_case_with_several_words() -> None:
    assert query("Lav sosioøkonomisk status").codes == {SES}
    assert query("low socio-economic STATUS and not Andre familieforhold").positive == {SES}
    assert query("'Selvfølelse, medbestemmelse og mestring'").codes == {"reconnect.participation"}


def test_decomposed_letters_are_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "dårlig mental helse")  # a + combining ring
    assert decomposed != "dårlig mental helse"
    assert query(decomposed).codes == {"risk.mental_health"}


def test_a_group_heading_stands_for_every_code_under_it() -> None:
    found = query("risk.psychosocial").codes
    assert found == {
        "risk.psychosocial.bullying",
        "risk.psychosocial.loneliness",
        "risk.psychosocial.peers",
        "risk.psychosocial.teacher",
    }
    assert query("risk.psychosocial").matches({"risk.psychosocial.peers"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty code query"),
        ("   ", "empty code query"),
        (
            "risk.sess",
            "unknown code 'risk.sess': neither a code id nor a label of the codebook; "
            "did you mean 'risk.ses'",
        ),
        ("Mobing", "did you mean 'Mobbing'"),
        ("Relasjonelle forhold", "is the label of disconnect.relational, reconnect.relational"),
        ("risk.ses and", "a code is missing after 'and' at the end of 'risk.ses and'"),
        ("and risk.ses", "'and' where a code belongs at character 1"),
        ("(risk.ses or Mobbing", "'(' at character 1 is not closed at the end"),
        ("risk.ses)", "unexpected ')' at character 9"),
        ("risk.ses ( Mobbing )", "unexpected '(' at character 10"),
        ('"Mobbing', 'unclosed " at character 1'),
        ("risk.ses or or Mobbing", "'or' where a code belongs at character 13"),
    ],
)
def test_bad_queries_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(CodeQueryError) as info:
        query(text)
    assert message in str(info.value)


CODES = [SES, FAMILY, BULLY, "risk.school"]


def trees(depth: int = 3) -> st.SearchStrategy[tuple[str, object]]:
    """(query text, the same query as a Python function of the present codes)."""
    leaf = st.sampled_from(CODES).map(lambda c: (c, lambda p, c=c: c in p))
    if depth == 0:
        return leaf
    smaller = trees(depth - 1)

    def combine(op: str, a: tuple[str, object], b: tuple[str, object]) -> tuple[str, object]:
        fa, fb = a[1], b[1]
        functions = {
            "and": lambda p: fa(p) and fb(p),  # type: ignore[operator]
            "or": lambda p: fa(p) or fb(p),  # type: ignore[operator]
            "not": lambda p: fa(p) and not fb(p),  # type: ignore[operator]
        }
        return f"({a[0]} {op} {b[0]})", functions[op]

    negated = smaller.map(lambda a: (f"not ({a[0]})", lambda p, f=a[1]: not f(p)))  # type: ignore[operator]
    binary = st.builds(combine, st.sampled_from(["and", "or", "not"]), smaller, smaller)
    return st.one_of(leaf, negated, binary)


@settings(max_examples=200, deadline=None)
@given(tree=trees(), present=st.sets(st.sampled_from(CODES)))
def test_parsed_queries_mean_what_they_say(tree: tuple[str, object], present: set[str]) -> None:
    text, function = tree
    assert query(text).matches(present) is bool(function(present))  # type: ignore[operator]
