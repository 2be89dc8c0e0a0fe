"""``segment``: cut a ``SourceText`` into excerpts, one per speaker turn, long turns split.

Long turns are split at paragraph breaks, then line breaks, then sentence ends
(``long_turns``).

Text sources are cut at line-start speaker labels, subtitle sources at changes of voice. Every
excerpt is a non-empty range ``[start, end)`` of ``source.text`` without white space at either
end; excerpts are in text order and never overlap. Labels, and timestamps written before them,
are in no excerpt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coder.domain.settings import SegmentationRules, SpeakerRules
from coder.domain.transcript import ExcerptDraft, Role
from coder.ingest.label_warnings import no_codable_warnings, unlisted_label_warnings
from coder.ingest.long_turns import (
    merge_greedily,
    split_paragraph_units,
    split_turn,
    trim,
)
from coder.ingest.source_text import SourceText
from coder.ingest.speaker_labels import SpeakerMatcher
from coder.ingest.subtitles import Cue


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The excerpts cut from one source, and what the user should know about the cut."""

    excerpts: tuple[ExcerptDraft, ...]
    """Excerpts in text order."""
    warnings: tuple[str, ...] = ()
    """Things worth telling the user, e.g. that no speaker labels were found."""
    notes: tuple[str, ...] = ()
    """What the cut found that is not a problem, e.g. the voices of a subtitle file."""


def segment(source: SourceText, speakers: SpeakerRules, rules: SegmentationRules) -> Segmentation:
    """Cut ``source`` into excerpts by speaker turn (or subtitle voice), splitting long turns."""
    matcher = SpeakerMatcher.from_rules(speakers)
    if source.cues:
        excerpts = _subtitle_excerpts(source.text, source.cues, matcher, rules)
        notes = (voices_note(source.cues, matcher),)
        seen = [(c.voice, matcher.role_of(c.voice)) for c in source.cues if c.voice is not None]
        return Segmentation(excerpts, no_codable_warnings(excerpts, seen), notes)
    return _text_segmentation(source, matcher, rules, speakers)


def _text_segmentation(
    source: SourceText, matcher: SpeakerMatcher, rules: SegmentationRules, speakers: SpeakerRules
) -> Segmentation:
    """Turns start at labelled lines; text before the first label is a non-codable preamble."""
    text = source.text
    labelled = matcher.labelled_lines(text)
    unlisted = matcher.unlisted_labels(text)
    if not labelled:
        excerpts = [
            ExcerptDraft(start, end, None, Role.UNKNOWN, True)
            for start, end in split_paragraph_units(text, 0, len(text), rules.max_chars)
        ]
        warning = f"{source.format} text has no speaker labels; made one excerpt per paragraph"
        return Segmentation(
            tuple(excerpts), (warning, *unlisted_label_warnings(text, unlisted, None, speakers))
        )
    excerpts = [
        ExcerptDraft(start, end, None, Role.UNKNOWN, False)
        for start, end in split_paragraph_units(text, 0, labelled[0].line_start, rules.max_chars)
    ]
    for index, line in enumerate(labelled):
        stop = labelled[index + 1].line_start if index + 1 < len(labelled) else len(text)
        codable = rules.code_interviewer if line.role is Role.INTERVIEWER else True
        parts = split_turn(text, line.content_start, stop, rules.max_chars)
        for number, (start, end) in enumerate(parts):
            # A timestamp before the label gives the start of the turn's first part only.
            start_time = line.start_time if number == 0 else None
            excerpts.append(
                ExcerptDraft(start, end, line.speaker, line.role, codable, start_time=start_time)
            )
    warnings = unlisted_label_warnings(text, unlisted, labelled[0].line_start, speakers)
    found: list[tuple[int, str, Role | None]] = [
        *((line.line_start, line.speaker, line.role) for line in labelled),
        *((label.line_start, label.label, None) for label in unlisted),
    ]
    seen = [(label, role) for _, label, role in sorted(found, key=lambda item: item[0])]
    return Segmentation(tuple(excerpts), warnings + no_codable_warnings(excerpts, seen))


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


def voices_note(cues: Sequence[Cue], matcher: SpeakerMatcher) -> str:
    """``voices: Sara (participant, 5 cues), ...``: every voice of a subtitle file and its role.

    A voice that no [speakers] rule lists is coded as a participant; the note says so, so that
    a word taken for a name (``Digo:``) is seen at once.
    """
    counts = Counter(cue.voice for cue in cues)
    parts: list[str] = []
    for voice, count in counts.items():
        if voice is None:
            continue
        role = matcher.role_of(voice)
        what = role.value if role is not None else "not in [speakers], coded as participant"
        parts.append(f"{voice} ({what}, {count} cue{'s' if count != 1 else ''})")
    listed = ", ".join(parts) if parts else "none named"
    unvoiced = counts.get(None, 0)
    tail = f"; {unvoiced} cue{'s' if unvoiced != 1 else ''} without a voice" if unvoiced else ""
    return f"voices: {listed}{tail}"


def _pack(turn: list[Cue], max_chars: int) -> list[tuple[Cue, Cue]]:
    """Greedily group consecutive cues into parts no longer than ``max_chars`` where possible."""
    spans = merge_greedily([(cue.start, cue.end) for cue in turn], max_chars)
    by_start = {cue.start: cue for cue in turn}
    by_end = {cue.end: cue for cue in turn}
    return [(by_start[start], by_end[end]) for start, end in spans]
