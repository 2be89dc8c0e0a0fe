"""Text search across every transcript: case-insensitive, Unicode-aware (æ, ø, å), NFC."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from coder.store.schema import excerpts, transcripts

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match."""

    transcript_id: str
    """Transcript id."""
    excerpt_id: int
    """Excerpt containing the match."""
    seq: int
    """Excerpt number."""
    start: int
    """Match start (code points into the transcript text)."""
    end: int
    """Match end."""
    snippet: str
    """The match with some context, on one line."""


def search_text(project: ProjectContext, query: str, *, limit: int = 500) -> list[SearchHit]:
    """Matches of ``query`` (literal, any case) in transcript order, at most ``limit``."""
    needle = unicodedata.normalize("NFC", query.strip())
    if not needle:
        return []
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    hits: list[SearchHit] = []
    with project.store.read() as conn:
        ids = list(conn.execute(select(transcripts.c.id).order_by(transcripts.c.id)).scalars())
        for transcript_id in ids:
            text = conn.execute(
                select(transcripts.c.text).where(transcripts.c.id == transcript_id)
            ).scalar_one()
            matches = list(pattern.finditer(text))
            if not matches:
                continue
            rows = conn.execute(
                select(excerpts.c.id, excerpts.c.seq, excerpts.c.start, excerpts.c.end)
                .where(excerpts.c.transcript_id == transcript_id)
                .order_by(excerpts.c.start)
            ).all()
            starts = [row.start for row in rows]
            for match in matches:
                position = bisect.bisect_right(starts, match.start()) - 1
                if position < 0 or match.start() >= rows[position].end:
                    continue  # inside a speaker label, between excerpts
                row = rows[position]
                left = max(row.start, match.start() - 40)
                right = min(row.end, match.end() + 40)
                snippet = " ".join(text[left:right].split())
                hits.append(
                    SearchHit(
                        str(transcript_id), row.id, row.seq, match.start(), match.end(), snippet
                    )
                )
                if len(hits) >= limit:
                    return hits
    return hits
