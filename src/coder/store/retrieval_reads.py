"""Reads for code retrieval: retrieved excerpts with their neighbours, and coded spans.

``segment_contexts`` gives each excerpt's text with up to ``around`` excerpts before and after
it in its transcript (speaker and text), all in one read transaction; ``coded_spans`` the
narrower spans of the chosen coders' codings on those excerpts; ``coder_records`` whose codings
a lead can choose from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from coder.domain.coders import CoderRecord
from coder.store.schema import coders, codings, excerpts, transcripts

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

CHUNK = 500
"""Ids per ``IN`` list (well under SQLite's bound-parameter limit)."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """An excerpt shown around a retrieved one."""

    excerpt_id: int
    """Database id."""
    seq: int
    """Excerpt number in its transcript."""
    speaker: str | None
    """Speaker label."""
    text: str
    """The excerpt's text."""


@dataclass(frozen=True, slots=True)
class SegmentContext:
    """A retrieved excerpt: its text, where it starts, and the excerpts around it."""

    excerpt_id: int
    """Database id."""
    start: int
    """Offset of its first character in the transcript (spans are transcript offsets)."""
    text: str
    """The excerpt's text."""
    before: tuple[Neighbour, ...]
    """Up to ``around`` excerpts before it, in order."""
    after: tuple[Neighbour, ...]
    """Up to ``around`` excerpts after it, in order."""


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for offset in range(0, len(ids), CHUNK):
        yield list(ids[offset : offset + CHUNK])


def segment_contexts(
    project: ProjectContext, excerpt_ids: Collection[int], around: int = 1
) -> dict[int, SegmentContext]:
    """Excerpt id -> its text and ``around`` neighbours each side (``around`` >= 0)."""
    wanted = sorted({int(value) for value in excerpt_ids})
    result: dict[int, SegmentContext] = {}
    with project.store.read() as conn:
        by_transcript: dict[str, list[int]] = {}
        for chunk in _chunks(wanted):
            query = select(excerpts.c.id, excerpts.c.transcript_id).where(excerpts.c.id.in_(chunk))
            for excerpt_id, transcript_id in conn.execute(query):
                by_transcript.setdefault(str(transcript_id), []).append(int(excerpt_id))
        for transcript_id, ids in sorted(by_transcript.items()):
            text = str(
                conn.execute(
                    select(transcripts.c.text).where(transcripts.c.id == transcript_id)
                ).scalar_one()
            )
            rows = conn.execute(
                select(
                    excerpts.c.id,
                    excerpts.c.seq,
                    excerpts.c.start,
                    excerpts.c.end,
                    excerpts.c.speaker,
                )
                .where(excerpts.c.transcript_id == transcript_id)
                .order_by(excerpts.c.seq)
            ).all()
            everyone = [Neighbour(int(r[0]), int(r[1]), r[4], text[r[2] : r[3]]) for r in rows]
            position = {row[0]: index for index, row in enumerate(rows)}
            for excerpt_id in ids:
                index = position[excerpt_id]
                row = rows[index]
                result[excerpt_id] = SegmentContext(
                    excerpt_id,
                    int(row[2]),
                    text[row[2] : row[3]],
                    tuple(everyone[max(0, index - around) : index]),
                    tuple(everyone[index + 1 : index + 1 + around]),
                )
    return result


def coded_spans(
    project: ProjectContext, excerpt_ids: Collection[int], coder_ids: Collection[int]
) -> dict[tuple[int, int], list[tuple[str, int, int]]]:
    """(excerpt id, coder id) -> [(code id, span start, span end)] of span codings there."""
    wanted = sorted({int(value) for value in excerpt_ids})
    who = sorted({int(value) for value in coder_ids})
    result: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
    if not wanted or not who:
        return result
    with project.store.read() as conn:
        for chunk in _chunks(wanted):
            query = (
                select(
                    codings.c.excerpt_id,
                    codings.c.coder_id,
                    codings.c.code_id,
                    codings.c.span_start,
                    codings.c.span_end,
                )
                .where(
                    codings.c.excerpt_id.in_(chunk),
                    codings.c.coder_id.in_(who),
                    codings.c.span_start.is_not(None),
                )
                .order_by(codings.c.span_start, codings.c.id)
            )
            for excerpt_id, coder_id, code_id, start, end in conn.execute(query):
                key = (int(excerpt_id), int(coder_id))
                result.setdefault(key, []).append((str(code_id), int(start), int(end)))
    return result


def coder_records(project: ProjectContext) -> list[CoderRecord]:
    """Every registered coder (people, ``model``, ``consensus``), in name order."""
    query = select(coders.c.id, coders.c.name, coders.c.kind).order_by(coders.c.name)
    with project.store.read() as conn:
        return [CoderRecord(int(r[0]), str(r[1]), str(r[2])) for r in conn.execute(query)]
