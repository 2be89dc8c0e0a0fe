"""The review's codebook covers the whole scope of DESIGN.md and passes `coder codebook check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.codebook import load_codebook
from coder.domain.codebook import Codebook
from support.processes import run_coder

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "codebooks" / "relational-robustness.yaml"


@pytest.fixture(scope="module")
def book() -> Codebook:
    return load_codebook(PATH)


def test_check_command_accepts_it() -> None:
    result = run_coder("codebook", "check", PATH)
    assert result.returncode == 0, result.stderr
    assert "ok (" in result.stdout


def test_scope_groups_and_sub_codes(book: Codebook) -> None:
    groups = {code.id for code in book.children(None)}
    assert groups == {"risk", "disconnect", "reconnect", "organisation", "consequences"}
    expected = {
        "risk": {
            "ses",
            "family",
            "minority",
            "child_welfare",
            "somatic",
            "school",
            "mental_health",
            "psychosocial",
        },
        "risk.psychosocial": {"bullying", "loneliness", "peers", "teacher"},
        "disconnect": {"relational", "self_worth", "system"},
        "reconnect": {"relational", "participation", "system"},
        "organisation": {"collaboration", "adapted", "competence", "outreach"},
    }
    for parent, children in expected.items():
        assert {c.id.removeprefix(parent + ".") for c in book.children(parent)} == children
    assert len(book.children("consequences")) >= 3


def test_every_codable_code_is_documented_and_bilingual(book: Codebook) -> None:
    for code in book.codable_codes:
        assert set(code.label) == {"nb", "en"}, code.id
        assert code.description and code.use_when and code.dont_use_when, code.id
        assert len(code.indicators.get("nb", ())) >= 3, code.id
        assert len(code.indicators.get("en", ())) >= 3, code.id
        assert code.color and code.hotkey, code.id


def test_published_quotes_are_kept_with_their_sources(book: Codebook) -> None:
    seed = (ROOT.parent / "shared" / "seed").glob("*.txt")
    sources = {ex.source for code in book.codes for ex in code.examples}
    assert any("Olsen" in s for s in sources)
    assert any("Frøyland" in s for s in sources)
    assert any("Antonsen" in s for s in sources)
    quotes = [ex.quote for code in book.codes for ex in code.examples]
    assert any("Det var mye mobbing" in q for q in quotes)
    seed_text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in seed)
    if seed_text:  # the seed sits beside the repository in this workplace
        for quote in quotes:
            fragment = " ".join(quote.split())[:40].strip('«»"')
            assert fragment in seed_text, quote


def test_case_attributes(book: Codebook) -> None:
    robustness = book.attribute("relational_robustness")
    assert robustness.kind == "ordinal"
    assert [lv.id for lv in robustness.levels] == ["steady", "wavering", "trembling"]
    assert [lv.label_in("nb") for lv in robustness.levels] == ["Stødig", "Vaklende", "Skjelvende"]
    assert all(lv.definition for lv in robustness.levels)
    neet = book.attribute("neet_status")
    assert [lv.id for lv in neet.levels] == [
        "in_education",
        "in_work",
        "active_neet",
        "inactive_neet",
    ]
    kinds = {spec.id: spec.kind for spec in book.attributes}
    assert kinds["age"] == "interval"
    assert {"gender", "child_welfare", "minority_background", "county"} <= set(kinds)


def test_demo_cases_match_the_codebook() -> None:
    import csv

    book = load_codebook(PATH)
    with (ROOT / "cases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    transcripts = {p.stem for p in (ROOT / "transcripts").glob("*.txt")}
    assert {row["case"] for row in rows} == transcripts
    for row in rows:
        for key, value in row.items():
            if key == "case" or not value:
                continue
            spec = book.attribute(key)
            if spec.levels:
                assert spec.level(value) is not None, (key, value)


def test_demo_transcripts_are_marked_fictional_and_sized() -> None:
    files = sorted((ROOT / "transcripts").glob("*.txt"))
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "FIKTIVT" in text.splitlines()[0] or "FICTIONAL" in text.splitlines()[0], path
        assert 1500 <= len(text.split()) <= 3000, path
