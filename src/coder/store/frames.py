"""``StoreFrames``: the project's tables read into pandas frames, in one read transaction.

The reads of the exports: a million codings load in seconds because the rows come straight
from the DB-API cursor into numpy (no per-row result objects). All reads of one export happen
in one transaction, so they see one consistent state even while someone codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select, union

from coder.domain.coders import CoderRecord
from coder.store.schema import (
    case_attributes,
    case_ratings,
    cases,
    coders,
    codings,
    excerpts,
    memos,
    reviews,
    transcripts,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from coder.store.consensus_log import ConsensusLog
    from coder.store.context import ProjectContext


def _rows(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """Rows of a Core query, fetched with the DB-API cursor (no per-row Row objects).

    The query is compiled to the dialect's SQL with bound parameters (``IN`` lists expanded
    into one parameter each) and runs on the same connection, inside the same transaction.
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    values: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params  # psycopg: named parameters
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return list(cursor.execute(str(compiled), values).fetchall())
    finally:
        cursor.close()


def _frame(
    conn: Connection, query: Any, names: Sequence[str], ints: Sequence[str] = ()
) -> pd.DataFrame:
    """Run ``query``: columns ``names``, int64 for ``ints``, object (not inferred) otherwise."""
    rows = _rows(conn, query)
    grid = np.empty((len(rows), len(names)), dtype=object)
    if rows:
        grid[:] = rows  # one C loop over the row tuples
    data: dict[str, Any] = {}
    for index, name in enumerate(names):
        column = grid[:, index]
        if name in ints:
            data[name] = column.astype(np.int64)
        else:
            data[name] = pd.Series(np.ascontiguousarray(column), dtype=object)
    return pd.DataFrame(data)


