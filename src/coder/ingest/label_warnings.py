"""Warnings about speaker labels: lines with unlisted labels, and files with nothing to code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from coder.domain.transcript import ExcerptDraft
from coder.ingest.speaker_labels import UnlistedLabel

NO_CODABLE_EXCERPTS = (
    "no codable excerpts: every turn is an interviewer turn or header text. If participants "
    "speak in this file, add their labels to [speakers] participant in coder.toml and re-import "
    "with --replace."
)
"""The warning for a file with speaker labels but no turn offered for coding."""


def no_codable_warnings(excerpts: Sequence[ExcerptDraft]) -> tuple[str, ...]:
    """``NO_CODABLE_EXCERPTS`` if there are excerpts but none is codable, else nothing."""
    return (NO_CODABLE_EXCERPTS,) if excerpts and not any(e.codable for e in excerpts) else ()


def unlisted_label_warnings(
    text: str, unlisted: Sequence[UnlistedLabel], first_turn: int | None
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
        "participant (or interviewer) and re-import with --replace.",
    )
