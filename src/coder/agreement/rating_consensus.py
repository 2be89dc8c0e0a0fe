"""Consensus on case ratings (relational robustness): the cases coders rated differently.

The lead walks the cases every compared coder rated on an attribute but not alike, and sets the
consensus rating: a rating by the ``consensus`` coder (``set_rating``), plus a
``consensus.rate`` event naming the compared coders and the lead's note. Exports read that
rating (``coder.export.consensus_layer``); where the coders agreed, their common rating is the
consensus without a decision. Plain functions; the TUI screen calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError

if TYPE_CHECKING:
    from coder.project.project import Project

CONSENSUS = "consensus"
"""The coder that holds the adjudicated layer."""


@dataclass(frozen=True, slots=True)
class RatingDisagreement:
    """One case the compared coders rated differently on one attribute."""

    case_id: str
    """The case (participant)."""
    attribute: str
    """The attribute, e.g. ``relational_robustness``."""
    ratings: dict[str, str]
    """Each compared coder's rating (level id, or the number as text)."""
    decision: str | None
    """The consensus rating so far, or None."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "case": self.case_id,
            "attribute": self.attribute,
            "ratings": dict(self.ratings),
            "decision": self.decision,
        }


def rating_disagreements(
    project: Project, attribute: str, coders: Sequence[str] | None = None
) -> list[RatingDisagreement]:
    """Cases every compared coder rated on ``attribute``, not all alike, in case order."""
    from coder.agreement.case_units import load_case_ratings
    from coder.store.coder_view import coder_ratings

    if coders is not None and CONSENSUS in coders:
        raise CoderError("the consensus layer cannot be one of the coders being adjudicated")
    ratings = load_case_ratings(project, coders, [attribute])
    spec, matrix, cases = ratings.specs[0], ratings.matrices[0], ratings.case_ids[0]
    agreed = coder_ratings(project, CONSENSUS)
    found = []
    for column, case_id in enumerate(cases):
        values = matrix[:, column]
        if (values == values[0]).all():
            continue
        shown = {
            name: spec.levels[int(value)].id if spec.levels else f"{value:g}"
            for name, value in zip(ratings.coders, values.tolist(), strict=True)
        }
        found.append(
            RatingDisagreement(case_id, attribute, shown, agreed.get(case_id, {}).get(attribute))
        )
    return found


def record_rating_consensus(
    project: Project,
    case_id: str,
    attribute: str,
    value: str | None,
    *,
    coders: Sequence[str],
    note: str = "",
) -> bool:
    """Set (None: clear) the consensus rating and log the decision; True when it changed."""
    from coder.store.consensus import log_rating_decision
    from coder.store.operations import set_rating

    if CONSENSUS in coders:
        raise CoderError("the consensus layer cannot be one of the coders being adjudicated")
    changed = set_rating(project, CONSENSUS, case_id, attribute, value)
    payload = {
        "case": case_id,
        "attribute": attribute,
        "value": value,
        "coders": list(coders),
        "note": note,
    }
    log_rating_decision(project, payload)
    return changed