class StoreFrames:
    """Read access to one project's tables as data frames; use as a context manager."""

    def __init__(self, project: ProjectContext) -> None:
        self.project = project
        self._conn: Connection | None = None

    def consensus_log(self) -> ConsensusLog:
        """The consensus layer's decision events, read in this snapshot."""
        from coder.store.consensus_log import ConsensusLog

        return ConsensusLog.read(self.conn)

    def __enter__(self) -> StoreFrames:
        self._conn = self.project.store.engine.connect()
        self._conn.begin()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self._conn is not None:
            self._conn.rollback()
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> Connection:
        """The open connection (inside ``with``)."""
        if self._conn is None:
            raise RuntimeError("StoreFrames is used outside its `with` block")
        return self._conn

    def coders(self) -> list[CoderRecord]:
        """Every coder."""
        query = select(coders.c.id, coders.c.name, coders.c.kind).order_by(coders.c.id)
        return [CoderRecord(int(r[0]), str(r[1]), str(r[2])) for r in self.conn.execute(query)]

    def transcript_batches(self, max_excerpts: int) -> list[list[str]]:
        """Transcript ids in export order, in consecutive batches of at most ``max_excerpts``
        excerpts each (a transcript with more is a batch of its own)."""
        query = (
            select(excerpts.c.transcript_id, func.count())
            .group_by(excerpts.c.transcript_id)
            .order_by(excerpts.c.transcript_id)
        )
        batches: list[list[str]] = []
        held = 0
        for transcript_id, count in self.conn.execute(query):
            if not batches or held + int(count) > max_excerpts:
                batches.append([])
                held = 0
            batches[-1].append(str(transcript_id))
            held += int(count)
        return batches

    def excerpts(self, transcript_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """excerpt_id, transcript, case, seq, start, end, speaker, codable, order (row order);
        of the transcripts ``transcript_ids`` only when given."""
        query = (
            select(
                excerpts.c.id,
                excerpts.c.transcript_id,
                transcripts.c.case_id,
                excerpts.c.seq,
                excerpts.c.start,
                excerpts.c.end,
                excerpts.c.speaker,
                excerpts.c.codable,
            )
            .join(transcripts, transcripts.c.id == excerpts.c.transcript_id)
            .order_by(excerpts.c.transcript_id, excerpts.c.seq)
        )
        if transcript_ids is not None:
            query = query.where(excerpts.c.transcript_id.in_(list(transcript_ids)))
        names = ["excerpt_id", "transcript", "case", "seq", "start", "end", "speaker", "codable"]
        frame = _frame(self.conn, query, names, ints=("excerpt_id", "seq", "start", "end"))
        frame["order"] = np.arange(len(frame), dtype=np.int64)
        frame["codable"] = frame["codable"].astype(bool)
        return frame

    def excerpt_texts(self, frame: pd.DataFrame) -> list[str]:
        """The text of each excerpt in ``frame`` (columns transcript, start, end), in order."""
        wanted = frame["transcript"].unique().tolist()
        query = select(transcripts.c.id, transcripts.c.text).where(transcripts.c.id.in_(wanted))
        texts = {tid: text for tid, text in self.conn.execute(query)}
        return [
            texts[tid][start:end]
            for tid, start, end in zip(
                frame["transcript"].tolist(),
                frame["start"].tolist(),
                frame["end"].tolist(),
                strict=True,
            )
        ]

    def codings(
        self,
        coder_ids: Sequence[int],
        *,
        details: bool = True,
        transcript_ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """excerpt_id, coder_id, code_id and (with ``details``) origin, span_start, span_end,
        created; in the order the codings were stored; on the excerpts of ``transcript_ids``
        only when given.

        When the chosen coders hold much of the table it is scanned rather than read through
        the coder index (a million index look-ups cost more than reading every row).
        """
        ids = list(coder_ids)
        if transcript_ids is not None:
            return self._batch_codings(ids, details, list(transcript_ids))
        counted = select(codings.c.coder_id, func.count()).group_by(codings.c.coder_id)
        per_coder: dict[int, int] = {int(c): int(n) for c, n in self.conn.execute(counted)}
        wanted = sum(per_coder.get(i, 0) for i in ids)
        total = sum(per_coder.values())
        scan = wanted * 4 >= total
        coder = (codings.c.coder_id + 0) if scan else codings.c.coder_id
        names = ["excerpt_id", "coder_id", "code_id"]
        columns = [codings.c.excerpt_id, codings.c.coder_id, codings.c.code_id]
        if details:
            names += ["origin", "span_start", "span_end", "created"]
            columns += [
                codings.c.origin,
                codings.c.span_start,
                codings.c.span_end,
                codings.c.created_at,
            ]
        query = select(*columns).where(coder.in_(ids)).order_by(codings.c.id)
        frame = _frame(self.conn, query, names, ints=("excerpt_id", "coder_id"))
        if details:
            for name in ("span_start", "span_end"):
                frame[name] = frame[name].astype("Int64")
        return frame

    def _batch_codings(
        self, ids: list[int], details: bool, transcript_ids: list[str]
    ) -> pd.DataFrame:
        """``codings`` on the excerpts of some transcripts, through the excerpts' index.

        Read in index order and put in storage order here (a stable sort on the id), which
        spares SQLite a sort of the batch.
        """
        names = ["coding_id", "excerpt_id", "coder_id", "code_id"]
        columns = [codings.c.id, codings.c.excerpt_id, codings.c.coder_id, codings.c.code_id]
        if details:
            names += ["origin", "span_start", "span_end", "created"]
            columns += [
                codings.c.origin,
                codings.c.span_start,
                codings.c.span_end,
                codings.c.created_at,
            ]
        query = (
            select(*columns)
            .join(excerpts, excerpts.c.id == codings.c.excerpt_id)
            # ``+ 0``: reach codings through the batch's excerpts, not through every coder's
            .where(
                excerpts.c.transcript_id.in_(transcript_ids),
                (codings.c.coder_id + 0).in_(ids),
            )
        )
        frame = _frame(self.conn, query, names, ints=("coding_id", "excerpt_id", "coder_id"))
        order = np.argsort(frame["coding_id"].to_numpy(), kind="stable")
        frame = frame.iloc[order].drop(columns="coding_id").reset_index(drop=True)
        if details:
            for name in ("span_start", "span_end"):
                frame[name] = frame[name].astype("Int64")
        return frame

    def units(self, coder_ids: Sequence[int]) -> pd.DataFrame:
        """(excerpt_id, coder_id) pairs each coder observed: reviewed or coded."""
        ids = list(coder_ids)
        reviewed = select(reviews.c.excerpt_id, reviews.c.coder_id).where(
            reviews.c.coder_id.in_(ids)
        )
        coded = select(codings.c.excerpt_id, codings.c.coder_id).where(codings.c.coder_id.in_(ids))
        names = ["excerpt_id", "coder_id"]
        return _frame(self.conn, union(reviewed, coded), names, ints=names)

    def memos(
        self, coder_ids: Sequence[int], transcript_ids: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """excerpt_id, coder_id, memo: each coder's excerpt memos, joined by blank lines; on
        the excerpts of ``transcript_ids`` only when given."""
        query = (
            select(memos.c.excerpt_id, memos.c.coder_id, memos.c.text)
            .where(memos.c.excerpt_id.is_not(None), memos.c.coder_id.in_(list(coder_ids)))
            .order_by(memos.c.id)
        )
        if transcript_ids is not None:
            query = query.join(excerpts, excerpts.c.id == memos.c.excerpt_id).where(
                excerpts.c.transcript_id.in_(list(transcript_ids))
            )
        ids = ["excerpt_id", "coder_id"]
        frame = _frame(self.conn, query, [*ids, "memo"], ints=ids)
        if frame.empty:
            return frame
        joined = frame.groupby(["excerpt_id", "coder_id"], sort=False)["memo"].agg("\n\n".join)
        return joined.reset_index()

    def case_ids(self) -> list[str]:
        """Every case id, sorted."""
        query = select(cases.c.id).order_by(cases.c.id)
        return [str(value) for value in self.conn.execute(query).scalars()]

    def case_attributes(self) -> pd.DataFrame:
        """case, attribute, value: attributes from cases.csv."""
        query = select(
            case_attributes.c.case_id, case_attributes.c.attribute, case_attributes.c.value
        ).where(case_attributes.c.value.is_not(None))
        return _frame(self.conn, query, ["case", "attribute", "value"])

    def ratings(self) -> pd.DataFrame:
        """case, attribute, coder_id, value: coders' ratings of case attributes."""
        query = select(
            case_ratings.c.case_id,
            case_ratings.c.attribute,
            case_ratings.c.coder_id,
            case_ratings.c.value,
        )
        return _frame(
            self.conn, query, ["case", "attribute", "coder_id", "value"], ints=["coder_id"]
        )
