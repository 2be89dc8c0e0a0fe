"""Properties of ingest that must hold for any input a user can hand us."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.errors import ImportFailedError
from coder.ingest import SUPPORTED_SUFFIXES, SourceText, normalise, read_source, segment

LABELS = [
    "I",
    "Intervjuer",
    "Deltaker",
    "P3",
    "Sara",
    "# Deltaker",
    "Kl. 10",
    "x",
    "Int.",
    "Deltaker 2",
    "Ola",
    "[00:00:05] Intervjuer",
    "(0:05) Sara",
    "00:01:02.5 P3",
    "[00:00:05]",
]
TIMESTAMP = r"(?:\[[\d:.,]+\]|\([\d:.,]+\)|[\d:.,]+)[ \t]+"
"""A timestamp before a label, loosely: the label lines left out of excerpts may start so."""
PIECES = st.one_of(
    st.text(alphabet="abc æøå ÆØÅ.,:\t", min_size=0, max_size=30),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n", " ", "\u2028", "\ufeff", "a\u0301"]),
    st.sampled_from(LABELS).map(lambda label: f"\n{label}: "),
    st.sampled_from(LABELS).map(lambda label: f"\n{label}:"),
    st.text(max_size=10),
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)
SPEAKERS = st.sampled_from([SpeakerRules(), SpeakerRules(participant=("Sara", r"P\d*"))])
RULES = st.builds(
    SegmentationRules.model_construct,
    max_chars=st.integers(min_value=1, max_value=200),
    code_interviewer=st.booleans(),
)


def check_ranges(source: SourceText, speakers: SpeakerRules, rules: SegmentationRules) -> None:
    """Excerpts are sorted, disjoint, non-empty and trimmed, and lose nothing but labels."""
    text = source.text
    excerpts = segment(source, speakers, rules).excerpts
    gaps: list[str] = []
    previous_end = 0
    for excerpt in excerpts:
        assert previous_end <= excerpt.start < excerpt.end <= len(text)
        piece = text[excerpt.start : excerpt.end]
        assert piece == piece.strip()
        gaps.append(text[previous_end : excerpt.start])
        previous_end = excerpt.end
    gaps.append(text[previous_end:])
    for gap in gaps:
        for line in gap.split("\n"):
            label_line = re.fullmatch(rf"(?:{TIMESTAMP})?[^:]+:", line.strip())
            assert not line.strip() or label_line, (gap, line)


@given(raw=TEXTS, speakers=SPEAKERS, rules=RULES)
def test_segment_ranges_are_sorted_disjoint_nonempty_and_trimmed(
    raw: str, speakers: SpeakerRules, rules: SegmentationRules
) -> None:
    for text in (normalise(raw), raw):
        source = SourceText(text=text, sha256="", format="txt", encoding="utf-8")
        check_ranges(source, speakers, rules)


CUE_TEXT = st.text(alphabet="abcæøå ,.!", min_size=1, max_size=40).filter(lambda s: s.strip())
VOICES = st.sampled_from([None, "Intervjuer", "Sara", "P3"])


@settings(deadline=None)  # file I/O: timing varies on busy machines
@given(
    cues=st.lists(st.tuples(VOICES, CUE_TEXT), min_size=1, max_size=12),
    rules=RULES,
)
def test_vtt_round_trip_keeps_every_cue(
    cues: list[tuple[str | None, str]], rules: SegmentationRules
) -> None:
    lines = ["WEBVTT", ""]
    for index, (voice, words) in enumerate(cues):
        tag = f"<v {voice}>" if voice else ""
        lines += [f"00:00:{index:02d}.000 --> 00:00:{index:02d}.500", tag + words, ""]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.vtt"
        path.write_text("\n".join(lines), encoding="utf-8")
        source = read_source(path)
    assert [source.text[c.start : c.end] for c in source.cues] == [w.strip() for _, w in cues]
    assert [c.start_time for c in source.cues] == [float(i) for i in range(len(cues))]
    check_ranges(source, SpeakerRules(), rules)
    excerpts = segment(source, SpeakerRules(), rules).excerpts
    assert " ".join(source.text[e.start : e.end] for e in excerpts) == " ".join(
        w.strip() for _, w in cues
    )


SUBTITLE_PIECES = st.one_of(
    PIECES,
    st.sampled_from(
        [
            "WEBVTT\n\n",
            "\n\n",
            "00:00:01.000 --> 00:00:02.000\n",
            "00:01,500 --> 00:00:03,000 align:start\n",
            "1\n",
            "<v Sara>",
            "</v>",
            "<i>",
            "NOTE ",
            "&amp;",
            "P3: ",
        ]
    ),
)
USER_BYTES = st.one_of(
    st.binary(max_size=400),
    TEXTS.map(lambda text: text.encode("utf-8")),
    st.lists(SUBTITLE_PIECES, max_size=30).map(
        lambda parts: "".join(parts).encode("cp1252", "replace")
    ),
)


def zipped(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


@settings(deadline=None)  # file I/O: timing varies on busy machines
@given(suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)), data=USER_BYTES)
def test_read_source_returns_text_or_import_failed(suffix: str, data: bytes) -> None:
    check_read(f"any{suffix}", data)


@settings(deadline=None)
@given(
    target=st.sampled_from([("x.odt", "content.xml"), ("x.docx", "word/document.xml")]),
    content=st.one_of(st.binary(max_size=200), TEXTS.map(lambda text: f"<a>{text}</a>".encode())),
)
def test_damaged_office_files_fail_cleanly(target: tuple[str, str], content: bytes) -> None:
    name, member = target
    check_read(name, zipped(member, content))


def check_read(name: str, data: bytes) -> None:
    """read_source on these bytes gives a well-formed SourceText or an ImportFailedError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            source = read_source(path)
        except ImportFailedError as error:
            assert name in str(error)
            return
    assert source.text.strip()
    assert "\r" not in source.text
    assert not source.text.startswith("\ufeff")
    assert source.text == normalise(source.text)
    for cue in source.cues:
        piece = source.text[cue.start : cue.end]
        assert piece and piece == piece.strip()
    check_ranges(source, SpeakerRules(), SegmentationRules())
