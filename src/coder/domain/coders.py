"""Coders: the rule for a coder's name, and the two reserved coders every project may have.

``model`` holds the suggestions the model showed (so model-versus-human agreement is reported
like any other pair); ``consensus`` holds the adjudicated layer. Neither is a person: a coder
cannot work under these names, and ``coder_kind`` tells them apart from human coders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coder.errors import CoderError

MODEL = "model"
"""The coder that holds the suggestion model's shown suggestions."""
CONSENSUS = "consensus"
"""The coder that holds the adjudicated (consensus) layer."""
RESERVED_CODERS = (MODEL, CONSENSUS)
"""Names no person can code under."""

CoderKind = Literal["human", "model", "consensus"]
NAME_RE = re.compile(r"^[\w][\w .@'-]{0,63}$")
"""A valid coder name: 1-64 letters (æøå too), digits, spaces or . @ ' -."""


def coder_kind(name: str) -> CoderKind:
    """``model`` and ``consensus`` for the reserved coders, ``human`` for everyone else."""
    if name == MODEL:
        return "model"
    if name == CONSENSUS:
        return "consensus"
    return "human"


def check_name(name: str) -> str:
    """A valid coder name (letters incl. æøå, digits, space, . @ ' -), stripped."""
    cleaned = name.strip()
    if not NAME_RE.match(cleaned):
        raise CoderError(
            f"invalid coder name {name!r}: use 1-64 letters, digits, spaces or . @ ' - "
        )
    return cleaned


@dataclass(frozen=True, slots=True)
class CoderRecord:
    """A coder as stored."""

    id: int
    """Database id."""
    name: str
    """Coder name."""
    kind: str
    """human, model or consensus."""
