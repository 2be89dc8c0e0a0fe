"""Long turns without paragraph breaks are split at line breaks, then sentence ends (issue 13.6)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.ingest import read_source, segment
from coder.ingest.long_turns import split_turn

SENTENCES = [
    f"Setning nummer {n} handler om skolen, vennene og hva som skjedde etterpå." for n in range(400)
]
"""Sentences of about 75 characters, none with a paragraph or line break."""


def excerpts_of(path: Path, max_chars: int) -> list[str]:
    source = read_source(path)
    result = segment(source, SpeakerRules(), SegmentationRules(max_chars=max_chars))
    return [source.text[e.start : e.end] for e in result.excerpts]


def test_turn_with_one_line_is_cut_at_sentence_ends(tmp_path: Path) -> None:
    path = tmp_path / "lang.txt"
    path.write_text("I: Fortell.\nD: " + " ".join(SENTENCES) + "\nI: Takk.\n", encoding="utf-8")
    parts = excerpts_of(path, 1500)[1:-1]
    assert len(parts) > 10
    assert all(len(part) <= 1500 for part in parts)
    assert all(part.endswith("etterpå.") and part.startswith("Setning") for part in parts)
    assert " ".join(parts) == " ".join(SENTENCES)  # nothing lost but the spaces between parts


def test_line_breaks_come_before_sentence_ends(tmp_path: Path) -> None:
    """A turn with line breaks (but no blank lines) is cut at the line breaks first."""
    body = "\n".join(" ".join(SENTENCES[i : i + 3]) for i in range(0, 60, 3))
    path = tmp_path / "linjer.txt"
    path.write_text("D: " + body, encoding="utf-8")
    parts = excerpts_of(path, 1000)
    assert all(len(part) <= 1000 for part in parts)
    lines = body.split("\n")
    # Every part is a run of whole lines: no line was cut at a sentence end.
    joined = "\n".join(parts)
    assert joined.split("\n") == lines
    assert len(parts) == 5  # 20 lines of ~228 chars, four to a part


def test_paragraph_breaks_still_win(tmp_path: Path) -> None:
    """A turn with paragraph breaks is cut at them, the over-long paragraph further at sentences."""
    long_paragraph = " ".join(SENTENCES[:30])
    path = tmp_path / "avsnitt.txt"
    path.write_text(f"D: Kort avsnitt.\n\n{long_paragraph}\n\nSiste avsnitt.", encoding="utf-8")
    parts = excerpts_of(path, 500)
    assert parts[0] == "Kort avsnitt."
    assert parts[-1] == "Siste avsnitt."
    assert all(len(part) <= 500 for part in parts)
    assert " ".join(parts[1:-1]) == long_paragraph


def test_abbreviations_followed_by_lower_case_are_not_sentence_ends() -> None:
    sentence = "Vi snakket f.eks. om skolen og bl.a. om jobben, dvs. alt som var vanskelig. "
    text = sentence * 20
    parts = split_turn(text, 0, len(text), 200)
    assert all(text[s:e].endswith("vanskelig.") for s, e in parts)


def test_one_long_sentence_stays_whole() -> None:
    sentence = "Og så " + "gikk jeg videre og " * 8 + "da var det slutt."  # ~170 chars
    text = f"{sentence} Kort. {sentence}"
    parts = [text[s:e] for s, e in split_turn(text, 0, len(text), 120)]
    assert len(sentence) > 120
    assert parts == [sentence, "Kort.", sentence]


def test_unpunctuated_machine_transcript_is_cut_between_words(tmp_path: Path) -> None:
    """133,763 characters with no punctuation or line break (seen in the field): cut at words."""
    words = " ".join(f"ord{n}" for n in range(20_000))
    path = tmp_path / "asr.txt"
    path.write_text(f"D: {words}", encoding="utf-8")
    parts = excerpts_of(path, 1500)
    assert all(len(part) <= 1500 for part in parts)
    assert " ".join(parts) == words


def test_turn_without_labels_splits_long_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "uten.txt"
    path.write_text(" ".join(SENTENCES[:50]) + "\n\nSlutt.", encoding="utf-8")
    parts = excerpts_of(path, 800)
    assert parts[-1] == "Slutt."
    assert all(len(part) <= 800 for part in parts)


PIECES = st.one_of(
    st.sampled_from(["Hei", "ord", "æøå", "Åse", "x" * 30, "f.eks.", "!", "?", "…"]),
    st.sampled_from([" ", ". ", "? ", "\n", "\n\n", ".\n", "» ", ". a", ". B"]),
)


@given(
    raw=st.lists(PIECES, max_size=120).map("".join),
    max_chars=st.integers(min_value=5, max_value=120),
)
def test_parts_are_short_unless_no_boundary_allows(raw: str, max_chars: int) -> None:
    """Parts lose only white space, and a part over max_chars has no boundary it could use."""
    parts = split_turn(raw, 0, len(raw), max_chars)
    position = 0
    for start, end in parts:
        assert position <= start < end
        assert raw[position:start].strip() == ""
        piece = raw[start:end]
        assert piece == piece.strip()
        if len(piece) > max_chars:
            assert "\n" not in piece
            ends = [m for m in re.finditer(r"[.!?…]+[\"'»”’)\]]*\s+(\S)", piece)]
            assert all(m.group(1).islower() for m in ends), piece
            if len(piece) > 2 * max_chars:
                assert not re.search(r"\s", piece)
        position = end
    assert raw[position:].strip() == ""
