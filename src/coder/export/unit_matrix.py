"""``UnitMatrix``: excerpt x coder units with a 0/1 per code, the core of wide exports and reports.

A unit is an excerpt a coder *observed*: reviewed it ("looked at it") or coded it. A reviewed
excerpt without a code is an observed 0; an excerpt the coder never reviewed is missing data and
has no unit. Each unit carries its case's attributes, taken, in this order, from cases.csv,
else the consensus layer's rating, else the unit's own coder's rating; ``UnitMatrix.sources``
says which of these each value came from (``SOURCES``), so exports and reports can show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coder.export.coder_selection import CONSENSUS, CoderRecord, CoderSelection
from coder.export.consensus_layer import ConsensusLayer, consensus_ratings

if TYPE_CHECKING:
    from coder.domain.codebook import AttributeSpec
    from coder.project.project import Project

UNIT_FIELDS = ("transcript", "case", "excerpt", "start", "end", "speaker", "coder")
"""The identifying columns of ``UnitMatrix.units``, in order."""

FROM_CASES = "cases"
"""Source of an attribute value taken from cases.csv."""
FROM_CONSENSUS = "consensus"
"""Source of an attribute value taken from the consensus layer's rating."""
FROM_CODER = "coder"
"""Source of an attribute value taken from the rating by the unit's own coder."""
SOURCES = (FROM_CASES, FROM_CONSENSUS, FROM_CODER)
"""The sources of attribute values, in the order they are tried."""

SOURCE_RULE = (
    "the case's value in cases.csv (cases), else the consensus layer's rating (consensus), "
    "else the rating by the row's own coder (coder); empty when none of them has a value"
)
"""Where a wide row's (or a report unit's) attribute value comes from, in words."""


@dataclass(frozen=True, slots=True, eq=False)
class UnitMatrix:
    """Units (rows) x codes (columns) presence, with identifying fields and case attributes."""

    units: pd.DataFrame
    """One row per unit: ``UNIT_FIELDS`` plus excerpt_id and coder_id; sorted."""
    codes: tuple[str, ...]
    """Codable code ids in tree order: the columns of ``presence``."""
    presence: np.ndarray
    """uint8 matrix, 1 where the unit's coder applied the code to the excerpt."""
    missing: np.ndarray
    """bool matrix, True where the value is unknown: a consensus disagreement not yet decided."""
    attributes: pd.DataFrame
    """One column per codebook attribute (by id), aligned with ``units``."""
    sources: pd.DataFrame
    """Where each value of ``attributes`` came from: one of ``SOURCES``, None when missing."""
    coders: tuple[CoderRecord, ...]
    """The coders covered, in order."""
    description: str
    """Which coders, in words."""
    notes: pd.Series | None = None
    """With the consensus layer: the lead's decision notes per unit (None on other rows)."""

    def presence_frame(self) -> pd.DataFrame:
        """``presence`` as a frame with code ids as column names."""
        return pd.DataFrame(self.presence, columns=list(self.codes), index=self.units.index)

    def code_frame(self) -> pd.DataFrame:
        """Nullable 0/1 per code: ``presence`` with missing (``<NA>``) where ``missing``."""
        from pandas.arrays import IntegerArray

        columns = {
            code: IntegerArray(
                self.presence[:, index].astype(np.int64), self.missing[:, index].copy()
            )
            for index, code in enumerate(self.codes)
        }
        return pd.DataFrame(columns, index=self.units.index)


def attribute_values(
    spec: AttributeSpec,
    case_ids: pd.Series,
    coder_ids: pd.Series,
    fixed: pd.DataFrame,
    ratings: pd.DataFrame,
    consensus_id: int | None,
) -> tuple[pd.Series, pd.Series]:
    """One attribute's value per row and its source (``SOURCES``, None when missing).

    The value is the case's value in cases.csv, else the consensus rating, else the rating by
    the row's own coder.
    """
    index = case_ids.index
    mine = ratings[ratings["attribute"] == spec.id] if not ratings.empty else ratings
    layers: list[tuple[str, pd.Series]] = []  # (source, value or None per row), lowest first
    if not mine.empty:
        own = mine.set_index(["case", "coder_id"])["value"]
        keys = pd.MultiIndex.from_arrays([case_ids.to_numpy(), coder_ids.to_numpy()])
        layers.append((FROM_CODER, pd.Series(own.reindex(keys).to_numpy(dtype=object), index)))
        if consensus_id is not None:
            agreed = mine[mine["coder_id"] == consensus_id].set_index("case")["value"]
            layers.append((FROM_CONSENSUS, case_ids.map(agreed)))
    if not fixed.empty:
        given = fixed[fixed["attribute"] == spec.id].set_index("case")["value"]
        layers.append((FROM_CASES, case_ids.map(given)))
    values = pd.Series([None] * len(index), index=index, dtype=object)
    sources = pd.Series([None] * len(index), index=index, dtype=object)
    for source, found in layers:  # a later (higher) layer overrides where it has a value
        present = found.notna()
        values = found.astype(object).where(present, values)
        sources = sources.where(~present, source)
    typed = typed_values(spec, values)
    return typed, sources.where(typed.notna(), None)


