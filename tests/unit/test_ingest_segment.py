"""Cutting sources into excerpts: speaker labels, roles, long turns, preambles, subtitles."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.domain.transcript import ExcerptDraft, Role
from coder.errors import CoderError, ConfigError
from coder.ingest import Cue, SourceText, read_source, segment

DEFAULT = SpeakerRules()
RULES = SegmentationRules(max_chars=1500)


def source(text: str, fmt: str = "txt", cues: tuple[Cue, ...] = ()) -> SourceText:
    return SourceText(text=text, sha256="0" * 64, format=fmt, encoding="utf-8", cues=cues)


def cut(
    text: str, speakers: SpeakerRules = DEFAULT, rules: SegmentationRules = RULES
) -> list[tuple[str, str | None, Role, bool]]:
    """(excerpt text, speaker, role, codable) for each excerpt of ``text``."""
    result = segment(source(text), speakers, rules)
    return [(text[e.start : e.end], e.speaker, e.role, e.codable) for e in result.excerpts]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("I", Role.INTERVIEWER),
        ("Intervjuer", Role.INTERVIEWER),
        ("Interviewer", Role.INTERVIEWER),
        ("intervjuer", Role.INTERVIEWER),
        ("P3", Role.PARTICIPANT),
        ("P", Role.PARTICIPANT),
        ("Deltaker", Role.PARTICIPANT),
        ("Participant", Role.PARTICIPANT),
    ],
)
def test_default_labels(label: str, role: Role) -> None:
    text = f"{label}: Hei på deg.\nDeltaker: Svar."
    first = cut(text)[0]
    assert first == ("Hei på deg.", label, role, role is Role.PARTICIPANT)


def test_turns_roles_and_codable() -> None:
    text = (
        "Intervjuer: Hvordan var det?\n\nDeltaker: Det var tøft.\n\nI: Og så?\nP3: Så sluttet jeg."
    )
    assert cut(text) == [
        ("Hvordan var det?", "Intervjuer", Role.INTERVIEWER, False),
        ("Det var tøft.", "Deltaker", Role.PARTICIPANT, True),
        ("Og så?", "I", Role.INTERVIEWER, False),
        ("Så sluttet jeg.", "P3", Role.PARTICIPANT, True),
    ]


def test_interviewer_turns_codable_when_asked() -> None:
    rules = SegmentationRules(code_interviewer=True)
    assert [c for *_, c in cut("I: Spørsmål?\nD: Svar.", rules=rules)] == [True, True]


def test_custom_name_rule() -> None:
    speakers = SpeakerRules(participant=("Sara",))
    text = "Interviewer: How was school?\nSara: Lonely.\nDeltaker: not a label now"
    assert cut(text, speakers) == [
        ("How was school?", "Interviewer", Role.INTERVIEWER, False),
        ("Lonely.\nDeltaker: not a label now", "Sara", Role.PARTICIPANT, True),
    ]


def test_interviewer_wins_when_both_match() -> None:
    speakers = SpeakerRules(interviewer=("Kari",), participant=(r"\w+",))
    assert cut("Kari: Hei.\nOla: Hallo.", speakers)[0][2] is Role.INTERVIEWER


def test_label_must_match_whole_and_be_followed_by_space_or_line_end() -> None:
    text = "Deltaker: Jeg sa: nei.\nKl. 10:30 gikk jeg.\nDeltakerne: var mange\nPX: hm\nP12:\nJa."
    assert cut(text) == [
        (
            "Jeg sa: nei.\nKl. 10:30 gikk jeg.\nDeltakerne: var mange\nPX: hm",
            "Deltaker",
            Role.PARTICIPANT,
            True,
        ),
        ("Ja.", "P12", Role.PARTICIPANT, True),
    ]


def test_empty_turns_make_no_excerpt() -> None:
    assert cut("I:\nD:   \n\nI: Ja?") == [("Ja?", "I", Role.INTERVIEWER, False)]


def test_multi_paragraph_turn_is_one_excerpt() -> None:
    text = "I: Fortell.\n\nD: Første avsnitt.\n\nAndre avsnitt.\n  \nTredje.  \n\n"
    assert cut(text)[1] == (
        "Første avsnitt.\n\nAndre avsnitt.\n  \nTredje.",
        "D",
        Role.PARTICIPANT,
        True,
    )


def test_long_turn_split_at_paragraphs() -> None:
    paragraphs = ["a" * 40, "b" * 40, "c" * 40, "d" * 150, "e" * 10]
    text = "I: Fortell.\n\nDeltaker: " + "\n\n".join(paragraphs)
    parts = cut(text, rules=SegmentationRules(max_chars=100))[1:]
    assert [p[0] for p in parts] == [
        "\n\n".join(paragraphs[:2]),  # 82 chars; adding the third would make 124
        paragraphs[2],
        paragraphs[3],  # longer than max_chars on its own: kept whole
        paragraphs[4],
    ]
    assert all(p[1:] == ("Deltaker", Role.PARTICIPANT, True) for p in parts)


def test_turn_of_exactly_max_chars_is_not_split() -> None:
    body = "x" * 45 + "\n\n" + "y" * 45
    assert len(cut(f"D: {body}", rules=SegmentationRules.model_construct(max_chars=92))) == 1
    assert len(cut(f"D: {body}", rules=SegmentationRules.model_construct(max_chars=91))) == 2


def test_header_preamble_is_not_codable() -> None:
    text = "# Intervju 3\n# Deltaker: ung03, 19 år\n\nNotat om stedet.\n\nIntervjuer: Hei.\nD: Hei."
    assert cut(text) == [
        ("# Intervju 3\n# Deltaker: ung03, 19 år", None, Role.UNKNOWN, False),
        ("Notat om stedet.", None, Role.UNKNOWN, False),
        ("Hei.", "Intervjuer", Role.INTERVIEWER, False),
        ("Hei.", "D", Role.PARTICIPANT, True),
    ]


def test_no_labels_one_excerpt_per_paragraph_with_warning() -> None:
    text = "  Første avsnitt,\nsamme avsnitt.\n\n\n Andre.\n \n\nTredje. "
    result = segment(source(text, fmt="md"), DEFAULT, RULES)
    assert [text[e.start : e.end] for e in result.excerpts] == [
        "Første avsnitt,\nsamme avsnitt.",
        "Andre.",
        "Tredje.",
    ]
    assert all(e.role is Role.UNKNOWN and e.codable and e.speaker is None for e in result.excerpts)
    assert result.warnings == ("md text has no speaker labels; made one excerpt per paragraph",)


def test_labelled_text_has_no_warning() -> None:
    assert segment(source("I: Hei.\nD: Hei."), DEFAULT, RULES).warnings == ()


def test_invalid_label_regex_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as info:
        segment(source("I: hei"), SpeakerRules.model_construct(participant=("P(",)), RULES)
    assert isinstance(info.value, CoderError)
    assert "'P('" in str(info.value)
    assert "speakers.participant[0]" in str(info.value)


# --- subtitles -------------------------------------------------------------------------------

VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Intervjuer>Hvordan var skolen?

00:00:04.000 --> 00:00:06.000
<v Sara>Jeg følte meg så ensom.

00:00:06.500 --> 00:00:09.000
<v Sara>Særlig i gymtimene.

00:00:10.000 --> 00:00:11.000
<v Ukjent Navn>Hei.

00:00:12.000 --> 00:00:13.000
Uten stemme.
"""


