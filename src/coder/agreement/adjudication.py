"""Adjudication: walk the excerpts coders disagree on for a code, and record a consensus.

Decisions go to the separate ``consensus`` coder (origin ``consensus``) through the store's own
operations, so each coder's codings stay untouched and exports can select the layer like any
coder. A decision per (excerpt, code) is: *apply* (a consensus coding exists) or *not apply*
(no consensus coding, and the latest ``consensus.decide`` event for the pair says so). The
excerpt is marked reviewed by ``consensus``. Plain functions; the TUI screen calls them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError, NotFoundError

if TYPE_CHECKING:
    from coder.project.project import Project

CONSENSUS = "consensus"
"""The coder that holds the adjudicated layer."""
DECISION_EVENT = "consensus.decide"
"""Event kind recording each decision (who compared, apply or not)."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One excerpt on which the compared coders disagree about a code."""

    excerpt_id: int
    """Database id."""
    transcript_id: str
    """Its transcript."""
    seq: int
    """Its number within the transcript."""
    speaker: str | None
    """Speaker label."""
    text: str
    """The excerpt's text."""
    code: str
    """The code in question."""
    applied_by: tuple[str, ...]
    """Coders who applied the code."""
    not_applied_by: tuple[str, ...]
    """Coders who reviewed the excerpt without applying it."""
    codes: dict[str, tuple[str, ...]]
    """Each compared coder's codes on the excerpt, in codebook order (side by side)."""
    decision: bool | None
    """The consensus so far: True apply, False do not apply, None undecided."""
    note: str = ""
    """The lead's note on the decision ("" without one)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "excerpt_id": self.excerpt_id,
            "transcript": self.transcript_id,
            "seq": self.seq,
            "speaker": self.speaker,
            "text": self.text,
            "code": self.code,
            "applied_by": list(self.applied_by),
            "not_applied_by": list(self.not_applied_by),
            "codes": {name: list(codes) for name, codes in self.codes.items()},
            "decision": self.decision,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class AdjudicationProgress:
    """How far the consensus on one code has come."""

    code: str
    """The code."""
    coders: tuple[str, ...]
    """The compared coders."""
    disagreeing: int
    """Excerpts the coders disagree on."""
    decided: int
    """Of those, excerpts with a consensus decision."""
    applied: int
    """Decisions to apply the code."""

    @property
    def remaining(self) -> int:
        """Disagreements still to decide."""
        return self.disagreeing - self.decided

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "code": self.code,
            "coders": list(self.coders),
            "disagreeing": self.disagreeing,
            "decided": self.decided,
            "applied": self.applied,
            "not_applied": self.decided - self.applied,
            "remaining": self.remaining,
        }


def _check_coders(coders: Sequence[str] | None) -> None:
    if coders is not None and CONSENSUS in coders:
        raise CoderError("the consensus layer cannot be one of the coders being adjudicated")


def consensus_decisions(project: Project, code: str) -> dict[int, bool]:
    """Excerpt id -> decision for ``code`` in the consensus layer (undecided excerpts absent)."""
    from sqlalchemy import select

    from coder.store.schema import codings, events

    try:
        who = project.coder_id(CONSENSUS, create=False)
    except NotFoundError:
        return {}  # no consensus layer yet
    with project.engine.connect() as conn:
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
            if data.get("code") == code:
                latest[int(data["excerpt"])] = bool(data["apply"])
    decisions = {excerpt: False for excerpt, apply in latest.items() if not apply}
    decisions.update(dict.fromkeys(present, True))
    return decisions


def decision_notes(project: Project, code: str) -> dict[int, str]:
    """Excerpt id -> the lead's note on the latest decision about ``code`` (with a note)."""
    from coder.store.consensus_log import ConsensusLog

    with project.engine.connect() as conn:
        log = ConsensusLog.read(conn, code)
    return {excerpt: d.note for (excerpt, _), d in log.decisions.items() if d.note}


def disagreements(
    project: Project, code: str, coders: Sequence[str] | None = None
) -> list[Disagreement]:
    """Excerpts every compared coder reviewed on which they disagree about ``code``."""
    import numpy as np

    from coder.agreement.excerpt_units import load_excerpt_units

    _check_coders(coders)
    units = load_excerpt_units(project, coders, [code])
    column = units.presence[:, :, 0]
    split = np.nonzero(column.any(axis=0) & ~column.all(axis=0))[0]
    chosen = [int(units.excerpt_ids[u]) for u in split]
    details = _excerpt_details(project, chosen, units.coders)
    decisions = consensus_decisions(project, code)
    notes = decision_notes(project, code)
    result = []
    for u, excerpt_id in zip(split, chosen, strict=True):
        transcript, seq, speaker, text, codes = details[excerpt_id]
        marks = column[:, u]
        result.append(
            Disagreement(
                excerpt_id=excerpt_id,
                transcript_id=transcript,
                seq=seq,
                speaker=speaker,
                text=text,
                code=code,
                applied_by=tuple(n for n, on in zip(units.coders, marks, strict=True) if on),
                not_applied_by=tuple(
                    n for n, on in zip(units.coders, marks, strict=True) if not on
                ),
                codes=codes,
                decision=decisions.get(excerpt_id),
                note=notes.get(excerpt_id, ""),
            )
        )
    return result


