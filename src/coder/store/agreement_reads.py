"""Reads for agreement: coders with work, reviews and codings as id arrays, case ratings.

Each function reads in one transaction (one consistent snapshot), and lets the caller choose
the compared coders from the coders it finds (``choose``), so that the choice and the data it
selects come from the same snapshot. What comes back is plain data: names, ids, numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Table, Text, cast, exists, func, literal, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Exists

from coder.store.roles import require_lead
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
    codings: tuple[tuple[int, NDArray[np.int64], NDArray[np.int64]], ...]
    """Per compared coder with codings: coder id, coded excerpt ids (any excerpt), and for each
    the code's position in ``code_ids`` (one entry per coding)."""
    code_ids: tuple[str, ...]
    """The codes the compared coders used (each coder's new ones in sorted order)."""
    other_version: NDArray[np.int64] | None = None
    """With a codebook version asked for: the excerpts a compared coder coded under another
    version (or before versions were recorded); None when no version was asked for."""


@dataclass(frozen=True, slots=True)
class RatingRows:
    """The compared coders' case ratings."""

    chosen: dict[str, int]
    """The compared coders: name -> id, in comparison order."""
    case_ids: tuple[str, ...]
    """Every case in the project, sorted."""
    ratings: tuple[tuple[str, str, int, str], ...]
    """(case id, attribute, coder id, raw value) for every rating by a compared coder."""


def _joined(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[str]:
    """An aggregate joining a group's values with commas, in the order the rows are read."""
    if conn.dialect.name == "postgresql":
        return func.string_agg(cast(column, Text), literal(","))
    return func.group_concat(column)


def _code_positions(text: str | None, code_ids: dict[str, int]) -> NDArray[np.int64]:
    """``"a,b,a"`` -> positions of the codes in ``code_ids`` (new codes are added to it)."""
    import numpy as np

    if not text:
        return np.zeros(0, dtype=np.int64)
    parts = text.split(",")
    for code in sorted(set(parts) - code_ids.keys()):
        code_ids[code] = len(code_ids)
    return np.fromiter(map(code_ids.__getitem__, parts), dtype=np.int64, count=len(parts))


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

    def has(table: Table) -> Exists:
        return exists().where(table.c.coder_id == coders.c.id)

    # index lookups per coder, not a scan of every coding
    where = or_(has(reviews), has(codings)) if level == "excerpt" else has(case_ratings)
    found = conn.execute(select(coders.c.id).where(where)).scalars()
    return CoderDirectory(known, frozenset(int(cid) for cid in found))


def _array(values: list[int]) -> NDArray[np.int64]:
    import numpy as np

    return np.asarray(values, dtype=np.int64)


def excerpt_marks(
    project: ProjectContext, choose: Choose, version: str | None = None
) -> ExcerptMarks:
    """Reviews and codings of the coders ``choose`` picks, grouped into excerpt-id arrays;
    with ``version``, only codings made under that codebook version (``other_version`` lists
    the excerpts coded under another)."""
    e, r, c = excerpts.c, reviews.c, codings.c
    require_lead(project.store, "agreement")
    with project.store.read() as conn:
        chosen = choose(_directory(conn, "excerpt"))
        ids = list(chosen.values())
        # one text per group: two aggregates of a group see its rows in the same order, so the
        # id and seq lists of a transcript (and a coder's excerpt and code lists) stay aligned
        per_transcript = conn.execute(
            select(e.transcript_id, _joined(conn, e.id), _joined(conn, e.seq))
            .where(e.codable)
            .group_by(e.transcript_id)
            .order_by(e.transcript_id)
        ).all()
        review_rows = conn.execute(
            select(r.coder_id, _joined(conn, r.excerpt_id))
            .where(r.coder_id.in_(ids))
            .group_by(r.coder_id)
        ).all()
        # grouped by coder only, a covering scan of the codings' identity index (no sort)
        coding_rows = conn.execute(
            select(c.coder_id, _joined(conn, c.excerpt_id), _joined(conn, c.code_id))
            .where(c.coder_id.in_(ids))
            .where(*([] if version is None else [c.codebook_version == version]))
            .group_by(c.coder_id)
        ).all()
        other = None
        if version is not None:
            other = [
                int(excerpt)
                for excerpt in conn.execute(
                    select(c.excerpt_id)
                    .distinct()
                    .where(
                        c.coder_id.in_(ids),
                        (c.codebook_version != version) | c.codebook_version.is_(None),
                    )
                ).scalars()
            ]
    code_ids: dict[str, int] = {}
    per_coder = tuple(
        (int(coder), _ints(id_text), _code_positions(code_text, code_ids))
        for coder, id_text, code_text in coding_rows
    )
    return ExcerptMarks(
        chosen,
        tuple((str(t), _ints(id_text), _ints(seq_text)) for t, id_text, seq_text in per_transcript),
        tuple((int(coder), _ints(id_text)) for coder, id_text in review_rows),
        per_coder,
        tuple(code_ids),
        None if other is None else _array(other),
    )


def rating_rows(project: ProjectContext, choose: Choose) -> RatingRows:
    """Every case, and the case ratings of the coders ``choose`` picks."""
    require_lead(project.store, "agreement")
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
