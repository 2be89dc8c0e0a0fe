"""What loading a REFI-QDA project writes and reads beyond the store's import paths.

Transcripts, codings and case attributes of an imported project go through the store's own
import paths (``importer``, ``codings_import``, ``cases_import``); this module holds the rest:
the excerpt ranges a loader maps selections onto, and ratings and memos (which have no bulk
path), written in one transaction with one ``refi.imported`` event, not as undoable actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from coder.errors import CoderError
from coder.store.schema import excerpts, memos

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class NewMemo:
    """One memo to store (exactly one target, or none for a project memo)."""

    coder: str
    """Who wrote it."""
    text: str
    """The memo."""
    created_at: str
    """When."""
    excerpt_id: int | None = None
    """Excerpt memo."""
    code_id: str | None = None
    """Code memo."""
    case_id: str | None = None
    """Case memo."""


def excerpt_ranges(project: ProjectContext, transcript_id: str) -> list[tuple[int, int, int, int]]:
    """(id, number, start, end) of each excerpt of a stored transcript, in order."""
    query = (
        select(excerpts.c.id, excerpts.c.seq, excerpts.c.start, excerpts.c.end)
        .where(excerpts.c.transcript_id == transcript_id)
        .order_by(excerpts.c.seq)
    )
    with project.store.read() as conn:
        rows = conn.execute(query).all()
    return [(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]


def store_ratings_and_memos(
    project: ProjectContext,
    ratings: Sequence[tuple[str, str, str, str]],
    memo_rows: Sequence[NewMemo],
    payload: dict[str, object],
) -> None:
    """Store (case, attribute, coder, value) ratings and the memos in one transaction.

    Every rating is checked against the codebook first; a bad one raises ``CoderError`` naming
    the coder and the case, and nothing is written.
    """
    from coder.store.coders import ensure_coder
    from coder.store.operations import check_rating, log_event, write_rating

    checked: list[tuple[str, str, str, str]] = []
    for case_id, attribute, coder, value in ratings:
        try:
            clean = check_rating(project, attribute, value)
        except CoderError as exc:
            raise CoderError(f"{coder}'s rating of case {case_id!r}: {exc}") from None
        if clean is not None:
            checked.append((case_id, attribute, coder, clean))
    with project.store.write() as conn:
        ids: dict[str, int] = {}
        for case_id, attribute, coder, value in checked:
            if coder not in ids:
                ids[coder] = ensure_coder(conn, coder)
            write_rating(conn, ids[coder], case_id, attribute, value)
        for memo in memo_rows:
            if memo.coder not in ids:
                ids[memo.coder] = ensure_coder(conn, memo.coder)
            conn.execute(
                insert(memos).values(
                    coder_id=ids[memo.coder],
                    excerpt_id=memo.excerpt_id,
                    code_id=memo.code_id,
                    case_id=memo.case_id,
                    text=memo.text,
                    created_at=memo.created_at,
                    updated_at=memo.created_at,
                )
            )
        log_event(conn, None, "refi.imported", payload)
