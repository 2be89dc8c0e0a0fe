"""``OrphanedCode``: codings whose code the codebook no longer has, found before they vanish.

A code deleted from the codebook (or renamed: ids are never reused) would leave its codings
without a label, silently out of agreement and wide exports. DESIGN.md: such a change is
refused. ``orphaned_codes`` lists each missing code with its codings, coders and transcripts;
``Project.open`` and ``coder codebook check`` refuse while the list is not empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from coder.store.schema import coders, codings, excerpts

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from coder.store.store import Store


@dataclass(frozen=True, slots=True)
class OrphanedCode:
    """A code id used by stored codings but absent from the codebook."""

    code_id: str
    """The missing code."""
    codings: int
    """How many codings use it."""
    transcripts: tuple[str, ...]
    """The transcripts those codings are in, sorted."""
    coders: tuple[str, ...]
    """The coders who made them, sorted."""

    def __str__(self) -> str:
        plural = "s" if self.codings != 1 else ""
        return (
            f"{self.code_id}: {self.codings} coding{plural} by {', '.join(self.coders)} "
            f"in {', '.join(self.transcripts)}"
        )


def _used_codes(conn: Connection) -> list[str]:
    """The distinct code ids of all codings, one index probe each (fast on a million rows)."""
    used: list[str] = []
    after = conn.execute(select(func.min(codings.c.code_id))).scalar_one_or_none()
    while after is not None:
        used.append(str(after))
        after = conn.execute(
            select(func.min(codings.c.code_id)).where(codings.c.code_id > after)
        ).scalar_one_or_none()
    return used


def orphaned_codes(store: Store, known: Iterable[str]) -> list[OrphanedCode]:
    """Every code id with codings that is not in ``known``, sorted by id."""
    wanted = set(known)
    query = (
        select(codings.c.code_id, excerpts.c.transcript_id, coders.c.name, func.count())
        .join(excerpts, excerpts.c.id == codings.c.excerpt_id)
        .join(coders, coders.c.id == codings.c.coder_id)
        .group_by(codings.c.code_id, excerpts.c.transcript_id, coders.c.name)
    )
    found: dict[str, tuple[int, set[str], set[str]]] = {}
    with store.read() as conn:
        if not set(_used_codes(conn)) - wanted:
            return []
        for code_id, transcript, coder, count in conn.execute(query):
            if code_id in wanted:
                continue
            total, transcripts, names = found.get(code_id, (0, set(), set()))
            transcripts.add(str(transcript))
            names.add(str(coder))
            found[code_id] = (total + int(count), transcripts, names)
    return [
        OrphanedCode(code, total, tuple(sorted(transcripts)), tuple(sorted(names)))
        for code, (total, transcripts, names) in sorted(found.items())
    ]


def orphan_message(path: str, orphans: list[OrphanedCode]) -> str:
    """The refusal: which codes, how many codings where, and what to do."""
    lines = [
        f"{path}: the codebook lacks {len(orphans)} code(s) that stored codings use; "
        "their codings would vanish from agreement and exports:",
        *(f"  {orphan}" for orphan in orphans),
        "Put the code(s) back in the codebook (a code id is never reused; to stop using a code, "
        "keep it with `codable: false`). Nothing was changed.",
    ]
    return "\n".join(lines)
