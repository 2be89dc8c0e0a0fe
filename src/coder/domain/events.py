"""The event log's payload keys: one name for each thing an event can be about.

Every event that concerns an excerpt, a code or a case names it under ``excerpt``, ``code``
and ``case``. Memo events written before this was settled used ``excerpt_id``, ``code_id`` and
``case_id``; ``about`` reads both spellings, so old databases keep their undo history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXCERPT = "excerpt"
"""Payload key: the excerpt's database id."""
CODE = "code"
"""Payload key: the code id."""
CASE = "case"
"""Payload key: the case id."""

LEGACY_KEYS = {EXCERPT: "excerpt_id", CODE: "code_id", CASE: "case_id"}
"""Older spellings of the keys, still read from databases that have them."""


def about(payload: Mapping[str, Any], key: str) -> Any:
    """The payload's value for ``key`` (``EXCERPT``, ``CODE``, ``CASE``), old spelling or new."""
    if key in payload:
        return payload[key]
    legacy = LEGACY_KEYS.get(key)
    return payload.get(legacy) if legacy is not None else None


SUGGESTION_REJECTED = "suggestion.reject"
"""Event kind: a coder rejected a suggested code on an excerpt (a hard negative for training)."""
SUGGESTION_SHOWN = "suggestion.shown"
"""Event kind: the model's claims on an excerpt changed (stored under the coder ``model``)."""
CODINGS_IMPORTED = "codings.imported"
"""Event kind: a bulk import of codings; its payload's ``added`` counts the new codings."""
CODING_DECISIONS = ("coding.apply", "coding.remove", SUGGESTION_REJECTED)
"""Event kinds that each count as one new coding decision (for retraining)."""
