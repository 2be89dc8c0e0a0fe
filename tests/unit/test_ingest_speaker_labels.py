"""Speaker labels beyond the configured words: timestamps, label variants, unlisted labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.domain.transcript import Role
from coder.ingest import Cue, SourceText, read_source, segment
from coder.ingest.label_warnings import NO_CODABLE_EXCERPTS
from coder.ingest.speaker_labels import timestamp_seconds

DEFAULT = SpeakerRules()
RULES = SegmentationRules(max_chars=1500)
DEMO = Path(__file__).resolve().parents[2] / "transcripts"
ADVICE = "Add the names to [speakers] participant (or interviewer) and re-import with --replace."
DEFAULT_LINE = (
    'participant = ["D", "Deltaker", "Deltakar", "Participant", "P\\\\d*", "R\\\\d*", '
    '"Respondent", "Informant", "Ungdom", "Interviewee"'
)


def advice(*added: str) -> str:
    """ADVICE and the coder.toml line with ``added`` (as written in TOML) after the defaults."""
    extra = "".join(f", {item}" for item in added)
    return f"{ADVICE} As participants, the line would read: {DEFAULT_LINE}{extra}]"


def source(text: str, fmt: str = "txt", cues: tuple[Cue, ...] = ()) -> SourceText:
    return SourceText(text=text, sha256="0" * 64, format=fmt, encoding="utf-8", cues=cues)


def cut(
    text: str, speakers: SpeakerRules = DEFAULT, rules: SegmentationRules = RULES
) -> list[tuple[str, str | None, Role, float | None]]:
    """(excerpt text, speaker, role, start_time) for each excerpt of ``text``."""
    result = segment(source(text), speakers, rules)
    return [(text[e.start : e.end], e.speaker, e.role, e.start_time) for e in result.excerpts]


def warnings(text: str, speakers: SpeakerRules = DEFAULT) -> tuple[str, ...]:
    return segment(source(text), speakers, RULES).warnings


# --- timestamps before labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "seconds"),
    [
        ("[00:00:05]", 5.0),
        ("[0:05]", 5.0),
        ("00:00:05", 5.0),
        ("(00:05:12)", 312.0),
        ("00:00:05.123", 5.123),
        ("[01:02:03]", 3723.0),
        ("(12:30)", 750.0),
        ("00:00:07,5", 7.5),
    ],
)
def test_timestamp_before_label_is_cut_out_and_gives_the_start_time(
    stamp: str, seconds: float
) -> None:
    text = f"{stamp} Intervjuer: Hvordan var det?\n\n{stamp}\tDeltaker: Det var tøft."
    parts = cut(text)
    assert [part[:3] for part in parts] == [
        ("Hvordan var det?", "Intervjuer", Role.INTERVIEWER),
        ("Det var tøft.", "Deltaker", Role.PARTICIPANT),
    ]
    assert [part[3] for part in parts] == pytest.approx([seconds, seconds])
    assert warnings(text) == ()


def test_timestamp_times_each_turn_and_only_the_first_part_of_a_split_turn() -> None:
    text = (
        "[00:00:01] I: Fortell.\n"
        "[00:00:04] Deltaker: " + "a" * 60 + "\n\n" + "b" * 60 + "\n"
        "Deltaker: uten tid\n"
        "[00:01:10] Sara: Hei."
    )
    parts = cut(
        text, SpeakerRules(participant=("Deltaker", "Sara")), SegmentationRules(max_chars=100)
    )
    assert [(p[0][:3], p[1], p[3]) for p in parts] == [
        ("For", "I", 1.0),
        ("a" * 3, "Deltaker", 4.0),
        ("b" * 3, "Deltaker", None),
        ("ute", "Deltaker", None),
        ("Hei", "Sara", 70.0),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "[00:01:00] og så gikk jeg hjem.",  # a timestamp without a label
        "10:30 gikk jeg hjem.",
        "Kl. 10:30 gikk jeg: hjem.",
        "[00:00:05]Deltaker: no space after the timestamp",
        "[00:61] Deltaker: not a time",
        "[00:00:05] [00:00:06] Deltaker: two timestamps",
    ],
)
def test_text_that_is_no_timestamped_label_stays_in_the_turn(line: str) -> None:
    text = f"Deltaker: Først.\n{line}"
    assert cut(text) == [(text.removeprefix("Deltaker: "), "Deltaker", Role.PARTICIPANT, None)]


def test_timestamp_seconds() -> None:
    assert timestamp_seconds("[0:05]") == 5.0
    assert timestamp_seconds("(1:00:00)") == 3600.0
    assert timestamp_seconds("00:00:05.123") == pytest.approx(5.123)
    assert timestamp_seconds("00:00:05,25") == pytest.approx(5.25)


# --- variants of configured labels ------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Int.", Role.INTERVIEWER),
        ("Intervjuer.", Role.INTERVIEWER),
        ("I.", Role.INTERVIEWER),
        ("Deltaker 2", Role.PARTICIPANT),
        ("deltaker 12", Role.PARTICIPANT),
        ("Intervjuer 1", Role.INTERVIEWER),
        ("Informant 3", Role.PARTICIPANT),
        ("P 4", Role.PARTICIPANT),
    ],
)
def test_period_and_number_variants_of_configured_labels(label: str, role: Role) -> None:
    text = f"{label}: Hei.\nDeltaker: Svar."
    assert cut(text)[0] == ("Hei.", label, role, None)
    assert warnings(text) == ()


def test_variants_of_a_custom_label() -> None:
    speakers = SpeakerRules(interviewer=("Forsker",), participant=("Sara",))
    text = "Forsker 1: Hei.\nSara.: Hei.\n[00:00:09] Forsker.: Fortell."
    assert cut(text, speakers) == [
        ("Hei.", "Forsker 1", Role.INTERVIEWER, None),
        ("Hei.", "Sara.", Role.PARTICIPANT, None),
        ("Fortell.", "Forsker.", Role.INTERVIEWER, 9.0),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Det var sånn: vi bare dro.",
        "I 2020: flyttet vi.",  # a year, not a speaker number
        "Deltakerne 2: var mange",
        "Deltaker 2a: hm",
        "Deltaker..: hm",
        "Int. 2: hm",
        "Deltaker 2.: hm",
        "Deltaker-2: hm",
        "D12: hm",
    ],
)
def test_no_wider_matching_than_the_two_variants(line: str) -> None:
    text = f"Intervjuer: Først.\n{line}"
    assert cut(text) == [(text.removeprefix("Intervjuer: "), "Intervjuer", Role.INTERVIEWER, None)]


def test_variants_apply_to_subtitle_voices() -> None:
    text = "Hei.\n\nSvar."
    cues = (Cue(0, 4, 1.0, 2.0, "Int."), Cue(6, 11, 2.0, 3.0, "Deltaker 2"))
    result = segment(source(text, "vtt", cues), DEFAULT, RULES)
    assert [(e.speaker, e.role) for e in result.excerpts] == [
        ("Int.", Role.INTERVIEWER),
        ("Deltaker 2", Role.PARTICIPANT),
    ]


# --- unlisted labels --------------------------------------------------------------------------


def test_unlisted_speaker_is_warned_about_with_no_codable_excerpts() -> None:
    text = "Intervjuer: Hei.\nSara: Hei hei.\nIntervjuer: Fortell.\nSara: Jeg er 17.\n"
    result = segment(source(text), DEFAULT, RULES)
    assert [(e.speaker, e.codable) for e in result.excerpts] == [
        ("Intervjuer", False),
        ("Intervjuer", False),
    ]
    assert result.warnings == (
        "2 lines start with labels that are not in coder.toml [speakers]: "
        "'Sara:' (2, first on line 2); their text was joined to the turn before. "
        + advice('"Sara"'),
        "no codable excerpts: every turn is an interviewer turn or header text; labels seen "
        "(role, lines): 'Intervjuer:' (interviewer, 2), 'Sara:' (not in [speakers], 2). If "
        "participants speak in this file, add their labels to [speakers] participant in "
        "coder.toml and re-import with --replace.",
    )
    assert NO_CODABLE_EXCERPTS.startswith(
        "no codable excerpts: every turn is an interviewer turn or header"
    )


def test_one_warning_lists_each_unlisted_label_with_count_and_first_line() -> None:
    text = (
        "Intervjuer: Hei.\n"
        "Sara: Hei.\n"
        "Deltaker: Jeg også.\n"
        "\n"
        "Ola: Og jeg.\n"
        "[00:00:31] Sara: Hallo?\n"
    )
    assert warnings(text) == (
        "3 lines start with labels that are not in coder.toml [speakers]: "
        "'Sara:' (2, first on line 2), 'Ola:' (1, line 5); "
        "their text was joined to the turn before. " + advice('"Sara"', '"Ola"'),
    )


@pytest.mark.parametrize(
    ("label", "suggested"),
    [
        ("Sara", '"Sara"'),
        ("Ola Nordmann", '"Ola Nordmann"'),
        ("Anne Marie Olsen", '"Anne Marie Olsen"'),
        ("SPEAKER_01", '"SPEAKER_\\\\d+"'),
        ("Speaker 1", '"Speaker"'),
        ("D1", '"D\\\\d+"'),
        ("P12x", '"P12x"'),
        ("Q", '"Q"'),
        ("Å", '"Å"'),
        ("[id1]", '"id\\\\d+"'),
        ("(Ola N.)", '"Ola N"'),
        ("Dr. Ås 2", '"Dr\\\\. Ås"'),
    ],
)
def test_label_like_lines_are_warned_about(label: str, suggested: str) -> None:
    text = f"Intervjuer: Hei.\n{label}: Hei hei.\nDeltaker: Svar."
    assert warnings(text) == (
        "1 line starts with a label that is not in coder.toml [speakers]: "
        f"'{label}:' (1, line 2); its text was joined to the turn before. " + advice(suggested),
    )


@pytest.mark.parametrize(
    "line",
    [
        "Det var sånn: vi bare dro.",
        "jeg sa: nei",
        "Sara sa: nei",
        "# Deltaker: ung03",
        "Ola Per Kari Nordmann: four words",
        "Abcdefghijklmnopqrstuvwxyzæøåabc: over thirty characters",
        "Sara:no space after the colon",
        "Sara:",  # a colon at the line end is not "a colon and a space"
        "Kl. 10:30 gikk vi.",
        "  - Sara: a list item",
    ],
)
def test_prose_is_not_taken_for_an_unlisted_label(line: str) -> None:
    assert warnings(f"Intervjuer: Hei.\n{line}\nDeltaker: Svar.") == ()


def test_header_fields_before_the_first_label_are_no_speakers() -> None:
    text = "Dato: 3. mai\nSted: Oslo\n\nIntervjuer: Hei.\nDeltaker: Hei."
    assert warnings(text) == ()


def test_an_unlisted_speaker_before_the_first_label_is_counted_when_it_speaks_again() -> None:
    text = "Sara: Skal vi begynne?\nIntervjuer: Ja.\nSara: Fint.\nDeltaker: Hm."
    assert warnings(text) == (
        "2 lines start with labels that are not in coder.toml [speakers]: "
        "'Sara:' (2, first on line 1); their text was joined to the turn before, "
        "or to the header before the first known label. " + advice('"Sara"'),
    )


def test_unlisted_labels_in_a_file_without_known_labels() -> None:
    text = "Dato: 3. mai\n\nSara: Hei.\n\nOla: Hei.\n\nSara: Ha det."
    assert warnings(text) == (
        "txt text has no speaker labels; made one excerpt per paragraph",
        "2 lines start with labels that are not in coder.toml [speakers]: "
        "'Sara:' (2, first on line 3); they were read as plain text. " + advice('"Sara"'),
    )


def test_listing_the_speaker_silences_the_warning_and_makes_turns_codable() -> None:
    text = "Intervjuer: Hei.\nSara: Hei hei.\nIntervjuer: Fortell.\nSara: Jeg er 17.\n"
    speakers = SpeakerRules(participant=(*DEFAULT.participant, "Sara"))
    result = segment(source(text), speakers, RULES)
    assert result.warnings == ()
    assert [e.codable for e in result.excerpts] == [False, True, False, True]


# --- nothing to code --------------------------------------------------------------------------


def test_only_interviewer_turns_warn_unless_interviewer_turns_are_codable() -> None:
    text = "# Intervju\n\nIntervjuer: Hei.\nInt.: Fortell."
    assert warnings(text) == (
        NO_CODABLE_EXCERPTS.replace(
            "header text.",
            "header text; labels seen (role, lines): 'Intervjuer:' (interviewer, 1), "
            "'Int.:' (interviewer, 1).",
        ),
    )
    coded = segment(source(text), DEFAULT, SegmentationRules(code_interviewer=True))
    assert coded.warnings == ()


def test_subtitles_with_only_interviewer_voices_warn() -> None:
    text = "Hei.\n\nFortell."
    cues = (Cue(0, 4, 1.0, 2.0, "Intervjuer"), Cue(6, 14, 2.0, 3.0, "Intervjuer"))
    assert segment(source(text, "vtt", cues), DEFAULT, RULES).warnings == (
        NO_CODABLE_EXCERPTS.replace(
            "header text.",
            "header text; labels seen (role, lines): 'Intervjuer:' (interviewer, 2).",
        ),
    )


# --- the demo transcripts ---------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.txt")), ids=lambda path: path.name)
def test_demo_transcripts_segment_without_warnings(path: Path) -> None:
    result = segment(read_source(path), DEFAULT, RULES)
    assert result.warnings == ()
    assert all(e.start_time is None for e in result.excerpts)


# --- the role memo ------------------------------------------------------------------------------


def test_each_distinct_label_is_matched_once_per_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    from coder.ingest import speaker_labels

    matcher = speaker_labels.SpeakerMatcher.from_rules(DEFAULT)
    matched: list[str] = []
    plain = speaker_labels.SpeakerMatcher._match

    def counting(self: speaker_labels.SpeakerMatcher, label: str) -> Role | None:
        matched.append(label)
        return plain(self, label)

    monkeypatch.setattr(speaker_labels.SpeakerMatcher, "_match", counting)
    text = "".join(
        f"Intervjuer: Spørsmål {n}?\n\nDeltaker 2: Svar {n}, æøå.\n\n" for n in range(300)
    )
    lines = matcher.labelled_lines(text)
    assert [line.role for line in lines] == [Role.INTERVIEWER, Role.PARTICIPANT] * 300
    assert sorted(matched) == ["Deltaker 2", "Intervjuer"]
    assert matcher.role_of("Sara") is None and matcher.role_of("Sara") is None
    assert matched.count("Sara") == 1


def test_the_role_memo_is_bounded() -> None:
    from coder.ingest import speaker_labels

    matcher = speaker_labels.SpeakerMatcher.from_rules(DEFAULT)
    for number in range(speaker_labels.ROLE_MEMO_SIZE + 50):
        assert matcher.role_of(f"Navn{number}") is None
    assert matcher.role_of("Deltaker") is Role.PARTICIPANT
    assert len(matcher._roles) == speaker_labels.ROLE_MEMO_SIZE
