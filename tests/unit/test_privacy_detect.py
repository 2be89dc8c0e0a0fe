"""Detection, offline: the key's list, checksummed numbers, patterns, capitalised words, spaCy entities."""

from __future__ import annotations

from pathlib import Path

from coder.privacy.capitalised_detector import CapitalisedDetector, lower_vocabulary
from coder.privacy.categories import Category
from coder.privacy.detector import Detector
from coder.privacy.entry_matcher import EntryMatcher
from coder.privacy.pattern_detector import PatternDetector
from coder.privacy.privacy_key import PrivacyKey
from coder.privacy.spacy_detector import SpacyDetector

FNR = "15108695088"  # valid checksums (python-stdnum's own example)
D_NUMBER = "55108695071"  # the same date as a D-nummer (day + 40)
BAD_FNR = "15108695077"  # wrong check digits


def _found(text: str) -> dict[str, Category]:
    return {hit.text_in(text): hit.category for hit in PatternDetector().find(text)}


def test_identity_numbers_need_a_valid_checksum() -> None:
    text = f"Fnr {FNR}, D-nummer {D_NUMBER[:6]} {D_NUMBER[6:]}, ikke {BAD_FNR} eller 12345678901."
    found = _found(text)
    assert found[FNR] is Category.FNR
    assert found[f"{D_NUMBER[:6]} {D_NUMBER[6:]}"] is Category.FNR
    assert BAD_FNR not in found and "12345678901" not in found


def test_phone_email_address_and_postcode() -> None:
    text = (
        "Ring 912 34 567 eller +47 22 33 44 55, ikke 1234. Skriv til sara.h@example.no. "
        "Jeg bodde i Storgata 12B, 5003 Bergen, og så i Kong Oscars gate 4. Da Blåbærveien 7 var "
        "det. I 2019 Da var det bra."
    )
    found = _found(text)
    assert found["912 34 567"] is Category.TELEFON
    assert found["+47 22 33 44 55"] is Category.TELEFON
    assert found["sara.h@example.no"] is Category.EPOST
    assert found["Storgata 12B"] is Category.ADRESSE
    assert found["Kong Oscars gate 4"] is Category.ADRESSE
    assert found["Blåbærveien 7"] is Category.ADRESSE
    assert found["5003 Bergen"] is Category.POSTNR
    assert not any("2019" in hit or hit == "1234" for hit in found)


def test_capitalised_mid_sentence_words_are_candidates() -> None:
    texts = [
        "Deltaker: Jeg og Sara Hansen gikk på Bakken ungdomsskole. Vi flyttet til Tromsø i fjor.\n"
        "Sara likte ikke NAV. Jeg bruker Snapchat. Det var Mobbing, sa hun, men mobbing er ordet.\n"
        "I went to England with Mum in January."
    ]
    detector = CapitalisedDetector(["Frakobling"], lower_vocabulary(texts))
    hits = {h.text_in(texts[0]): h.category for h in detector.find(texts[0])}
    assert hits == {
        "Sara Hansen": Category.NAVN,
        "Bakken ungdomsskole": Category.SKOLE,
        "Tromsø": Category.STED,
        "England": Category.STED,
    }


def test_the_keys_entries_match_in_any_case_with_genitive_and_digit_spacing() -> None:
    key = PrivacyKey.new("demo")
    key.accept("Sara Hansen", Category.NAVN)
    key.accept("Sara", Category.NAVN, replacement="[NAVN-1]")
    key.accept("91234567", Category.TELEFON)
    text = "sara  hansen og Saras bror, Sarah ikke; ring 912 34 567. Saraen? Nei."
    matcher = EntryMatcher(key.with_status(key.entries[0].status))
    assert matcher.replace(text) == (
        "[NAVN-1] og [NAVN-1]s bror, Sarah ikke; ring [TELEFON-1]. Saraen? Nei."
    )


def test_a_spacy_pipelines_entities_are_used_when_one_is_installed(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PER", "pattern": "Jonas"},
            {"label": "GPE_LOC", "pattern": "Lillehammer"},
            {"label": "ORG", "pattern": [{"LOWER": "lia"}, {"LOWER": "skole"}]},
            {"label": "DATE", "pattern": "mandag"},
        ]
    )
    folder = tmp_path / "nb_test_ner"
    nlp.to_disk(folder)
    detector = SpacyDetector.load(str(folder))
    text = "Jonas var i Lillehammer på Lia skole på mandag."
    (hits,) = detector.find_all([text])
    assert {h.text_in(text): (h.category, h.source) for h in hits} == {
        "Jonas": (Category.NAVN, "spacy:PER"),
        "Lillehammer": (Category.STED, "spacy:GPE_LOC"),
        "Lia skole": (Category.SKOLE, "spacy:ORG"),
    }
    # through the detector, sentence-initial "Jonas" (which the capitalised rule skips) is found
    report = Detector(PrivacyKey.new("demo"), spacy=detector).scan({"t1": text})
    assert {c.text: c.source for c in report.candidates}["Jonas"] == "spacy:PER"


def test_the_detector_groups_candidates_and_counts_decided_entries() -> None:
    key = PrivacyKey.new("demo")
    key.accept("Voss", Category.STED, source="list")
    key.propose("Tromsø", Category.STED, "capitalised")
    key.propose("Knut", Category.NAVN, "capitalised")
    key.reject("Knut")
    texts = {
        "a": f"Jeg bodde på Voss med Nora. Fnr {FNR}. Så kom Knut.",
        "b": "Han møtte Nora på Voss og i Tromsø.",
    }
    detector = Detector(key)
    report = detector.scan(texts)
    assert report.known == {"Voss": 2, "Knut": 1}
    by_text = {c.text: c for c in report.candidates}
    assert set(by_text) == {"Nora", FNR, "Tromsø"}
    assert len(by_text["Nora"].places) == 2 and by_text["Nora"].category is Category.NAVN
    assert by_text[FNR].category is Category.FNR
    assert detector.propose(report) == 2  # Tromsø was pending already
    assert report.to_dict()["known_occurrences"] == 3
