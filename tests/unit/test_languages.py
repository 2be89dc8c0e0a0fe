"""coder.toml ``language``: any language spaCy tokenises; labels fall back to the codebook's first."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.domain.language import check_language, guess_language, tokenizer_languages
from coder.errors import ConfigError
from coder.export.cases import _word as count_word
from coder.export.table import coded_words, source_labels
from coder.project.config import parse_settings
from support.processes import modules_after

TOML = """\
[project]
name = "Studie"
language = "{language}"
codebook = "codebooks/book.yaml"
"""

DANISH = (
    "Jeg var ikke i skole, og det er bare sådan at vi blev hjemme med min mor. Hun har "
    "ikke arbejde, så vi var meget sammen, og jeg har det ikke godt med det nu. " * 4
)
NYNORSK = "Eg var ikkje på skulen, og det er berre slik at vi vart heime med mamma. " * 6


@pytest.mark.parametrize("language", ["da", "sv", "de", "nn", "fi", "nb", "en"])
def test_settings_accept_every_language_spacy_tokenises(language: str) -> None:
    assert parse_settings(TOML.format(language=language), "coder.toml").language == language


@pytest.mark.parametrize(
    ("value", "hint"),
    [("dk", "'da'"), ("no", "'nb'"), ("NB", "'nb'"), ("svenska", None), ("", None)],
)
def test_a_bad_language_names_the_file_the_line_and_the_value(value: str, hint: str | None) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(TOML.format(language=value), "/p/coder.toml")
    (problem,) = info.value.problems
    text = str(problem)
    assert text.startswith("/p/coder.toml:3: project.language: ")
    assert f"language {value!r} is not a language spaCy has a tokenizer for" in text
    assert ("did you mean " + hint) in text if hint else "did you mean" not in text


def test_the_installed_languages_are_read_without_importing_spacy() -> None:
    loaded = modules_after(
        "from coder.domain.language import tokenizer_languages as t\n"
        "found = t()\nassert {'nb', 'nn', 'da', 'sv', 'de', 'en'} <= found, found\n"
        "from coder.project.config import parse_settings\n"
        'parse_settings(\'[project]\\nname = "x"\\nlanguage = "da"\\ncodebook = "b"\\n\', \'f\')'
    )
    assert "spacy" not in loaded
    assert len(tokenizer_languages()) > 40
    assert "lex_attrs" not in tokenizer_languages()  # files of spacy/lang are not languages


def test_check_language_refuses_what_spacy_lacks() -> None:
    assert check_language("nn") == "nn"
    with pytest.raises(ValueError, match="did you mean 'sv'"):
        check_language("se")


def test_danish_and_nynorsk_transcripts_are_not_taken_for_bokmal() -> None:
    assert guess_language(DANISH, "nb") == "nb"  # a Bokmål project: Danish looks like Bokmål
    assert guess_language(DANISH, "da") == "da"
    assert guess_language(NYNORSK, "nn") == "nn"
    english = "I was not at school and it is just that we stayed at home with the family. " * 4
    assert guess_language(english, "da") == "en"


def test_labels_fall_back_to_the_codebooks_first_language(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(
        "codebook: {name: Bok, languages: [nb, en]}\n"
        "codes:\n"
        "  - {id: a, label: {en: Bullying, nb: Mobbing}}\n"
        "  - {id: b, label: {en: Only English}}\n"
        "attributes:\n"
        "  - id: r\n"
        "    label: {en: Robustness, nb: Robusthet}\n"
        "    kind: ordinal\n"
        "    levels: [{id: s, label: {en: Steady, nb: Stødig}}]\n",
        encoding="utf-8",
    )
    codebook = load_codebook(book)
    assert codebook.label_language("da") == "nb"
    assert codebook.label_language("en") == "en"
    assert codebook.code("a").label_in("da") == "Mobbing"  # not the first label written (en)
    assert codebook.code("b").label_in("da") == "Only English"
    assert codebook.attribute("r").label_in("sv") == "Robusthet"
    assert codebook.attribute("r").levels[0].label_in("sv") == "Stødig"


def test_export_value_labels_in_nordic_languages_and_german() -> None:
    assert coded_words("sv") == ("Inte kodad", "Kodad")
    assert coded_words("nn") == ("Ikkje koda", "Koda")
    assert coded_words("da") == ("Ikke kodet", "Kodet")
    assert coded_words("fi") == ("Not coded", "Coded")  # no words yet: English
    assert source_labels({"de": "Robustheit", "fi": "Kestävyys"}) == {
        "de": "Quelle von Robustheit",
        "fi": "Source of Kestävyys",
    }
    assert count_word("sv", 0) == "Antal utdrag"
