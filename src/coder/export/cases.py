"""The cases table: one row per case with attributes, ratings, and per-code counts and presence.

Counts and presence describe ONE layer, one coder or the consensus layer: a selection of several
coders is refused (``CoderError``), since or-ing or summing their codings would describe no one.
Attributes are the values from cases.csv. Ratings are one column per rated attribute for the
chosen layer: always its relational robustness rating, other attributes when it rated them.
Counts are the number of the case's excerpts the layer applied a code to; presence is 1 when
that count is above 0. A case of which the layer observed (reviewed or coded) no excerpt has
missing counts and presence (empty in CSV, system-missing in .sav and .dta), not 0. The
consensus layer is the derived one (``coder.export.consensus_layer``): a case with an undecided
disagreement on a code has a missing count for it, and missing presence unless another excerpt
already has the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.arrays import IntegerArray

from coder.errors import CoderError
from coder.export.coder_selection import CONSENSUS, CoderRecord, CoderSelection
from coder.export.consensus_layer import ConsensusLayer
from coder.export.naming import MAX_LENGTH, transliterate
from coder.export.table import ColumnSpec, LabelledTable, field_labels
from coder.export.unit_matrix import typed_values
from coder.export.wide import attribute_spec

if TYPE_CHECKING:
    from coder.domain.codebook import AttributeSpec, Codebook
    from coder.project.project import Project
    from coder.store.frames import StoreFrames

ALWAYS_RATED = "relational_robustness"
"""The attribute whose rating column is exported for the layer even before it has rated."""

_COUNT_WORDS = {
    "nb": ("Antall utdrag", "Forekommer"),
    "nn": ("Tal på utdrag", "Førekjem"),
    "da": ("Antal uddrag", "Forekommer"),
    "sv": ("Antal utdrag", "Förekommer"),
    "de": ("Anzahl Auszüge", "Vorhanden"),
    "en": ("Excerpts coded", "Present"),
}


def one_layer(selection: CoderSelection, chosen: list[CoderRecord]) -> CoderRecord | None:
    """The one coder (or consensus layer) chosen; None when there is no coder at all.

    Raises CoderError when the selection covers several coders.
    """
    if len(chosen) > 1:
        raise CoderError(
            "the cases table counts codes for one layer, but the selection covers "
            f"{selection.describe(chosen)}: pass --coder NAME for one coder's codings or "
            "--consensus for the consensus layer"
        )
    return chosen[0] if chosen else None


def _raters(
    spec: AttributeSpec, ratings: pd.DataFrame, layer: CoderRecord | None
) -> list[CoderRecord]:
    """Who gets a rating column for ``spec``: the layer, if it rated it (or always for one)."""
    if layer is None:
        return []
    if spec.id == ALWAYS_RATED:
        return [layer]
    mine = ratings[(ratings["attribute"] == spec.id) & (ratings["coder_id"] == layer.id)]
    return [layer] if len(mine) else []


def _observed(units: pd.DataFrame, table: pd.DataFrame) -> set[str]:
    """Cases of which the layer reviewed or coded at least one excerpt."""
    return set(units.merge(table, on="excerpt_id")["case"].dropna())


def _counts(coded: pd.DataFrame, table: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Case x code: the case's excerpts with (excerpt_id, code_id) in ``coded``."""
    if coded.empty:
        return pd.DataFrame(0, index=pd.Index([], dtype=object), columns=codes)
    pairs = coded[["excerpt_id", "code_id"]].drop_duplicates().merge(table, on="excerpt_id")
    counts = pairs.groupby(["case", "code_id"]).size().unstack(fill_value=0)
    return counts.reindex(columns=codes, fill_value=0)


