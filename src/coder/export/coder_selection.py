"""``CoderSelection``: whose codings an export or report covers.

By default the human coders (not the ``model``'s suggestions, not the ``consensus`` layer);
``--consensus`` gives the consensus layer, ``--coder NAME`` (repeatable) named coders, and
``--all-coders`` every coder including the model and the consensus layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coder.domain.coders import CONSENSUS, CoderRecord
from coder.errors import CoderError, NotFoundError

__all__ = ["CONSENSUS", "CoderRecord", "CoderSelection"]


@dataclass(frozen=True, slots=True)
class CoderSelection:
    """Which coders to cover."""

    names: tuple[str, ...] = ()
    """Coders named with ``--coder``, in the order given."""
    consensus: bool = False
    """Whether the consensus layer is included (``--consensus``)."""
    everyone: bool = False
    """Every coder, the model and the consensus layer included (``--all-coders``)."""

    def __post_init__(self) -> None:
        if self.everyone and (self.names or self.consensus):
            raise CoderError("--all-coders cannot be combined with --coder or --consensus")

    @property
    def is_default(self) -> bool:
        """Whether nothing was chosen (the human coders)."""
        return not (self.names or self.consensus or self.everyone)

    def resolve(self, coders: Sequence[CoderRecord]) -> list[CoderRecord]:
        """The chosen coders, in a stable order; raises NotFoundError for an unknown name."""
        by_name = {coder.name: coder for coder in coders}
        humans = sorted((c for c in coders if c.kind == "human"), key=lambda c: c.name)
        if self.everyone:
            others = sorted((c for c in coders if c.kind != "human"), key=lambda c: c.name)
            return humans + others
        if self.is_default:
            return humans
        chosen: list[CoderRecord] = []
        wanted = list(self.names) + ([CONSENSUS] if self.consensus else [])
        for name in wanted:
            record = by_name.get(name.strip())
            if record is None:
                if name == CONSENSUS:
                    raise NotFoundError("there is no consensus layer yet (no adjudicated codings)")
                known = ", ".join(sorted(by_name)) or "none yet"
                raise NotFoundError(f"unknown coder {name!r} (coders: {known})")
            if record not in chosen:
                chosen.append(record)
        return chosen

    def describe(self, chosen: Sequence[CoderRecord]) -> str:
        """Human words for the chosen coders, e.g. ``coders ada, bjørn``."""
        if not chosen:
            return "no coders"
        names = ", ".join(coder.name for coder in chosen)
        if [c.name for c in chosen] == [CONSENSUS]:
            return "the consensus layer"
        return f"coder{'s' if len(chosen) > 1 else ''} {names}"
