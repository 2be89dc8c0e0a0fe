"""Indicator phrases and token patterns: hits, offsets and reasons."""

from __future__ import annotations

import pytest

from coder.domain.codebook import Code, Codebook
from coder.errors import CoderError
from coder.suggest.analyser import Analyser
from coder.suggest.suggester import Suggester


def book(*codes: Code) -> Codebook:
    return Codebook("test", "2.0.0", ("nb", "en"), codes, source="book.yaml")


def test_hits_keep_words_offsets_and_phrase() -> None:
    code = Code("lonely", {"nb": "Ensom"}, indicators={"nb": ("ingen venner", "ensom")})
    analyser = Analyser(book(code), "nb")
    text = "Først hadde jeg ingen venner. Da ble jeg ensom, veldig ensom."
    [analysis] = analyser.analyse_all([text])
    found = [(h.start, h.end, h.text, h.indicator) for h in analysis.hits]
    assert found == [
        (16, 28, "ingen venner", "ingen venner"),
        (41, 46, "ensom", "ensom"),
        (55, 60, "ensom", "ensom"),
    ]
    assert all(text[s:e] == t for s, e, t, _ in found)
    assert analysis.hit_counts() == {"lonely": 3}


def test_only_the_projects_language_is_matched() -> None:
    code = Code("lonely", {"nb": "Ensom"}, indicators={"nb": ("ensom",), "en": ("lonely",)})
    [nb] = Analyser(book(code), "nb").analyse_all(["I was lonely, ensom."])
    [en] = Analyser(book(code), "en").analyse_all(["I was lonely, ensom."])
    assert [h.text for h in nb.hits] == ["ensom"]
    assert [h.text for h in en.hits] == ["lonely"]


def test_group_headings_have_no_indicators() -> None:
    head = Code("risk", {"nb": "Risiko"}, codable=False, indicators={"nb": ("mobbing",)})
    child = Code("risk.b", {"nb": "Mobbing"}, parent="risk", indicators={"nb": ("mobbing",)})
    [analysis] = Analyser(book(head, child), "nb").analyse_all(["Mobbing."])
    assert [h.code_id for h in analysis.hits] == ["risk.b"]


def test_token_patterns_from_the_codebook() -> None:
    pattern = [{"LOWER": "ble"}, {"LOWER": {"IN": ["slått", "sparket"]}}]
    code = Code("violence", {"nb": "Vold"}, patterns=(pattern,))
    [analysis] = Analyser(book(code), "nb").analyse_all(["Han ble sparket i gangen."])
    assert [(h.text, h.indicator, h.start) for h in analysis.hits] == [
        ("ble sparket", "pattern 1", 4)
    ]


def test_invalid_pattern_names_the_code_and_file() -> None:
    code = Code("bad", {"nb": "Dårlig"}, patterns=([{"NOT_AN_ATTR": "x"}],))
    with pytest.raises(CoderError, match=r"book\.yaml: code 'bad': patterns\[0\]"):
        Analyser(book(code), "nb")


def test_indicator_suggestions_without_a_model_carry_their_reasons() -> None:
    code = Code("bully", {"nb": "Mobbing"}, indicators={"nb": ("mobbing",)})
    other = Code("school", {"nb": "Skole"}, indicators={"nb": ("skolen",)})
    suggester = Suggester(book(code, other), "nb")
    text = "De mobbet meg. Mobbingen sluttet aldri."
    [suggestion] = suggester.suggest(text)
    assert suggestion.code_id == "bully"
    assert suggestion.sources == ("indicators",)
    assert suggestion.model_score is None
    assert suggestion.score == pytest.approx(0.75)  # two hits: 1 - 0.5 ** 2
    assert suggestion.threshold == 0.5 and suggestion.above_threshold
    assert [(r.source, text[r.start : r.end]) for r in suggestion.reasons] == [
        ("indicator", "mobbet"),
        ("indicator", "Mobbingen"),
    ]
    assert suggester.suggest("Ingenting her.") == []
