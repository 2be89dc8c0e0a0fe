"""Reads for agreement: coders with work, reviews and codings as id arrays, case ratings.

Each function reads in one transaction (one consistent snapshot), and lets the caller choose
the compared coders from the coders it finds (``choose``), so that the choice and the data it
selects come from the same snapshot. What comes back is plain data: names, ids, numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select, union
from sqlalchemy.engine import Connection

from coder.store.schema import case_ratings, cases, coders, codings, excerpts, reviews

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from coder.store.context import ProjectContext

Level = Literal["excerpt", "case"]
"""What a comparison is about: codings on excerpts, or ratings of cases."""


@dataclass(frozen=True, slots=True)
class CoderDirectory:
    """Every registered coder, and which of them have work at one level."""

    known: Mapping[str, tuple[int, str]]
    """Coder name -> (database id, kind: human, model or consensus)."""
    active: frozenset[int]
    """Ids of coders with work at the level: reviews or codings, or case ratings."""


Choose = Callable[[CoderDirectory], dict[str, int]]
"""Picks the compared coders (name -> id, in comparison order) from the directory."""


@dataclass(frozen=True, slots=True, eq=False)
class ExcerptMarks:
    """The compared coders' reviewed marks and codings on the codable excerpts."""

    chosen: dict[str, int]
    """The compared coders: name -> id, in comparison order."""
    transcripts: tuple[tuple[str, NDArray[np.int64], NDArray[np.int64]], ...]
    """Per transcript with codable excerpts (sorted by id): its id, their ids and their seqs."""
    reviews: tuple[tuple[int, NDArray[np.int64]], ...]
    """Per compared coder with reviews: coder id, reviewed excerpt ids (any excerpt)."""
    codings: tuple[tuple[int, str, NDArray[np.int64]], ...]
    """Per compared coder and code: coder id, code id, coded excerpt ids (any excerpt)."""


@dataclass(frozen=True, slots=True)
class RatingRows:
    """The compared coders' case ratings."""

    chosen: dict[str, int]
    """The compared coders: name -> id, in comparison order."""
    case_ids: tuple[str, ...]
    """Every case in the project, sorted."""
    ratings: tuple[tuple[str, str, int, str], ...]
    """(case id, attribute, coder id, raw value) for every rating by a compared coder."""


def _ints(text: str | None) -> NDArray[np.int64]:
    """``"3,1,2"`` (SQLite's group_concat) -> an int array; None -> empty."""
    import numpy as np

    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _directory(conn: Connection, level: Level) -> CoderDirectory:
    known = {
        str(name): (int(cid), str(kind))
        for cid, name, kind in conn.execute(select(coders.c.id, coders.c.name, coders.c.kind))
    }
    if level == "excerpt":
        found = conn.execute(union(select(reviews.c.coder_id), select(codings.c.coder_id)))
    else:
        found = conn.execute(select(case_ratings.c.coder_id).distinct())
    return CoderDirectory(known, frozenset(int(cid) for (cid,) in found))


def excerpt_marks(project: ProjectContext, choose: Choose) -> ExcerptMarks:
    """Reviews and codings of the coders ``choose`` picks, grouped into excerpt-id arrays."""
    e, r, c = excerpts.c, reviews.c, codings.c
    with project.store.read() as conn:
        chosen = choose(_directory(conn, "excerpt"))
        ids = list(chosen.values())
        # group_concat keeps the id and seq lists of a transcript aligned with each other
        per_transcript = conn.execute(
            select(e.transcript_id, func.group_concat(e.id), func.group_concat(e.seq))
            .where(e.codable)
            .group_by(e.transcript_id)
            .order_by(e.transcript_id)
        ).all()
        review_rows = conn.execute(
            select(r.coder_id, func.group_concat(r.excerpt_id))
            .where(r.coder_id.in_(ids))
            .group_by(r.coder_id)
        ).all()
        coding_rows = conn.execute(
            select(c.coder_id, c.code_id, func.group_concat(c.excerpt_id))
            .where(c.coder_id.in_(ids))
            .group_by(c.coder_id, c.code_id)
        ).all()
    return ExcerptMarks(
        chosen,
        tuple((str(t), _ints(id_text), _ints(seq_text)) for t, id_text, seq_text in per_transcript),
        tuple((int(coder), _ints(id_text)) for coder, id_text in review_rows),
        tuple((int(coder), str(code), _ints(id_text)) for coder, code, id_text in coding_rows),
    )


def rating_rows(project: ProjectContext, choose: Choose) -> RatingRows:
    """Every case, and the case ratings of the coders ``choose`` picks."""
    with project.store.read() as conn:
        chosen = choose(_directory(conn, "case"))
        case_ids = tuple(
            str(c) for c in conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars()
        )
        rows = conn.execute(
            select(
                case_ratings.c.case_id,
                case_ratings.c.attribute,
                case_ratings.c.coder_id,
                case_ratings.c.value,
            ).where(case_ratings.c.coder_id.in_(list(chosen.values())))
        ).all()
    return RatingRows(
        chosen,
        case_ids,
        tuple(
            (str(case), str(attribute), int(coder), str(value))
            for case, attribute, coder, value in rows
        ),
    )
