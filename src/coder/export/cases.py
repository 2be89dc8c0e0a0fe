"""The cases table: one row per case with attributes, ratings, and per-code counts and presence.

Attributes are the values from cases.csv. Ratings are one column per rater and rated attribute:
the relational robustness rating of every human coder and of the consensus layer always, other
attributes for the coders who rated them. Counts are the number of the case's excerpts the
selected coders applied a code to (an excerpt counts once however many of them coded it);
presence is 1 when that count is above 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coder.export.naming import MAX_LENGTH, transliterate
from coder.export.selection import CONSENSUS, CoderRecord, CoderSelection
from coder.export.source import StoreFrames
from coder.export.table import ColumnSpec, LabelledTable, field_labels
from coder.export.units import typed_values
from coder.export.wide import attribute_spec

if TYPE_CHECKING:
    from coder.domain.codebook import AttributeSpec, Codebook
    from coder.project.project import Project

ALWAYS_RATED = "relational_robustness"
"""The attribute whose ratings are exported for every coder even before anyone has rated."""

_COUNT_WORDS = {"nb": ("Antall utdrag", "Forekommer"), "en": ("Excerpts coded", "Present")}


def _raters(
    spec: AttributeSpec, ratings: pd.DataFrame, everyone: list[CoderRecord]
) -> list[CoderRecord]:
    """Who gets a rating column for ``spec``: human coders, then the consensus layer."""
    rated = set(ratings.loc[ratings["attribute"] == spec.id, "coder_id"]) if len(ratings) else set()
    humans = sorted((c for c in everyone if c.kind == "human"), key=lambda c: c.name)
    consensus = [c for c in everyone if c.name == CONSENSUS]
    if spec.id == ALWAYS_RATED:
        if not consensus:
            consensus = [CoderRecord(-1, CONSENSUS, "consensus")]
        return humans + consensus
    return [c for c in humans + consensus if c.id in rated]


def _counts(frames: StoreFrames, chosen: list[CoderRecord], codes: list[str]) -> pd.DataFrame:
    """Case x code: excerpts coded by any chosen coder."""
    coded = frames.codings([coder.id for coder in chosen], details=False)
    if coded.empty:
        return pd.DataFrame(0, index=pd.Index([], dtype=object), columns=codes)
    table = frames.excerpts()[["excerpt_id", "case"]]
    pairs = coded[["excerpt_id", "code_id"]].drop_duplicates().merge(table, on="excerpt_id")
    counts = pairs.groupby(["case", "code_id"]).size().unstack(fill_value=0)
    return counts.reindex(columns=codes, fill_value=0)


def rating_wishes(attribute: str, raters: list[CoderRecord]) -> list[str]:
    """``attribute_rater`` each, or all with the attribute's initials if one would be too long."""
    full = [f"{attribute}_{rater.name}" for rater in raters]
    if all(len(transliterate(wish)) <= MAX_LENGTH - 3 for wish in full):
        return full
    initials = "".join(part[0] for part in attribute.replace(".", "_").split("_") if part)
    return [f"{initials}_{rater.name}" for rater in raters]


def _word(language: str, index: int) -> str:
    return _COUNT_WORDS.get(language, _COUNT_WORDS["en"])[index]


def _count_specs(book: Codebook) -> tuple[list[ColumnSpec], list[ColumnSpec]]:
    counts, present = [], []
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
            )
        )
    return counts, present


def cases_table(project: Project, selection: CoderSelection) -> LabelledTable:
    """One row per case: attributes, each rater's ratings, per-code counts and presence."""
    book = project.codebook
    codes = [code.id for code in book.codable_codes]
    with StoreFrames(project) as frames:
        everyone = frames.coders()
        chosen = selection.resolve(everyone)
        case_ids = frames.case_ids()
        fixed = frames.case_attributes()
        ratings = frames.ratings()
        counts = _counts(frames, chosen, codes)
    index = pd.RangeIndex(len(case_ids))
    cases = pd.Series(case_ids, index=index, dtype=object)
    parts: dict[str, object] = {"field:case": cases}
    specs = [ColumnSpec("field:case", "case", "field", field_labels("case"), "case")]
    for spec in book.attributes:
        given = fixed[fixed["attribute"] == spec.id].set_index("case")["value"]
        parts[f"attr:{spec.id}"] = typed_values(spec, cases.map(given))
        specs.append(attribute_spec(spec, f"attr:{spec.id}", spec.id))
    for spec in book.attributes:
        raters = _raters(spec, ratings, everyone)
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
                )
            )
    matrix = counts.reindex(index=case_ids, fill_value=0).to_numpy(dtype=np.int64)
    count_specs, present_specs = _count_specs(book)
    for position, code in enumerate(codes):
        parts[f"count:{code}"] = pd.Series(matrix[:, position], index=index)
        parts[f"code:{code}"] = pd.Series((matrix[:, position] > 0).astype(np.uint8), index=index)
    specs += count_specs + present_specs
    frame = pd.DataFrame(parts, index=index)
    text = f"coder cases export: one row per case (codes: {selection.describe(chosen)})"
    return LabelledTable.build("cases", frame, specs, book.languages, text)
