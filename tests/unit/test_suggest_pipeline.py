"""The suggestion pipeline: stemming component, trained-or-blank choice, indicators on stems."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.domain.codebook import Code, Codebook
from coder.errors import CoderError
from coder.suggest.analyser import Analyser
from coder.suggest.pipeline import STEMMER_FACTORY, load_pipeline
from coder.suggest.stemmer import Stemmer


def codebook(language: str, **indicators: tuple[str, ...]) -> Codebook:
    codes = tuple(
        Code(code_id, {language: code_id}, indicators={language: phrases})
        for code_id, phrases in indicators.items()
    )
    return Codebook("test", "1.0.0", (language,), codes)


@pytest.mark.parametrize("form", ["mobbing", "mobbingen", "mobbet", "Mobbinga", "mobbe"])
def test_inflected_norwegian_forms_meet_the_indicator_mobbing(form: str) -> None:
    analyser = Analyser(codebook("nb", bullying=("mobbing",)), "nb")
    text = f"Det var mye {form} der."
    [analysis] = analyser.analyse_all([text])
    assert [(h.code_id, h.text, h.indicator) for h in analysis.hits] == [
        ("bullying", form, "mobbing")
    ]
    hit = analysis.hits[0]
    assert text[hit.start : hit.end] == form


@pytest.mark.parametrize("form", ["ensom", "ensomheten", "ensomhet", "ensomme"])
def test_inflected_norwegian_forms_meet_the_indicator_ensom(form: str) -> None:
    analyser = Analyser(codebook("nb", lonely=("ensom",)), "nb")
    [analysis] = analyser.analyse_all([f"Jeg kjente på {form}."])
    assert [h.text for h in analysis.hits] == [form]


def test_without_stemming_the_forms_would_differ() -> None:
    # Plain lower-casing (what a blank pipeline gives) keeps them apart; the stemmer joins them.
    stemmer = Stemmer("nb")
    forms = ["mobbing", "mobbingen", "mobbet"]
    assert len({f.lower() for f in forms}) == 3
    assert len({stemmer.stem(f) for f in forms}) == 1
    assert stemmer.stem("ensomheten") == stemmer.stem("ensom")
    assert stemmer.stem("ting") == "ting"  # short words keep their -ing


def test_multiword_phrase_matches_inflected_words() -> None:
    analyser = Analyser(codebook("nb", friends=("ingen venner",)), "nb")
    [analysis] = analyser.analyse_all(["Jeg hadde Ingen venn der, ingen."])
    assert [h.text for h in analysis.hits] == ["Ingen venn"]


def test_english_stems() -> None:
    analyser = Analyser(codebook("en", bullying=("bullying",)), "en")
    analyses = analyser.analyse_all(["I was bullied.", "The bullying went on.", "A bully."])
    assert [len(a.hits) for a in analyses] == [1, 1, 1]


@pytest.mark.parametrize(
    ("language", "indicator", "texts"),
    [
        ("da", "ensomhed", ["Ensomheden var værst.", "Jeg følte ensomhed.", "Skolen var god."]),
        ("sv", "ensamhet", ["Ensamheten var värst.", "Jag kände ensamhet.", "Skolan var bra."]),
        ("nn", "mobbing", ["Eg vart mobba.", "Mobbinga var ille.", "Skulen var god."]),
    ],
)
def test_nordic_projects_get_their_own_tokenizer_and_stems(
    language: str, indicator: str, texts: list[str]
) -> None:
    nlp, info = load_pipeline(language)
    assert info.name == f"blank:{language}" and nlp.lang == language
    analyser = Analyser(codebook(language, loneliness=(indicator,)), language)
    assert [len(a.hits) for a in analyser.analyse_all(texts)] == [1, 1, 0]


def test_stemmer_is_a_registered_versioned_factory() -> None:
    from spacy.language import Language

    nlp, info = load_pipeline("nb")
    assert Language.has_factory(STEMMER_FACTORY)
    assert STEMMER_FACTORY.endswith("_v1")
    assert info.source == "blank" and info.name == "blank:nb"
    assert info.components == ("sentencizer", "coder_stemmer")
    doc = nlp("Mobbingen var ille. Jeg ble mobbet.")
    assert [t.norm_ for t in doc if t.is_alpha][:1] == ["mob"]
    assert len(list(doc.sents)) == 2


def test_named_trained_pipeline_is_loaded_when_installed(tmp_path: Path) -> None:
    import spacy

    trained = spacy.blank("nb")
    trained.add_pipe("sentencizer")
    trained.meta["name"] = "test_pipeline"
    trained.to_disk(tmp_path / "pipe")
    nlp, info = load_pipeline("nb", str(tmp_path / "pipe"))
    assert info.source == "trained" and info.requested is None
    assert nlp.meta["name"] == "test_pipeline"
    assert info.components[-1] == "coder_stemmer"  # stemming added on top
    # and its own saved form with the stemmer loads again (factory registered)
    nlp.to_disk(tmp_path / "with_stemmer")
    again, again_info = load_pipeline("nb", str(tmp_path / "with_stemmer"))
    assert again_info.components.count("coder_stemmer") == 1
    assert [t.norm_ for t in again("mobbet")] == ["mob"]


def test_named_pipeline_not_installed_falls_back_to_blank() -> None:
    _, info = load_pipeline("nb", "nb_not_installed_pipeline_sm")
    assert info.source == "blank"
    assert info.requested == "nb_not_installed_pipeline_sm"


def test_unknown_language_is_a_coder_error() -> None:
    with pytest.raises(CoderError, match="no language"):
        load_pipeline("qqq")
