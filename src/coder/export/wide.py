"""The wide table: one row per excerpt and coder, a 0/1 column per code, case attributes joined.

A row's case attribute is the case's value in cases.csv, else the consensus layer's rating, else
the rating by the row's own coder (``coder.export.unit_matrix``). The rule is kept, and shown: each
attribute column is followed by ``<attribute>_source`` saying where the row's value came from
(``cases``, ``consensus``, ``coder``, or empty when there is none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from coder.export.coder_selection import CoderSelection
from coder.export.table import ColumnSpec, LabelledTable, field_specs, source_labels
from coder.export.unit_matrix import SOURCE_RULE, UNIT_FIELDS, unit_matrix

if TYPE_CHECKING:
    from coder.domain.codebook import AttributeSpec, Codebook
    from coder.project.project import Project

SOURCE_SUFFIX = "_source"
"""Appended to an attribute's id to name the column saying where its values came from."""


def attribute_spec(spec: AttributeSpec, key: str, wish: str, description: str = "") -> ColumnSpec:
    """The column of a case attribute: levels for nominal and ordinal, numbers for interval."""
    return ColumnSpec(
        key=key,
        wish=wish,
        kind="attribute",
        labels=dict(spec.label),
        source_id=spec.id,
        levels=spec.levels if spec.kind in ("nominal", "ordinal") else (),
        ordinal=spec.kind == "ordinal",
        numeric=spec.kind == "interval",
        description=description,
    )


def joined_attribute_specs(spec: AttributeSpec) -> list[ColumnSpec]:
    """A joined attribute's column, then the column saying where each row's value came from."""
    value = attribute_spec(
        spec,
        f"attr:{spec.id}",
        spec.id,
        f"Case attribute: {SOURCE_RULE}; the next column ({spec.id}{SOURCE_SUFFIX}) says which",
    )
    source = ColumnSpec(
        key=f"source:{spec.id}",
        wish=f"{spec.id}{SOURCE_SUFFIX}",
        kind="source",
        labels=source_labels(spec.label),
        source_id=spec.id,
        description=f"Where {spec.id} came from: {SOURCE_RULE}",
    )
    return [value, source]


def code_specs(book: Codebook, prefix: str = "") -> list[ColumnSpec]:
    """One 0/1 column per codable code, labelled with the code's path in each language."""
    return [
        ColumnSpec(
            key=f"code:{code.id}",
            wish=f"{prefix}{code.id}",
            kind="code",
            labels={lang: book.path(code.id, lang) for lang in book.languages},
            source_id=code.id,
            code_id=code.id,
        )
        for code in book.codable_codes
    ]


def wide_table(project: Project, selection: CoderSelection) -> LabelledTable:
    """One row per observed excerpt x coder: fields, case attributes and their sources, codes."""
    book = project.codebook
    matrix = unit_matrix(project, selection)
    specs = field_specs(UNIT_FIELDS, {"excerpt", "start", "end"})
    for spec in book.attributes:
        specs += joined_attribute_specs(spec)
    parts = {f"field:{name}": matrix.units[name] for name in UNIT_FIELDS}
    if matrix.notes is not None:  # the consensus layer: the lead's notes on its decisions
        specs += field_specs(["consensus_note"], ())
        parts["field:consensus_note"] = matrix.notes
    specs += code_specs(book)
    for name in matrix.attributes.columns:
        parts[f"attr:{name}"] = matrix.attributes[name]
        parts[f"source:{name}"] = matrix.sources[name]
    presence = matrix.code_frame()
    parts |= {f"code:{code}": presence[code] for code in matrix.codes}
    frame = pd.DataFrame(parts, index=matrix.units.index)
    description = f"coder wide export: one row per excerpt and coder ({matrix.description})"
    return LabelledTable.build("wide", frame, specs, book.languages, description)
