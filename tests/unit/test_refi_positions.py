"""Selection positions from other tools onto coder's text, and selections onto excerpts."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from coder.ingest.decoding import normalise
from coder.refi.document import RefiSelection
from coder.refi.load.excerpt_index import ExcerptIndex, ExcerptRange, Placement
from coder.refi.load.positions import MODES, PositionMap, PositionMode, choose_mode

CRLF2, CRLF1 = PositionMode(2, False), PositionMode(1, False)
RAW = "Interviewer: Hei.\r\n\r\nParticipant: Det var mye mobbing.\r\nOg ensomhet.\r\n"


def selection(start: int, end: int, name: str = "") -> RefiSelection:
    return RefiSelection("00000000-0000-0000-0000-000000000000", name, start, end, None)


def test_text_is_what_the_importer_stores() -> None:
    positions = PositionMap(RAW)
    assert positions.text == normalise(RAW).rstrip("\n")
    assert positions.ambiguous
    assert not PositionMap("plain\ntext").ambiguous


def test_both_crlf_countings_map_onto_the_same_words() -> None:
    positions = PositionMap(RAW)
    for word in ("mobbing", "ensomhet"):
        two = RAW.index(word)
        one = RAW.replace("\r\n", "\n").index(word)
        assert two != one
        start, end = positions.to_text(CRLF2, two, two + len(word))
        assert positions.text[start:end] == word
        start, end = positions.to_text(CRLF1, one, one + len(word))
        assert positions.text[start:end] == word


def test_choose_mode_detects_how_the_tool_counted_crlf() -> None:
    positions = PositionMap(RAW)
    words = ("mobbing", "ensomhet", "Det var")
    as_two = [selection(RAW.index(w), RAW.index(w) + len(w)) for w in words]
    lf = RAW.replace("\r\n", "\n")
    as_one = [selection(lf.index(w), lf.index(w) + len(w)) for w in words]
    assert choose_mode([(positions, as_two)]) == CRLF2
    assert choose_mode([(positions, as_one)]) == CRLF1


def test_a_selection_name_settles_an_otherwise_even_choice() -> None:
    raw = "a\r\nbb cc dd ee"
    positions = PositionMap(raw)
    # 'cc dd' counted with CRLF as one character starts at 5; as two it would be 'c dd '.
    named = [selection(5, 10, name="cc dd")]
    assert choose_mode([(positions, named)]) == CRLF1
    assert choose_mode([(positions, [selection(6, 11, name="cc dd")])]) == CRLF2


def test_a_selection_beyond_the_end_rules_a_counting_out() -> None:
    raw = "ab\r\ncd\r\nef"
    positions = PositionMap(raw)
    assert positions.length(CRLF2) == 10 and positions.length(CRLF1) == 8
    assert choose_mode([(positions, [selection(8, 10)])]) == CRLF2
    assert choose_mode([(positions, [selection(0, 11)])]) is None


def test_utf16_code_units_are_recognised() -> None:
    raw = "Det var 😀 bra og fint"
    positions = PositionMap(raw)
    word = "fint"
    code_points = raw.index(word)
    utf16 = len(raw[:code_points].encode("utf-16-le")) // 2
    assert utf16 == code_points + 1
    chosen = choose_mode([(positions, [selection(utf16, utf16 + 4, name=word)])])
    assert chosen is not None and chosen.utf16
    start, end = positions.to_text(chosen, utf16, utf16 + 4)
    assert positions.text[start:end] == word


def test_decomposed_text_maps_onto_its_nfc_form() -> None:
    raw = unicodedata.normalize("NFD", "Kåre og Øyvind møttes på skolen")
    positions = PositionMap(raw)
    assert positions.text == unicodedata.normalize("NFC", raw)
    word = "skolen"
    start, end = positions.to_text(MODES[0], raw.index(word), raw.index(word) + len(word))
    assert positions.text[start:end] == word


@given(
    st.lists(
        st.sampled_from(["ord", "Ærlig", "😀", " ", "\r\n", "\n", "e\u0301", "\rx", "."]),
        min_size=1,
        max_size=40,
    ),
    st.data(),
)
def test_every_counting_maps_piece_boundaries_onto_the_same_text(
    pieces: list[str], data: st.DataObject
) -> None:
    raw = "".join(pieces)
    positions = PositionMap(raw)
    assert positions.text == normalise(raw).rstrip("\n")
    first = data.draw(st.integers(0, len(pieces)))
    last = data.draw(st.integers(first, len(pieces)))
    expected = normalise("".join(pieces[first:last]))
    for mode in MODES:

        def units(text: str, mode: PositionMode = mode) -> int:
            count = len(text.replace("\r\n", "\n")) if mode.crlf_units == 1 else len(text)
            return count + (sum(ord(c) > 0xFFFF for c in text) if mode.utf16 else 0)

        start = units("".join(pieces[:first]))
        end = start + units("".join(pieces[first:last]))
        assert positions.inside(mode, start, end)
        low, high = positions.to_text(mode, start, end)
        # trailing line ends are not part of coder's text
        assert positions.text[low:high] == expected[: max(0, len(positions.text) - low)]


EXCERPTS = [ExcerptRange(1, 1, 10, 20), ExcerptRange(2, 2, 30, 40), ExcerptRange(3, 3, 40, 50)]


def test_selections_onto_excerpts() -> None:
    index = ExcerptIndex(EXCERPTS)
    whole, second, third = EXCERPTS
    assert index.place(10, 20) == [Placement(whole, None)]
    assert index.place(12, 15) == [Placement(whole, (12, 15))]
    # a selection that includes the speaker label before the excerpt still codes it whole
    assert index.place(4, 20) == [Placement(whole, None)]
    # crossing excerpts: each covered excerpt, clipped
    assert index.place(15, 45) == [
        Placement(whole, (15, 20)),
        Placement(second, None),
        Placement(third, (40, 45)),
    ]
    assert index.place(20, 30) == []  # between excerpts
    assert index.place(12, 12) == []
    assert index.first_at(25) == second
    assert index.first_at(99) == third
