"""``write_skeleton``: a coder's new copy gets the hand-out's project tables (``coder team join``).

Transcripts with their text, excerpts (with the lead's ids, so both sides number them alike),
cases and case facts, in one transaction; no coder's work is in these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coder.domain.coder_work import Row
from coder.store.bulk import bulk_insert
from coder.store.team_reads import SKELETON

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


def write_skeleton(project: ProjectContext, tables: dict[str, list[Row]]) -> None:
    """Fill a new, empty project's database with a hand-out's tables (one transaction)."""
    order = ("cases", "case_attributes", "transcripts", "excerpts")
    with project.store.write() as conn:
        for name in order:
            rows = tables.get(name, [])
            if rows:
                names = [c.name for c in SKELETON[name].columns]
                bulk_insert(conn, SKELETON[name], names, ([r.get(n) for n in names] for r in rows))