def _excerpt_details(
    project: Project, excerpt_ids: list[int], coders: Sequence[str]
) -> dict[int, tuple[str, int, str | None, str, dict[str, tuple[str, ...]]]]:
    """Transcript, seq, speaker, text and each coder's codes, per excerpt."""
    from sqlalchemy import select

    from coder.store.schema import coders as coder_table
    from coder.store.schema import codings, excerpts, transcripts

    order = {code.id: index for index, code in enumerate(project.codebook.codes)}
    found: dict[int, tuple[str, int, str | None, str, dict[str, tuple[str, ...]]]] = {}
    texts: dict[str, str] = {}
    with project.engine.connect() as conn:
        for start in range(0, len(excerpt_ids), 500):
            chunk = excerpt_ids[start : start + 500]
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
                found[int(row.id)] = (row.transcript_id, int(row.seq), row.speaker, text, codes)
    return found


def record_consensus(
    project: Project,
    excerpt_id: int,
    code: str,
    apply: bool,
    *,
    coders: Sequence[str] = (),
    note: str = "",
) -> bool:
    """Record the consensus on one excerpt and code; True when the consensus layer changed.

    Writes only the ``consensus`` coder's codings, reviewed mark and a ``consensus.decide``
    event naming the compared ``coders``, through ``apply_code``/``remove_code``,
    ``mark_reviewed`` and ``log_event``: three transactions, not one. The decision is read
    back so that any prefix of them is consistent: a consensus coding alone reads as *apply*;
    a removal without its event reads as undecided, never as a decision nobody made.
    """
    from sqlalchemy import select

    from coder.domain.transcript import Origin
    from coder.store.database import writer
    from coder.store.operations import (
        apply_code,
        check_code,
        log_event,
        mark_reviewed,
        remove_code,
    )
    from coder.store.schema import codings, excerpts

    _check_coders(coders)
    check_code(project, code)
    who = project.coder_id(CONSENSUS)
    with project.engine.connect() as conn:
        if conn.execute(select(excerpts.c.id).where(excerpts.c.id == excerpt_id)).first() is None:
            raise NotFoundError(f"unknown excerpt id {excerpt_id}")
        spans = [
            None if start is None else (int(start), int(end))
            for start, end in conn.execute(
                select(codings.c.span_start, codings.c.span_end).where(
                    codings.c.coder_id == who,
                    codings.c.excerpt_id == excerpt_id,
                    codings.c.code_id == code,
                )
            )
        ]
    if apply:
        changed = apply_code(project, CONSENSUS, excerpt_id, code, origin=Origin.CONSENSUS)
    else:
        changed = False
        for span in spans:
            changed = remove_code(project, CONSENSUS, excerpt_id, code, span=span) or changed
    mark_reviewed(project, CONSENSUS, excerpt_id)
    payload = {
        "excerpt": excerpt_id,
        "code": code,
        "apply": apply,
        "coders": list(coders),
        "note": note,
    }
    with writer(project.engine).begin() as conn:
        log_event(conn, who, DECISION_EVENT, payload)
    return changed


def progress_by_code(
    project: Project, coders: Sequence[str] | None = None, codes: Sequence[str] | None = None
) -> dict[str, AdjudicationProgress]:
    """``adjudication_progress`` for every codable code (or ``codes``), units read once."""
    import numpy as np

    from coder.agreement.excerpt_units import load_excerpt_units

    _check_coders(coders)
    wanted = list(codes) if codes is not None else [c.id for c in project.codebook.codable_codes]
    units = load_excerpt_units(project, coders, wanted)
    found = {}
    for index, code in enumerate(units.codes):
        column = units.presence[:, :, index]
        split = units.excerpt_ids[column.any(axis=0) & ~column.all(axis=0)]
        decisions = consensus_decisions(project, code) if len(split) else {}
        decided = [decisions[int(e)] for e in np.asarray(split) if int(e) in decisions]
        found[code] = AdjudicationProgress(
            code, units.coders, int(split.shape[0]), len(decided), int(sum(decided))
        )
    return found


def adjudication_progress(
    project: Project, code: str, coders: Sequence[str] | None = None
) -> AdjudicationProgress:
    """Disagreements on ``code`` among the coders, and how many have a consensus."""
    import numpy as np

    from coder.agreement.excerpt_units import load_excerpt_units

    _check_coders(coders)
    units = load_excerpt_units(project, coders, [code])
    column = units.presence[:, :, 0]
    split = units.excerpt_ids[column.any(axis=0) & ~column.all(axis=0)]
    decisions = consensus_decisions(project, code)
    decided = [decisions[int(e)] for e in np.asarray(split) if int(e) in decisions]
    return AdjudicationProgress(
        code, units.coders, int(split.shape[0]), len(decided), int(sum(decided))
    )
