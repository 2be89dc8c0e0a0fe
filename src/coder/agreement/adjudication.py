"""Adjudication: walk the excerpts coders disagree on for a code, and record a consensus.

Decisions go to the separate ``consensus`` coder (origin ``consensus``) through the store's own
operations, so each coder's codings stay untouched and exports can select the layer like any
coder. A decision per (excerpt, code) is: *apply* (a consensus coding exists) or *not apply*
(no consensus coding, and the latest ``consensus.decide`` event for the pair says so). The
excerpt is marked reviewed by ``consensus``. Plain functions; the TUI screen calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.domain.coders import CONSENSUS
from coder.errors import CoderError

__all__ = [
    "CONSENSUS",
    "AdjudicationProgress",
    "Disagreement",
    "adjudication_progress",
    "consensus_decisions",
    "disagreements",
    "record_consensus",
]

if TYPE_CHECKING:
    from coder.project.project import Project


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
    from coder.store.consensus import consensus_decisions as decisions

    return decisions(project, code)


def decision_notes(project: Project, code: str) -> dict[int, str]:
    """Excerpt id -> the lead's note on the latest decision about ``code`` (with a note)."""
    from coder.store.consensus import decision_notes as notes

    return notes(project, code)


def disagreements(
    project: Project, code: str, coders: Sequence[str] | None = None
) -> list[Disagreement]:
    """Excerpts every compared coder reviewed on which they disagree about ``code``."""
    import numpy as np

    from coder.agreement.excerpt_units import load_excerpt_units
    from coder.store.consensus import excerpt_details

    _check_coders(coders)
    units = load_excerpt_units(project, coders, [code])
    column = units.presence[:, :, 0]
    split = np.nonzero(column.any(axis=0) & ~column.all(axis=0))[0]
    chosen = [int(units.excerpt_ids[u]) for u in split]
    details = excerpt_details(project, chosen, units.coders)
    decisions = consensus_decisions(project, code)
    notes = decision_notes(project, code)
    result = []
    for u, excerpt_id in zip(split, chosen, strict=True):
        detail = details[excerpt_id]
        marks = column[:, u]
        result.append(
            Disagreement(
                excerpt_id=excerpt_id,
                transcript_id=detail.transcript_id,
                seq=detail.seq,
                speaker=detail.speaker,
                text=detail.text,
                code=code,
                applied_by=tuple(n for n, on in zip(units.coders, marks, strict=True) if on),
                not_applied_by=tuple(
                    n for n, on in zip(units.coders, marks, strict=True) if not on
                ),
                codes=detail.codes,
                decision=decisions.get(excerpt_id),
                note=notes.get(excerpt_id, ""),
            )
        )
    return result


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
    from coder.domain.transcript import Origin
    from coder.store.consensus import consensus_spans, log_decision
    from coder.store.operations import apply_code, check_code, mark_reviewed, remove_code

    _check_coders(coders)
    check_code(project, code)
    spans = consensus_spans(project, excerpt_id, code)
    if apply:
        changed = apply_code(project, CONSENSUS, excerpt_id, code, origin=Origin.CONSENSUS)
    else:
        changed = False
        for span in spans:
            changed = remove_code(project, CONSENSUS, excerpt_id, code, span=span) or changed
    mark_reviewed(project, CONSENSUS, excerpt_id)
    log_decision(project, excerpt_id, code, apply, coders, note=note)
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
