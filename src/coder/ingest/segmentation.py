"""``segment``: cut a ``SourceText`` into excerpts, one per speaker turn, long turns split.

Text sources are cut at line-start speaker labels, subtitle sources at changes of voice. Every
excerpt is a non-empty range ``[start, end)`` of ``source.text`` without white space at either
end; excerpts are in text order and never overlap. Labels, and timestamps written before them,
are in no excerpt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.domain.transcript import ExcerptDraft, Role
from coder.ingest.label_warnings import no_codable_warnings, unlisted_label_warnings
from coder.ingest.source_text import SourceText
from coder.ingest.speaker_labels import SpeakerMatcher
from coder.ingest.subtitles import Cue

_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
"""A paragraph break: a line end followed by one or more blank (or white-space-only) lines."""


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The excerpts cut from one source, and what the user should know about the cut."""

    excerpts: tuple[ExcerptDraft, ...]
    """Excerpts in text order."""
    warnings: tuple[str, ...] = ()
    """Things worth telling the user, e.g. that no speaker labels were found."""


def segment(source: SourceText, speakers: SpeakerRules, rules: SegmentationRules) -> Segmentation:
    """Cut ``source`` into excerpts by speaker turn (or subtitle voice), splitting long turns."""
    matcher = SpeakerMatcher.from_rules(speakers)
    if source.cues:
        excerpts = _subtitle_excerpts(source.text, source.cues, matcher, rules)
        return Segmentation(excerpts, no_codable_warnings(excerpts))
    return _text_segmentation(source, matcher, rules)


def _text_segmentation(
    source: SourceText, matcher: SpeakerMatcher, rules: SegmentationRules
) -> Segmentation:
    """Turns start at labelled lines; text before the first label is a non-codable preamble."""
    text = source.text
    labelled = matcher.labelled_lines(text)
    unlisted = matcher.unlisted_labels(text)
    if not labelled:
        excerpts = [
            ExcerptDraft(start, end, None, Role.UNKNOWN, True)
            for start, end in paragraphs(text, 0, len(text))
        ]
        warning = f"{source.format} text has no speaker labels; made one excerpt per paragraph"
        return Segmentation(
            tuple(excerpts), (warning, *unlisted_label_warnings(text, unlisted, None))
        )
    excerpts = [
        ExcerptDraft(start, end, None, Role.UNKNOWN, False)
        for start, end in paragraphs(text, 0, labelled[0].line_start)
    ]
    for index, line in enumerate(labelled):
        stop = labelled[index + 1].line_start if index + 1 < len(labelled) else len(text)
        turn = trim(text, line.content_start, stop)
        if turn is None:
            continue
        codable = rules.code_interviewer if line.role is Role.INTERVIEWER else True
        parts = split_long(paragraphs(text, *turn), rules.max_chars)
        for number, (start, end) in enumerate(parts):
            # A timestamp before the label gives the start of the turn's first part only.
            start_time = line.start_time if number == 0 else None
            excerpts.append(
                ExcerptDraft(start, end, line.speaker, line.role, codable, start_time=start_time)
            )
    warnings = unlisted_label_warnings(text, unlisted, labelled[0].line_start)
    return Segmentation(tuple(excerpts), warnings + no_codable_warnings(excerpts))


def _subtitle_excerpts(
    text: str, cues: Sequence[Cue], matcher: SpeakerMatcher, rules: SegmentationRules
) -> tuple[ExcerptDraft, ...]:
    """One excerpt per run of same-voice cues, split at cue boundaries when too long."""
    excerpts: list[ExcerptDraft] = []
    turn: list[Cue] = []
    for cue in [*cues, None]:
        if turn and (cue is None or cue.voice != turn[0].voice):
            voice = turn[0].voice
            if voice is None:
                role, codable = Role.UNKNOWN, True
            else:
                role = matcher.role_of(voice) or Role.PARTICIPANT
                codable = rules.code_interviewer if role is Role.INTERVIEWER else True
            for first, last in _pack(turn, rules.max_chars):
                span = trim(text, first.start, last.end)
                if span is None:
                    continue
                excerpts.append(
                    ExcerptDraft(
                        *span,
                        voice,
                        role,
                        codable,
                        start_time=first.start_time,
                        end_time=last.end_time,
                    )
                )
            turn = []
        if cue is not None and cue.end > cue.start:
            turn.append(cue)
    return tuple(excerpts)


def _pack(turn: list[Cue], max_chars: int) -> list[tuple[Cue, Cue]]:
    """Greedily group consecutive cues into parts no longer than ``max_chars`` where possible."""
    spans = split_long([(cue.start, cue.end) for cue in turn], max_chars)
    by_start = {cue.start: cue for cue in turn}
    by_end = {cue.end: cue for cue in turn}
    return [(by_start[start], by_end[end]) for start, end in spans]


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` past white space at both ends; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trimmed, non-empty, blank-line separated paragraphs of ``text[start:end]``."""
    found: list[tuple[int, int]] = []
    position = start
    for match in _BLANK_LINES.finditer(text, start, end):
        piece = trim(text, position, match.start())
        if piece is not None:
            found.append(piece)
        position = match.end()
    piece = trim(text, position, end)
    if piece is not None:
        found.append(piece)
    return found


def split_long(parts: Sequence[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Merge consecutive ``parts`` into ranges as long as possible but ``<= max_chars``.

    A range is measured from its first part's start to its last part's end. A single part
    longer than ``max_chars`` stays whole. When the whole span fits, it is one range.
    """
    if not parts:
        return []
    if parts[-1][1] - parts[0][0] <= max_chars:
        return [(parts[0][0], parts[-1][1])]
    merged: list[tuple[int, int]] = []
    current_start, current_end = parts[0]
    for start, end in parts[1:]:
        if end - current_start <= max_chars:
            current_end = end
        else:
            merged.append((current_start, current_end))
            current_start, current_end = start, end
    merged.append((current_start, current_end))
    return merged
