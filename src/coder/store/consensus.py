"""The consensus layer: its decisions (read from the event log), excerpt details, decision events.

A decision per (excerpt, code) is *apply* (a ``consensus`` coding exists) or *not apply* (no
such coding, and the latest ``consensus.decide`` event for the pair says so). The codings
themselves are written by ``coder.store.operations`` like any coder's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from coder.domain.coders import CONSENSUS
from coder.domain.events import CODE, EXCERPT
from coder.errors import NotFoundError
from coder.store.operations import log_event
from coder.store.roles import require_lead
from coder.store.schema import coders as coder_table
from coder.store.schema import codings, events, excerpts, transcripts

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

DECISION_EVENT = "consensus.decide"
"""Event kind recording each decision (who compared, apply or not)."""


@dataclass(frozen=True, slots=True)
class ExcerptDetail:
    """An excerpt as the adjudication screen shows it, with each compared coder's codes."""

    transcript_id: str
    """Its transcript."""
    seq: int
    """Its number within the transcript."""
    speaker: str | None
    """Speaker label."""
    text: str
    """The excerpt's text."""
    codes: dict[str, tuple[str, ...]]
    """Each compared coder's codes on the excerpt, in codebook order."""


def consensus_decisions(project: ProjectContext, code: str) -> dict[int, bool]:
    """Excerpt id -> decision for ``code`` in the consensus layer (undecided excerpts absent)."""
    who = project.store.existing_coder(CONSENSUS)
    if who is None:
        return {}  # no consensus layer yet
    with project.store.read() as conn:
        present = {
            int(e)
            for e in conn.execute(
                select(codings.c.excerpt_id).where(
                    codings.c.coder_id == who, codings.c.code_id == code
                )
            ).scalars()
        }
        logged = conn.execute(
            select(events.c.payload)
            .where(events.c.coder_id == who, events.c.kind == DECISION_EVENT)
            .order_by(events.c.id)
        ).scalars()
        latest: dict[int, bool] = {}
        for payload in logged:
            data = json.loads(payload)
            if data.get(CODE) == code:
                latest[int(data[EXCERPT])] = bool(data["apply"])
    decisions = {excerpt: False for excerpt, apply in latest.items() if not apply}
    decisions.update(dict.fromkeys(present, True))
    return decisions


def excerpt_details(
    project: ProjectContext, excerpt_ids: Sequence[int], coders: Sequence[str]
) -> dict[int, ExcerptDetail]:
    """Transcript, seq, speaker, text and each named coder's codes, per excerpt."""
    order = {code.id: index for index, code in enumerate(project.codebook.codes)}
    found: dict[int, ExcerptDetail] = {}
    texts: dict[str, str] = {}
    with project.store.read() as conn:
        for start in range(0, len(excerpt_ids), 500):
            chunk = list(excerpt_ids[start : start + 500])
            rows = conn.execute(select(excerpts).where(excerpts.c.id.in_(chunk))).all()
            applied: dict[tuple[int, str], set[str]] = {}
            for excerpt_id, name, code_id in conn.execute(
                select(codings.c.excerpt_id, coder_table.c.name, codings.c.code_id)
                .join(coder_table, coder_table.c.id == codings.c.coder_id)
                .where(codings.c.excerpt_id.in_(chunk), coder_table.c.name.in_(list(coders)))
            ):
                applied.setdefault((int(excerpt_id), str(name)), set()).add(str(code_id))
            for row in rows:
                if row.transcript_id not in texts:
                    texts[row.transcript_id] = conn.execute(
                        select(transcripts.c.text).where(transcripts.c.id == row.transcript_id)
                    ).scalar_one()
                codes = {
                    name: tuple(
                        sorted(applied.get((row.id, name), ()), key=lambda c: order.get(c, -1))
                    )
                    for name in coders
                }
                text = texts[row.transcript_id][row.start : row.end]
                found[int(row.id)] = ExcerptDetail(
                    row.transcript_id, int(row.seq), row.speaker, text, codes
                )
    return found


def consensus_spans(
    project: ProjectContext, excerpt_id: int, code: str
) -> list[tuple[int, int] | None]:
    """The spans of the consensus codings of ``code`` on an excerpt (None: the whole excerpt).

    Raises ``NotFoundError`` for an excerpt id the project does not have.
    """
    who = project.store.coder_id(CONSENSUS)
    with project.store.read() as conn:
        if conn.execute(select(excerpts.c.id).where(excerpts.c.id == excerpt_id)).first() is None:
            raise NotFoundError(f"unknown excerpt id {excerpt_id}")
        return [
            None if start is None else (int(start), int(end))
            for start, end in conn.execute(
                select(codings.c.span_start, codings.c.span_end).where(
                    codings.c.coder_id == who,
                    codings.c.excerpt_id == excerpt_id,
                    codings.c.code_id == code,
                )
            )
        ]


def log_decision(
    project: ProjectContext,
    excerpt_id: int,
    code: str,
    apply: bool,
    coders: Sequence[str],
    *,
    note: str = "",
) -> None:
    """Log one ``consensus.decide`` event naming the compared coders (and the lead's note)."""
    require_lead(project.store, "the consensus layer")
    who = project.store.coder_id(CONSENSUS)
    payload = {
        EXCERPT: excerpt_id,
        CODE: code,
        "apply": apply,
        "coders": list(coders),
        "note": note,
    }
    with project.store.write() as conn:
        log_event(conn, who, DECISION_EVENT, payload)


def decision_notes(project: ProjectContext, code: str) -> dict[int, str]:
    """Excerpt id -> the lead's note on the latest decision about ``code`` (with a note)."""
    from coder.store.consensus_log import ConsensusLog

    with project.store.read() as conn:
        log = ConsensusLog.read(conn, code)
    return {excerpt: d.note for (excerpt, _), d in log.decisions.items() if d.note}


def log_rating_decision(project: ProjectContext, payload: Mapping[str, object]) -> None:
    """Log one ``consensus.rate`` event: the lead's decision on a case rating, with its note."""
    from coder.store.consensus_log import RATING_EVENT

    require_lead(project.store, "the consensus layer")
    who = project.store.coder_id(CONSENSUS)
    with project.store.write() as conn:
        log_event(conn, who, RATING_EVENT, dict(payload))