def _layer_frames(
    frames: StoreFrames, everyone: list[CoderRecord], layer: CoderRecord | None, codes: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The layer's observed excerpts, codings, undecided pairs and (consensus) ratings."""
    none = pd.DataFrame(
        {"excerpt_id": pd.Series(dtype="int64"), "code_id": pd.Series(dtype=object)}
    )
    if layer is None:
        return none[["excerpt_id"]], none, none, None
    if layer.name == CONSENSUS:
        derived = ConsensusLayer.read(frames, everyone, codes)
        return derived.units, derived.present, derived.undecided, derived.ratings
    return frames.units([layer.id]), frames.codings([layer.id], details=False), none, None


def rating_wishes(attribute: str, raters: list[CoderRecord]) -> list[str]:
    """``attribute_rater`` each, or all with the attribute's initials if one would be too long."""
    full = [f"{attribute}_{rater.name}" for rater in raters]
    if all(len(transliterate(wish)) <= MAX_LENGTH - 3 for wish in full):
        return full
    initials = "".join(part[0] for part in attribute.replace(".", "_").split("_") if part)
    return [f"{initials}_{rater.name}" for rater in raters]


def _word(language: str, index: int) -> str:
    return _COUNT_WORDS.get(language, _COUNT_WORDS["en"])[index]


def _count_specs(book: Codebook, whose: str) -> tuple[list[ColumnSpec], list[ColumnSpec]]:
    counts, present = [], []
    missing = f"empty when {whose} observed no excerpt of the case"
    for code in book.codable_codes:
        paths = {lang: book.path(code.id, lang) for lang in book.languages}
        counts.append(
            ColumnSpec(
                key=f"count:{code.id}",
                wish=f"n_{code.id}",
                kind="count",
                labels={lang: f"{_word(lang, 0)}: {path}" for lang, path in paths.items()},
                source_id=code.id,
                code_id=code.id,
                numeric=True,
                description=f"Excerpts of the case {whose} coded with {code.id}; {missing}",
            )
        )
        present.append(
            ColumnSpec(
                key=f"code:{code.id}",
                wish=f"has_{code.id}",
                kind="code",
                labels={lang: f"{_word(lang, 1)}: {path}" for lang, path in paths.items()},
                source_id=code.id,
                code_id=code.id,
                description=f"1 when {whose} coded {code.id} in the case, else 0; {missing}",
            )
        )
    return counts, present


def cases_table(project: Project, selection: CoderSelection) -> LabelledTable:
    """One row per case: attributes, the layer's ratings, its per-code counts and presence."""
    book = project.codebook
    codes = [code.id for code in book.codable_codes]
    from coder.store.frames import StoreFrames

    with StoreFrames(project) as frames:
        everyone = frames.coders()
        chosen = selection.resolve(everyone)
        layer = one_layer(selection, chosen)
        case_ids = frames.case_ids()
        fixed = frames.case_attributes()
        ratings = frames.ratings()
        table = frames.excerpts()[["excerpt_id", "case"]]
        units, coded, undecided, derived = _layer_frames(frames, everyone, layer, codes)
        if layer is not None and derived is not None:
            ratings = pd.concat(
                [ratings[ratings["coder_id"] != layer.id], derived.assign(coder_id=layer.id)],
                ignore_index=True,
            )
        observed = _observed(units, table)
        counts = _counts(coded, table, codes)
        unsure = _counts(undecided, table, codes).reindex(index=case_ids, fill_value=0)
    whose = selection.describe(chosen)
    index = pd.RangeIndex(len(case_ids))
    cases = pd.Series(case_ids, index=index, dtype=object)
    parts: dict[str, object] = {"field:case": cases}
    specs = [ColumnSpec("field:case", "case", "field", field_labels("case"), "case")]
    for spec in book.attributes:
        given = fixed[fixed["attribute"] == spec.id].set_index("case")["value"]
        parts[f"attr:{spec.id}"] = typed_values(spec, cases.map(given))
        specs.append(
            attribute_spec(spec, f"attr:{spec.id}", spec.id, "The case's value in cases.csv")
        )
    for spec in book.attributes:
        raters = _raters(spec, ratings, layer)
        for rater, wish in zip(raters, rating_wishes(spec.id, raters), strict=True):
            mine = ratings[(ratings["attribute"] == spec.id) & (ratings["coder_id"] == rater.id)]
            values = cases.map(mine.set_index("case")["value"]) if len(mine) else cases.map({})
            key = f"rating:{spec.id}:{rater.name}"
            parts[key] = typed_values(spec, values)
            column = attribute_spec(spec, key, wish)
            labels = {lang: f"{spec.label_in(lang)} ({rater.name})" for lang in book.languages}
            specs.append(
                ColumnSpec(
                    key,
                    column.wish,
                    "rating",
                    labels,
                    spec.id,
                    levels=column.levels,
                    ordinal=column.ordinal,
                    numeric=column.numeric,
                    description=f"Rating of {spec.id} by {rater.name}",
                )
            )
    unseen = ~cases.isin(observed).to_numpy()  # missing, not 0, in every count and presence
    matrix = counts.reindex(index=case_ids, fill_value=0).to_numpy(dtype=np.int64)
    count_specs, present_specs = _count_specs(book, whose)
    open_pairs = unsure.to_numpy(dtype=np.int64) > 0  # undecided consensus: count unknown
    for position, code in enumerate(codes):
        counted = matrix[:, position]
        present = (counted > 0).astype(np.int64)
        unknown = unseen | open_pairs[:, position]
        parts[f"count:{code}"] = pd.Series(IntegerArray(counted, unknown.copy()), index=index)
        absent_unknown = unseen | (unknown & (present == 0))
        parts[f"code:{code}"] = pd.Series(IntegerArray(present, absent_unknown), index=index)
    specs += count_specs + present_specs
    frame = pd.DataFrame(parts, index=index)
    text = f"coder cases export: one row per case (codes, ratings: {whose})"
    return LabelledTable.build("cases", frame, specs, book.languages, text)
