"""Reads for the suggestion model: labelled excerpts, unreviewed excerpts, decisions since a model.

For each source coder and excerpt (see ``coder.suggest.training_data`` for what the labels
mean): the codable codes the coder applied, whether the coder marked it reviewed, and the
suggestions the coder rejected there (events ``suggestion.reject``, except those the coder
undid). Plain data out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from coder.domain.events import (
    CODE,
    CODING_DECISIONS,
    CODINGS_IMPORTED,
    EXCERPT,
    SUGGESTION_REJECTED,
)
from coder.errors import NotFoundError
from coder.store.history import undone_events
from coder.store.schema import coders, codings, events, excerpts, reviews, transcripts

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class LabelledExcerpt:
    """One source coder's labels on one excerpt, with the excerpt's text."""

    excerpt_id: int
    """Excerpt database id."""
    coder: str
    """Source coder name."""
    text: str
    """Excerpt text."""
    positives: frozenset[str]
    """Codable codes applied."""
    reviewed: bool
    """Whether every other code is an observed absence."""
    rejected: frozenset[str]
    """Suggestions the coder rejected here (and did not apply after all)."""


def _source_coders(conn: Connection, coder: str | None) -> dict[int, str]:
    query = select(coders.c.id, coders.c.name)
    if coder is None:
        query = query.where(coders.c.kind == "human")
    else:
        query = query.where(coders.c.name == coder)
    found = {int(i): str(n) for i, n in conn.execute(query)}
    if coder is not None and not found:
        raise NotFoundError(f"unknown coder {coder!r}: nobody of that name has coded yet")
    return found


def source_coders(project: ProjectContext, coder: str | None) -> dict[int, str]:
    """Id -> name of the coder named (NotFoundError if unknown), or of every human coder."""
    with project.store.read() as conn:
        return _source_coders(conn, coder)


def labelled_excerpts(
    project: ProjectContext, coder: str | None, *, consensus: bool = False
) -> list[LabelledExcerpt]:
    """Every (source coder, excerpt) pair with a coding, a review mark or a rejection.

    ``coder`` None: every human coder. ``consensus``: the source is the consensus layer, whose
    coded excerpts count as fully decided (reviewed).
    """
    codable = {code.id for code in project.codebook.codable_codes}
    with project.store.read() as conn:
        who = _source_coders(conn, coder)
        ids = list(who)
        coded: dict[tuple[int, int], set[str]] = {}
        for c, e, code in conn.execute(
            select(codings.c.coder_id, codings.c.excerpt_id, codings.c.code_id).where(
                codings.c.coder_id.in_(ids)
            )
        ):
            if code in codable:
                coded.setdefault((int(c), int(e)), set()).add(str(code))
        reviewed = {
            (int(c), int(e))
            for c, e in conn.execute(
                select(reviews.c.coder_id, reviews.c.excerpt_id).where(reviews.c.coder_id.in_(ids))
            )
        }
        if consensus:  # an adjudicated excerpt is fully decided
            reviewed |= set(coded)
        rejected: dict[tuple[int, int], set[str]] = {}
        undone = undone_events(conn, ids)  # a rejection the coder undid is no evidence
        for event_id, c, payload in conn.execute(
            select(events.c.id, events.c.coder_id, events.c.payload).where(
                events.c.kind == SUGGESTION_REJECTED, events.c.coder_id.in_(ids)
            )
        ):
            if event_id in undone:
                continue
            data = json.loads(payload)
            rejected.setdefault((int(c), int(data[EXCERPT])), set()).add(str(data[CODE]))
        keys = sorted(set(coded) | reviewed | set(rejected), key=lambda k: (k[1], k[0]))
        wanted = sorted({e for _, e in keys})
        spans: dict[int, tuple[str, int, int]] = {}
        for chunk in range(0, len(wanted), 500):
            rows = conn.execute(
                select(
                    excerpts.c.id, excerpts.c.transcript_id, excerpts.c.start, excerpts.c.end
                ).where(excerpts.c.id.in_(wanted[chunk : chunk + 500]))
            )
            for e, t, start, end in rows:
                spans[int(e)] = (str(t), int(start), int(end))
        texts = {
            str(t): str(text)
            for t, text in conn.execute(
                select(transcripts.c.id, transcripts.c.text).where(
                    transcripts.c.id.in_(sorted({t for t, _, _ in spans.values()}))
                )
            )
        }
    result: list[LabelledExcerpt] = []
    for c, e in keys:
        if e not in spans:
            continue
        t, start, end = spans[e]
        positives = frozenset(coded.get((c, e), set()))
        result.append(
            LabelledExcerpt(
                e,
                who[c],
                texts[t][start:end],
                positives,
                (c, e) in reviewed,
                frozenset(rejected.get((c, e), set()) - positives),
            )
        )
    return result


def unreviewed_excerpts(
    project: ProjectContext, coder: str, *, transcript_id: str | None = None
) -> list[tuple[int, str]]:
    """(excerpt id, text) of codable excerpts ``coder`` has not reviewed, in reading order."""
    who = project.store.coder_id(coder)
    seen = select(reviews.c.excerpt_id).where(reviews.c.coder_id == who)
    query = (
        select(excerpts.c.id, excerpts.c.transcript_id, excerpts.c.start, excerpts.c.end)
        .where(excerpts.c.codable.is_(True), excerpts.c.id.not_in(seen))
        .order_by(excerpts.c.transcript_id, excerpts.c.seq)
    )
    if transcript_id is not None:
        query = query.where(excerpts.c.transcript_id == transcript_id)
    with project.store.read() as conn:
        rows = conn.execute(query).all()
        wanted = sorted({str(row[1]) for row in rows})
        texts = {
            str(t): str(text)
            for t, text in conn.execute(
                select(transcripts.c.id, transcripts.c.text).where(transcripts.c.id.in_(wanted))
            )
        }
    return [(int(e), texts[str(t)][start:end]) for e, t, start, end in rows]


def change_marker(project: ProjectContext) -> int:
    """Id of the newest event (what a model was trained up to)."""
    with project.store.read() as conn:
        return int(conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one())


def changes_since(project: ProjectContext, event_id: int) -> int:
    """Coding decisions (applied, removed, rejected, imported) logged after ``event_id``."""
    with project.store.read() as conn:
        humans = select(coders.c.id).where(coders.c.kind.in_(("human", "consensus")))
        count = int(
            conn.execute(
                select(func.count())
                .select_from(events)
                .where(
                    events.c.id > event_id,
                    events.c.kind.in_(CODING_DECISIONS),
                    events.c.coder_id.in_(humans),
                )
            ).scalar_one()
        )
        for (payload,) in conn.execute(
            select(events.c.payload).where(
                events.c.id > event_id, events.c.kind == CODINGS_IMPORTED
            )
        ):
            count += int(json.loads(payload).get("added", 0))
    return count
