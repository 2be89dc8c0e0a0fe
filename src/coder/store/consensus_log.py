"""``ConsensusLog``: the lead's consensus decisions as stored, read back as plain data.

A decision on an (excerpt, code) pair is a ``consensus.decide`` event of the ``consensus``
coder: apply or not, the compared coders, and an optional note. The latest event per pair is
the decision. The consensus layer's codings hold the *apply* decisions; the events are the only
record of *do not apply* and of the notes, so exports and the walk-through read them here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from coder.store.schema import coders, events

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

DECISION_EVENT = "consensus.decide"
"""Event kind recording each decision on an excerpt and code."""
RATING_EVENT = "consensus.rate"
"""Event kind recording a consensus rating of a case attribute (names the compared coders)."""
CONSENSUS_NAME = "consensus"
"""The coder that holds the adjudicated layer."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The latest consensus decision on one excerpt and code."""

    excerpt_id: int
    """Database id of the excerpt."""
    code_id: str
    """The code decided on."""
    apply: bool
    """True: the code applies; False: it does not."""
    coders: tuple[str, ...]
    """The coders whose disagreement was decided."""
    note: str
    """The lead's note on the decision ("" without one)."""


@dataclass(slots=True)
class ConsensusLog:
    """Every pair's latest decision, and the coders of the latest decision (the panel)."""

    decisions: dict[tuple[int, str], Decision] = field(default_factory=dict)
    """(excerpt id, code id) -> latest decision."""
    panel: tuple[str, ...] = ()
    """The compared coders named by the most recent decision; () without decisions."""

    @classmethod
    def read(cls, conn: Connection, code_id: str | None = None) -> ConsensusLog:
        """Read the log on ``conn`` (inside the caller's transaction); one code or all."""
        who = conn.execute(
            select(coders.c.id).where(coders.c.name == CONSENSUS_NAME)
        ).scalar_one_or_none()
        log = cls()
        if who is None:
            return log
        query = (
            select(events.c.payload)
            .where(events.c.coder_id == who, events.c.kind.in_([DECISION_EVENT, RATING_EVENT]))
            .order_by(events.c.id)
        )
        for payload in conn.execute(query).scalars():
            data = json.loads(payload)
            names = tuple(str(name) for name in data.get("coders") or ())
            if "code" not in data:  # a rating decision: it names the panel, nothing more
                log.panel = names or log.panel
                continue
            code = str(data.get("code"))
            if code_id is not None and code != code_id:
                continue
            decision = Decision(
                int(data["excerpt"]), code, bool(data["apply"]), names, str(data.get("note") or "")
            )
            log.decisions[(decision.excerpt_id, code)] = decision
            if names:
                log.panel = names
        return log
