"""WebVTT and SubRip subtitles: cues with times and voices, laid out as a turn-based text.

Consecutive cues with the same voice form one turn, written ``"{voice}: {cue} {cue} ..."`` (or
the cue texts alone without a voice); turns are separated by a blank line. A WebVTT voice tag
(``<v Sara>``) is explicit markup: a cue without a voice of its own continues the tagged voice
of the cues before it. A ``Name:`` at the start of a cue's text names that cue's voice only, so a
sentence that merely starts with a capitalised word and a colon (Spanish ``Digo: ...``) does not
become the speaker of every later cue. A cue timing line directly after cue text, without the
blank line the formats require, starts a new cue (an SRT index just before it is dropped).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from coder.errors import ImportFailedError

_TIME = r"(?:(\d+):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?$")
"""A cue timing line; cue settings after the end time are ignored."""
_VOICE_TAG = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
"""A WebVTT voice span's opening tag, ``<v Name>`` or ``<v.loud Name>``."""
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
"""Any markup tag, and SubRip/ASS override codes like ``{\\an8}``."""
_LABEL = re.compile(r"^([^\W\d_][\w.'\-]{0,29}(?: [\w.'\-]{1,30}){0,2})[ \t]*:[ \t]+(?=\S)")
"""A ``Name:`` label at the start of a cue's text: one to three words, then a colon."""
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue, located in the text built from a .vtt or .srt file."""

    start: int
    """First code point of the cue's text in ``SourceText.text``."""
    end: int
    """One past the last code point of the cue's text."""
    start_time: float
    """When the cue starts, in seconds."""
    end_time: float
    """When the cue ends, in seconds."""
    voice: str | None
    """Who speaks, from a ``<v Name>`` tag or a ``Name:`` label, or None."""


@dataclass(frozen=True, slots=True)
class _RawCue:
    """A cue as parsed, before the text is laid out."""

    text: str
    """Cue text without markup, trimmed, lines joined by spaces."""
    start_time: float
    """Start in seconds."""
    end_time: float
    """End in seconds."""
    voice: str | None
    """Speaker: the cue's own ``Name:`` label, else its (or an earlier cue's) ``<v>`` tag."""


def parse_subtitles(text: str, *, kind: str, name: str) -> tuple[str, tuple[Cue, ...]]:
    """Parse normalised .vtt (``kind="vtt"``) or .srt text; return the laid-out text and cues."""
    raw = _parse_cues(text, kind=kind, name=name)
    return _layout(raw)


def _parse_cues(text: str, *, kind: str, name: str) -> list[_RawCue]:
    """Read every cue block, skipping the WebVTT header and NOTE/STYLE/REGION blocks."""
    cues: list[_RawCue] = []
    tagged: str | None = None
    for index, (line_no, block) in enumerate(_blocks(text)):
        first = block[0].strip()
        if kind == "vtt" and (
            (index == 0 and first.startswith("WEBVTT"))
            or any(first == word or first.startswith(word + " ") for word in _SKIPPED_BLOCKS)
        ):
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            raise ImportFailedError(
                f"{name}: line {line_no}: expected a cue timing line like "
                f"'00:00:01{'.' if kind == 'vtt' else ','}000 --> 00:00:04"
                f"{'.' if kind == 'vtt' else ','}000', found {first[:60]!r}"
            )
        for at, payload in _cues_in_block(block, timing_at):
            start, end = _timing(block[at], name=name, line_no=line_no + at)
            cue_text, tag_voice, label_voice = _cue_text(payload, kind=kind)
            tagged = tag_voice if tag_voice is not None else tagged
            if cue_text:
                cues.append(_RawCue(cue_text, start, end, label_voice or tagged))
    return cues


def _cues_in_block(block: list[str], timing_at: int) -> list[tuple[int, list[str]]]:
    """(index of the timing line, payload lines) of each cue in a block.

    A block normally holds one cue; a further timing line inside it (a missing blank line)
    starts another, and a line of digits just before that timing line is its SRT index (or
    WebVTT identifier), not text.
    """
    starts = [timing_at] + [
        i for i in range(timing_at + 1, len(block)) if _TIMING.match(block[i]) is not None
    ]
    found: list[tuple[int, list[str]]] = []
    for number, at in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else len(block)
        if stop < len(block) and stop - 1 > at and block[stop - 1].strip().isdigit():
            stop -= 1
        found.append((at, block[at + 1 : stop]))
    return found


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into blank-line separated blocks of lines, each with its 1-based first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _timing(line: str, *, name: str, line_no: int) -> tuple[float, float]:
    """Parse ``start --> end`` into seconds."""
    match = _TIMING.match(line)
    if match is None:
        raise ImportFailedError(f"{name}: line {line_no}: cannot read cue timing {line.strip()!r}")
    groups = match.groups()
    start, end = _seconds(groups[:4]), _seconds(groups[4:])
    if end < start:
        raise ImportFailedError(f"{name}: line {line_no}: cue ends before it starts")
    return start, end


def _seconds(parts: tuple[str | None, ...]) -> float:
    """Seconds from (hours or None, minutes, seconds, fraction) strings."""
    hours, minutes, seconds, fraction = parts
    millis = int((fraction or "0").ljust(3, "0"))
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return total + millis / 1000


def _cue_text(lines: list[str], *, kind: str) -> tuple[str, str | None, str | None]:
    """A cue payload's plain text, its ``<v>`` tag voice and its ``Name:`` label voice."""
    payload = " ".join(line.strip() for line in lines)
    tag_voice: str | None = None
    label_voice: str | None = None
    if kind == "vtt":
        tag = _VOICE_TAG.search(payload)
        if tag is not None:
            tag_voice = " ".join(html.unescape(tag.group(1)).split()) or None
    plain = html.unescape(_TAG.sub("", payload)).strip()
    if tag_voice is None:
        label = _LABEL.match(plain)
        if label is not None and _looks_like_name(label.group(1)):
            label_voice = label.group(1)
            plain = plain[label.end() :]
    return plain.strip(), tag_voice, label_voice


def _looks_like_name(label: str) -> bool:
    """Whether every word of a ``Label:`` is capitalised or a number (``Sara``, ``P3``,
    ``Speaker 2``), so that ``Det var sånn: ...`` is not taken for a speaker."""
    return all(word[0].isupper() or word[0].isdigit() for word in label.split())


def _layout(raw: list[_RawCue]) -> tuple[str, tuple[Cue, ...]]:
    """Write turns of same-voice cues into one text and locate each cue in it."""
    parts: list[str] = []
    cues: list[Cue] = []
    length = 0
    previous: _RawCue | None = None
    for cue in raw:
        if previous is None or cue.voice != previous.voice:
            head = "\n\n" if previous is not None else ""
            head += f"{cue.voice}: " if cue.voice is not None else ""
        else:
            head = " "
        parts.append(head)
        length += len(head)
        cues.append(Cue(length, length + len(cue.text), cue.start_time, cue.end_time, cue.voice))
        parts.append(cue.text)
        length += len(cue.text)
        previous = cue
    return "".join(parts), tuple(cues)
