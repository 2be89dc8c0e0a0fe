"""The cheap language guess: Bokmål or English function words, else the default."""

from __future__ import annotations

from coder.domain.language import guess_language

NB = "Jeg var ikke på skolen, og det er bare sånn at vi ble hjemme med mamma. " * 4
EN = "I was not at school and it is just that we stayed at home with the family. " * 4


def test_norwegian_and_english_are_told_apart() -> None:
    assert guess_language(NB, "en") == "nb"
    assert guess_language(NB.upper(), "en") == "nb"
    assert guess_language(EN, "nb") == "en"


def test_too_few_or_mixed_words_give_the_default() -> None:
    assert guess_language("Hei på deg, og takk.", "en") == "en"
    assert guess_language(NB + EN, "xx") == "xx"
    assert guess_language("", "nb") == "nb"


def test_only_the_first_20000_characters_count() -> None:
    assert guess_language(EN * 200 + NB * 200, "xx") == "en"