def test_subtitle_turns(tmp_path: Path) -> None:
    path = tmp_path / "intervju.vtt"
    path.write_text(VTT, encoding="utf-8")
    src = read_source(path)
    result = segment(src, SpeakerRules(participant=("Sara",)), RULES)
    assert result.warnings == ()
    assert [(src.text[e.start : e.end], e.speaker, e.role, e.codable) for e in result.excerpts] == [
        ("Hvordan var skolen?", "Intervjuer", Role.INTERVIEWER, False),
        ("Jeg følte meg så ensom. Særlig i gymtimene.", "Sara", Role.PARTICIPANT, True),
        # A cue without a voice continues the voice of the cue before it.
        ("Hei. Uten stemme.", "Ukjent Navn", Role.PARTICIPANT, True),
    ]
    last = result.excerpts[-1]
    assert (last.start_time, last.end_time) == (10.0, 13.0)


def test_subtitle_times_and_unvoiced_cues() -> None:
    text = "Hei der. Hallo.\n\nSara: Ja."
    cues = (
        Cue(0, 8, 1.0, 2.0, None),
        Cue(9, 15, 2.0, 3.5, None),
        Cue(23, 26, 4.0, 5.0, "Sara"),
    )
    result = segment(source(text, fmt="srt", cues=cues), DEFAULT, RULES)
    assert result.excerpts == (
        ExcerptDraft(0, 15, None, Role.UNKNOWN, True, start_time=1.0, end_time=3.5),
        ExcerptDraft(23, 26, "Sara", Role.PARTICIPANT, True, start_time=4.0, end_time=5.0),
    )


def test_long_subtitle_turn_split_at_cues() -> None:
    words = ["a" * 30, "b" * 30, "c" * 30, "d" * 80]
    text = "P1: " + " ".join(words)
    cues, position = [], 4
    for index, word in enumerate(words):
        cues.append(Cue(position, position + len(word), float(index), index + 0.5, "P1"))
        position += len(word) + 1
    result = segment(
        source(text, "vtt", tuple(cues)), DEFAULT, SegmentationRules.model_construct(max_chars=70)
    )
    assert [text[e.start : e.end] for e in result.excerpts] == [
        f"{words[0]} {words[1]}",
        words[2],
        words[3],
    ]
    assert [(e.start_time, e.end_time) for e in result.excerpts] == [
        (0.0, 1.5),
        (2.0, 2.5),
        (3.0, 3.5),
    ]
    assert all(e.speaker == "P1" and e.role is Role.PARTICIPANT for e in result.excerpts)


def test_srt_excerpts_are_the_spoken_text(tmp_path: Path) -> None:
    path = tmp_path / "samtale.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nI: Hvordan går det?\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\nDeltaker: Bra, takk.\n\n"
        "3\n00:00:04,000 --> 00:00:06,000\nDeltaker: Eller, sånn passe.\n",
        encoding="utf-8",
    )
    src = read_source(path)
    result = segment(src, DEFAULT, RULES)
    assert [
        (src.text[e.start : e.end], e.role, e.start_time, e.end_time) for e in result.excerpts
    ] == [
        ("Hvordan går det?", Role.INTERVIEWER, 1.0, 2.0),
        ("Bra, takk. Eller, sånn passe.", Role.PARTICIPANT, 2.5, 6.0),
    ]
