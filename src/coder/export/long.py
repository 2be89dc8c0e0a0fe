"""The long table: one row per coding, with where it sits, what it is, who made it.

``excerpt_memo`` is the coder's memo on the excerpt (memos belong to an excerpt, not to a
coding), so it repeats on every coding row of that excerpt by that coder; count memos per
excerpt, not per row. Its columns ``transcript``, ``excerpt``, ``code``, ``coder`` and
``origin`` are ones ``coder codings import`` reads, so a long export can be imported into
another project with the same transcripts (narrower spans and reviewed excerpts without a code
do not travel: the importer places rows by excerpt number, and the table has a row per coding
only; memos travel only if the importer reads ``excerpt_memo``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coder.export.coder_selection import CoderSelection
from coder.export.table import LabelledTable, field_specs

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook
    from coder.domain.coders import CoderRecord
    from coder.project.project import Project
    from coder.store.frames import StoreFrames

LONG_FIELDS = (
    "transcript",
    "case",
    "excerpt",
    "start",
    "end",
    "span_start",
    "span_end",
    "speaker",
    "text",
    "code",
    "code_label",
    "code_path",
    "coder",
    "origin",
    "created",
    "excerpt_memo",
)
"""The long table's columns, in order."""

_NUMERIC = frozenset({"excerpt", "start", "end", "span_start", "span_end"})


def code_names(book: Codebook, language: str) -> tuple[dict[str, str], dict[str, str]]:
    """Code id -> label, and code id -> path, in ``language``."""
    labels = {code.id: code.label_in(language) for code in book.codes}
    paths = {code.id: book.path(code.id, language) for code in book.codes}
    return labels, paths


def _take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` at ``positions``, keeping object columns object (no string inference)."""
    array = values.to_numpy()[positions]
    return pd.Series(array, dtype=object) if array.dtype == object else pd.Series(array)


def _lookup(keys: pd.Series, *tables: dict[Any, str]) -> list[pd.Series]:
    """``table[key]`` (or "") for each key and table, looking each distinct key up once."""
    codes, uniques = pd.factorize(keys)
    found = []
    for table in tables:
        values = np.array([table.get(key, "") for key in uniques] + [""], dtype=object)
        found.append(pd.Series(values[codes], dtype=object))
    return found


@dataclass(frozen=True, slots=True, eq=False)
class LongPart:
    """The codings on one batch of transcripts, in export order, with what their rows show."""

    table: pd.DataFrame
    """The batch's excerpts (``StoreFrames.excerpts`` columns), in transcript and seq order."""
    texts: np.ndarray
    """Each excerpt's text (None for excerpts without a coding here)."""
    coded: pd.DataFrame
    """The codings (``StoreFrames.codings`` columns), in export order."""
    where: np.ndarray
    """For each coding, its excerpt's row in ``table``."""
    memo: np.ndarray
    """For each coding, the coder's memo on the excerpt (or None)."""

    @property
    def rows(self) -> int:
        """Rows of the long table in this part."""
        return len(self.coded)


BATCH_EXCERPTS = 10_000
"""Excerpts read per batch of transcripts (bounds the memory an export takes)."""


def long_parts(
    frames: StoreFrames, chosen: Sequence[CoderRecord], batch_excerpts: int = BATCH_EXCERPTS
) -> Iterator[LongPart]:
    """The long table's codings batch by batch of transcripts (at least one part, maybe empty).

    Rows are in transcript, excerpt and coder order (coders as chosen), each coder's codings
    of an excerpt in the order they were stored.
    """
    ids = [coder.id for coder in chosen]
    rank = {coder.id: position for position, coder in enumerate(chosen)}
    batches = frames.transcript_batches(batch_excerpts) or [[]]
    for batch in batches:
        table = frames.excerpts(batch)
        coded = frames.codings(ids, transcript_ids=batch)
        notes = frames.memos(ids, transcript_ids=batch)
        where = pd.Index(table["excerpt_id"]).get_indexer(coded["excerpt_id"])
        keep = where >= 0
        if not keep.all():
            coded, where = coded[keep], where[keep]
        order = table["order"].to_numpy()[where]
        ranks = coded["coder_id"].map(rank).to_numpy()
        sort = np.lexsort((ranks, order))  # stable: storage order within a coder
        coded = coded.iloc[sort].reset_index(drop=True)
        where = where[sort]
        used = np.unique(where)
        texts = np.empty(len(table), dtype=object)
        texts[used] = frames.excerpt_texts(table.iloc[used])
        memo = np.full(len(coded), None, dtype=object)
        if len(notes) and len(coded):
            found = pd.MultiIndex.from_arrays([notes["excerpt_id"], notes["coder_id"]]).get_indexer(
                pd.MultiIndex.from_arrays([coded["excerpt_id"], coded["coder_id"]])
            )
            memo[found >= 0] = notes["memo"].to_numpy(dtype=object)[found[found >= 0]]
        yield LongPart(table, texts, coded, where, memo)


def part_frame(
    part: LongPart, labels: dict[str, str], paths: dict[str, str], names: dict[int, str]
) -> pd.DataFrame:
    """One part of the long table's data (columns ``LONG_FIELDS``)."""
    table, coded, where = part.table, part.coded, part.where
    code_label, code_path = _lookup(coded["code_id"], labels, paths)
    (coder,) = _lookup(coded["coder_id"], names)
    columns: dict[str, pd.Series] = {
        "transcript": _take(table["transcript"], where),
        "case": _take(table["case"], where),
        "excerpt": _take(table["seq"], where),
        "start": _take(table["start"], where),
        "end": _take(table["end"], where),
        "span_start": coded["span_start"],
        "span_end": coded["span_end"],
        "speaker": _take(table["speaker"], where),
        "text": pd.Series(part.texts[where], dtype=object),
        "code": coded["code_id"],
        "code_label": code_label,
        "code_path": code_path,
        "coder": coder,
        "origin": coded["origin"],
        "created": coded["created"],
        "excerpt_memo": pd.Series(part.memo, dtype=object),
    }
    return pd.DataFrame(columns)


def long_frame(
    project: Project, selection: CoderSelection, language: str
) -> tuple[pd.DataFrame, str]:
    """The long table's data (columns ``LONG_FIELDS``) and which coders it covers, in words."""
    from coder.store.frames import StoreFrames

    labels, paths = code_names(project.codebook, language)
    with StoreFrames(project) as frames:
        chosen = selection.resolve(frames.coders())
        names = {coder.id: coder.name for coder in chosen}
        pieces = [part_frame(part, labels, paths, names) for part in long_parts(frames, chosen)]
    filled = [piece for piece in pieces if len(piece)] or pieces[:1]
    frame = filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)
    return frame, selection.describe(chosen)


def long_table(project: Project, selection: CoderSelection, language: str) -> LabelledTable:
    """The long table with labels (one row per coding)."""
    frame, description = long_frame(project, selection, language)
    frame.columns = [f"field:{name}" for name in LONG_FIELDS]
    specs = field_specs(LONG_FIELDS, _NUMERIC)
    text = f"coder long export: one row per coding ({description})"
    return LabelledTable.build("long", frame, specs, project.codebook.languages, text)