def typed_values(spec: AttributeSpec, values: pd.Series) -> pd.Series:
    """Numbers for interval attributes (whole numbers as integers), strings for the others."""
    if spec.kind == "interval":
        numbers = pd.to_numeric(values, errors="coerce")
        present = numbers.dropna()
        if (
            len(present)
            and bool((present == present.round()).all())
            and present.abs().max() < 2**31
        ):
            return numbers.astype("Int64")
        return numbers.astype("Float64")
    return values.astype(object).where(values.notna(), None)


def _units(
    pairs: pd.DataFrame, excerpt_table: pd.DataFrame, chosen: Sequence[CoderRecord]
) -> pd.DataFrame:
    """The observed units of the chosen coders, sorted by excerpt order then coder order."""
    rank = {coder.id: position for position, coder in enumerate(chosen)}
    names = {coder.id: coder.name for coder in chosen}
    units = pairs.merge(excerpt_table, on="excerpt_id", how="inner")
    units["coder_rank"] = units["coder_id"].map(rank)
    units = units.sort_values(["order", "coder_rank"], kind="stable").reset_index(drop=True)
    units["coder"] = units["coder_id"].map(names).astype(object)
    return units.rename(columns={"seq": "excerpt"})


def _marks(units: pd.DataFrame, coded: pd.DataFrame, codes: Sequence[str]) -> np.ndarray:
    """uint8 units x codes: 1 where ``coded`` has (excerpt_id, coder_id, code_id)."""
    marks = np.zeros((len(units), len(codes)), dtype=np.uint8)
    if len(units) and len(coded):
        unit_index = pd.MultiIndex.from_arrays([units["excerpt_id"], units["coder_id"]])
        rows = unit_index.get_indexer(
            pd.MultiIndex.from_arrays(
                [coded["excerpt_id"].astype("int64"), coded["coder_id"].astype("int64")]
            )
        )
        cols = pd.Index(list(codes)).get_indexer(pd.Index(coded["code_id"]))
        keep = (rows >= 0) & (cols >= 0)
        marks[rows[keep], cols[keep]] = 1
    return marks


def unit_matrix(
    project: Project, selection: CoderSelection, *, consensus_rating: bool = True
) -> UnitMatrix:
    """Build the unit matrix of the selected coders from the store.

    ``consensus_rating=False`` leaves the consensus layer's ratings out of the attribute
    values (cases.csv, else the unit's own coder's rating): what a blind coder may see.
    """
    book = project.codebook
    codes = tuple(code.id for code in book.codable_codes)
    from coder.store.frames import StoreFrames

    undecided = pd.DataFrame(columns=["excerpt_id", "coder_id", "code_id"])
    notes: dict[int, str] | None = None
    with StoreFrames(project) as frames:
        everyone = frames.coders()
        chosen = selection.resolve(everyone)
        layer_of = next((c for c in chosen if c.name == CONSENSUS), None)
        others = [coder.id for coder in chosen if coder is not layer_of]
        pairs = frames.units(others)
        coded = frames.codings(others, details=False)
        fixed = frames.case_attributes()
        ratings = frames.ratings()
        consensus_id = next((c.id for c in everyone if c.name == CONSENSUS), None)
        if not consensus_rating and layer_of is None:
            consensus_id = None
        if layer_of is not None:  # the whole derived layer (reads the panel's codings)
            layer = ConsensusLayer.read(frames, everyone, codes)
            pairs = pd.concat([pairs, layer.units.assign(coder_id=layer_of.id)])
            coded = pd.concat([coded, layer.present.assign(coder_id=layer_of.id)])
            undecided = layer.undecided.assign(coder_id=layer_of.id)
            notes = layer.notes
            agreed = layer.ratings
        elif consensus_id is not None:  # other coders' rows still join the consensus rating
            agreed = consensus_ratings(frames, everyone, ratings)
        if consensus_id is not None:
            ratings = pd.concat(
                [
                    ratings[ratings["coder_id"] != consensus_id],
                    agreed.assign(coder_id=consensus_id),
                ],
                ignore_index=True,
            )
        units = _units(pairs, frames.excerpts(), chosen)
    presence = _marks(units, coded, codes)
    missing = _marks(units, undecided, codes).astype(bool)
    found = {
        spec.id: attribute_values(
            spec, units["case"], units["coder_id"], fixed, ratings, consensus_id
        )
        for spec in book.attributes
    }
    attributes = pd.DataFrame({key: pair[0] for key, pair in found.items()}, index=units.index)
    sources = pd.DataFrame({key: pair[1] for key, pair in found.items()}, index=units.index)
    keep_columns = [*UNIT_FIELDS, "excerpt_id", "coder_id"]
    return UnitMatrix(
        units.loc[:, keep_columns],
        codes,
        presence,
        missing,
        attributes,
        sources,
        tuple(chosen),
        selection.describe(chosen),
        _unit_notes(units, notes, layer_of.id if layer_of else None),
    )


def _unit_notes(
    units: pd.DataFrame, notes: dict[int, str] | None, layer: int | None
) -> pd.Series | None:
    """The consensus rows' decision notes, aligned with ``units``."""
    if notes is None or layer is None:
        return None
    mapped = units["excerpt_id"].map(notes)
    return mapped.where(units["coder_id"] == layer, None).astype(object)
