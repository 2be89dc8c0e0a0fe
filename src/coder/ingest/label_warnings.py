"""Warnings about speaker labels: lines with unlisted labels, and files with nothing to code.

A warning about unlisted labels ends with the ``[speakers]`` line of coder.toml that would list
them, ready to paste; a warning that nothing is codable names the labels it saw and their roles.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from coder.domain.settings import SpeakerRules
from coder.domain.transcript import ExcerptDraft, Role
from coder.ingest.speaker_labels import UnlistedLabel

NO_CODABLE_EXCERPTS = (
    "no codable excerpts: every turn is an interviewer turn or header text. If participants "
    "speak in this file, add their labels to [speakers] participant in coder.toml and re-import "
    "with --replace."
)
"""The warning for a file with speaker labels but no turn offered for coding (before the labels
seen are added to it)."""
_NUMBER_AT_END = re.compile(r"(?P<base>.*?\D)(?P<gap>[ \t]*)\d+")
"""A label that ends in a number (``id1``, ``SPEAKER_01``, ``Speaker 2``)."""
_OPERATOR = re.compile(r"[.^$*+?{}\[\]\\|()]")
"""Characters with a meaning in a regular expression."""


def _escape(text: str) -> str:
    """``text`` as a pattern that matches it literally; only regex operators are escaped."""
    return _OPERATOR.sub(r"\\\g<0>", text)


def no_codable_warnings(
    excerpts: Sequence[ExcerptDraft], seen: Iterable[tuple[str, Role | None]] = ()
) -> tuple[str, ...]:
    """A warning if there are excerpts but none is codable, naming the ``seen`` labels."""
    if not excerpts or any(e.codable for e in excerpts):
        return ()
    counts = Counter(seen)
    if not counts:
        return (NO_CODABLE_EXCERPTS,)
    listed = ", ".join(
        f"'{label}:' ({role.value if role is not None else 'not in [speakers]'}, {count})"
        for (label, role), count in counts.items()
    )
    head, _, advice = NO_CODABLE_EXCERPTS.partition(". ")
    return (f"{head}; labels seen (role, lines): {listed}. {advice}",)


def suggested_line(speakers: SpeakerRules, labels: Iterable[str]) -> str:
    """The ``participant = [...]`` line of coder.toml with ``labels`` added, as TOML.

    A label in brackets is added without them (``[id1]`` matches ``id1``); a label that ends in
    a number is added for every number (``id\\d+``; ``Speaker`` for ``Speaker 2``), so ``id2`` and
    ``Speaker 3`` are covered too.
    """
    patterns = list(speakers.participant)
    for label in labels:
        core = label.strip()
        if len(core) > 2 and core[0] + core[-1] in ("[]", "()"):
            core = core[1:-1].strip()
        core = core.removesuffix(".") if len(core) > 1 else core
        numbered = _NUMBER_AT_END.fullmatch(core)
        if numbered is None:
            pattern = _escape(core)
        elif numbered["gap"]:  # "Speaker 2": the name alone matches it with any number
            pattern = _escape(numbered["base"])
        else:
            pattern = _escape(numbered["base"]) + r"\d+"
        if pattern not in patterns:
            patterns.append(pattern)
    return "participant = [" + ", ".join(json.dumps(p, ensure_ascii=False) for p in patterns) + "]"


def unlisted_label_warnings(
    text: str,
    unlisted: Sequence[UnlistedLabel],
    first_turn: int | None,
    speakers: SpeakerRules,
) -> tuple[str, ...]:
    """One warning naming each distinct unlisted label, its count and first line; or nothing.

    ``first_turn`` is the offset of the first line with a known label (None if there is none).
    Before it, a label-like line is counted only if its label also starts a line after it or
    starts more than one line: a header line such as ``Dato: 3. mai`` names no speaker.
    """
    after = {u.label for u in unlisted if first_turn is not None and u.line_start >= first_turn}
    totals = Counter(u.label for u in unlisted)
    reported = [u for u in unlisted if u.label in after or totals[u.label] > 1]
    if not reported:
        return ()
    counts = Counter(u.label for u in reported)
    first_lines: dict[str, int] = {}
    for item in reported:
        first_lines.setdefault(item.label, text.count("\n", 0, item.line_start) + 1)
    listed = ", ".join(
        f"'{label}:' ({counts[label]}, first on line {line})"
        if counts[label] > 1
        else f"'{label}:' (1, line {line})"
        for label, line in first_lines.items()
    )
    one = len(reported) == 1
    head = (
        "1 line starts with a label that is"
        if one
        else f"{len(reported)} lines start with labels that are"
    )
    if first_turn is None:
        fate = "it was read as plain text" if one else "they were read as plain text"
    else:
        fate = ("its" if one else "their") + " text was joined to the turn before"
        if any(item.line_start < first_turn for item in reported):
            fate += ", or to the header before the first known label"
    return (
        f"{head} not in coder.toml [speakers]: {listed}; {fate}. Add the names to [speakers] "
        "participant (or interviewer) and re-import with --replace. As participants, the "
        f"line would read: {suggested_line(speakers, first_lines)}",
    )
