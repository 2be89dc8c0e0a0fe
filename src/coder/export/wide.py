"""The wide table: one row per excerpt and coder, a 0/1 column per code, case attributes joined."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from coder.export.selection import CoderSelection
from coder.export.table import ColumnSpec, LabelledTable, field_specs
from coder.export.units import UNIT_FIELDS, unit_matrix

if TYPE_CHECKING:
    from coder.domain.codebook import AttributeSpec, Codebook
    from coder.project.project import Project


def attribute_spec(spec: AttributeSpec, key: str, wish: str) -> ColumnSpec:
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
    )


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
    """One row per observed excerpt x coder: fields, case attributes, then a 0/1 per code."""
    book = project.codebook
    matrix = unit_matrix(project, selection)
    specs = field_specs(UNIT_FIELDS, {"excerpt", "start", "end"})
    specs += [attribute_spec(spec, f"attr:{spec.id}", spec.id) for spec in book.attributes]
    specs += code_specs(book)
    parts = {f"field:{name}": matrix.units[name] for name in UNIT_FIELDS}
    parts |= {f"attr:{name}": matrix.attributes[name] for name in matrix.attributes.columns}
    presence = matrix.presence_frame()
    parts |= {f"code:{code}": presence[code] for code in matrix.codes}
    frame = pd.DataFrame(parts, index=matrix.units.index)
    description = f"coder wide export: one row per excerpt and coder ({matrix.description})"
    return LabelledTable.build("wide", frame, specs, book.languages, description)
