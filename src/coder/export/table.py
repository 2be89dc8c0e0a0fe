"""``LabelledTable``: an export's data frame with its column names, labels and value labels.

Builders (``long``, ``wide``, ``cases``) describe their columns with ``ColumnSpec``;
``LabelledTable.build`` names them all through ``coder.export.naming.column_names`` and renames
the frame, so every file (CSV, .sav, .dta, R) carries the same names, and the mapping file beside
it says what each name stands for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from coder.domain.codebook import Level
from coder.export.naming import MAX_LENGTH, column_names, label_set_room

if TYPE_CHECKING:
    import pandas as pd

ColumnKind = Literal["field", "code", "count", "attribute", "source", "rating"]

CODED_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "nb": ("Ikke kodet", "Kodet"),
        "nn": ("Ikkje koda", "Koda"),
        "da": ("Ikke kodet", "Kodet"),
        "sv": ("Inte kodad", "Kodad"),
        "de": ("Nicht kodiert", "Kodiert"),
        "en": ("Not coded", "Coded"),
    }
)
"""Value labels of 0 and 1 in code columns, per language (others fall back to English)."""

FIELD_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "transcript": {"nb": "Transkripsjon", "en": "Transcript"},
        "case": {"nb": "Case (deltaker)", "en": "Case (participant)"},
        "excerpt": {"nb": "Utdrag nr.", "en": "Excerpt number"},
        "start": {"nb": "Utdragets start (tegn)", "en": "Excerpt start (character)"},
        "end": {"nb": "Utdragets slutt (tegn)", "en": "Excerpt end (character)"},
        "speaker": {"nb": "Taler", "en": "Speaker"},
        "text": {"nb": "Utdragstekst", "en": "Excerpt text"},
        "code": {"nb": "Kode-id", "en": "Code id"},
        "code_label": {"nb": "Kode", "en": "Code label"},
        "code_path": {"nb": "Kodesti", "en": "Code path"},
        "coder": {"nb": "Koder", "en": "Coder"},
        "origin": {"nb": "Opphav", "en": "Origin"},
        "created": {"nb": "Opprettet", "en": "Created"},
        "excerpt_memo": {
            "nb": "Koderens memo om utdraget (gjentas på hver koding av utdraget)",
            "en": "The coder's memo on the excerpt (repeated on each coding of the excerpt)",
        },
        "span_start": {"nb": "Kodet spenn, start", "en": "Coded span start"},
        "span_end": {"nb": "Kodet spenn, slutt", "en": "Coded span end"},
        "consensus_note": {
            "nb": "Prosjektleders notater om konsensusavgjørelsene (kode: notat)",
            "en": "The lead's notes on the consensus decisions (code: note)",
        },
    }
)
"""Variable labels of the fixed columns."""

SOURCE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "nb": "Kilde for {}",
        "nn": "Kjelde for {}",
        "da": "Kilde til {}",
        "sv": "Källa för {}",
        "de": "Quelle von {}",
        "en": "Source of {}",
    }
)
"""Variable label of an attribute's source column, per language (others fall back to English)."""


def coded_words(language: str) -> tuple[str, str]:
    """Labels of 0 and 1 in a code column."""
    return CODED_WORDS.get(language, CODED_WORDS["en"])


def source_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """Variable labels of the source column of an attribute labelled ``labels``."""
    return {
        lang: SOURCE_LABELS.get(lang, SOURCE_LABELS["en"]).format(label)
        for lang, label in labels.items()
    }


def field_labels(field: str) -> Mapping[str, str]:
    """Variable labels of a fixed column (its name when there are none)."""
    return FIELD_LABELS.get(field, {"en": field})


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column as a builder describes it, before it is named."""

    key: str
    """The frame's column before naming; unique within the table."""
    wish: str
    """The name it would like (a field name or an id); ``column_names`` makes it valid."""
    kind: ColumnKind
    """field, code (0/1), count, attribute, source (of an attribute's value) or rating."""
    labels: Mapping[str, str]
    """Variable label per language."""
    source_id: str = ""
    """What it stands for: a field name, code id, attribute id."""
    code_id: str = ""
    """The code id for code and count columns, else empty."""
    levels: tuple[Level, ...] = ()
    """Levels of a categorical column in codebook order; level i is numbered i + 1."""
    ordinal: bool = False
    """Whether the levels are ordered."""
    numeric: bool = False
    """Whether values are numbers (scale)."""
    description: str = ""
    """What the values are and where they come from, for the mapping file; empty if obvious."""


def field_specs(names: Sequence[str], numeric: Collection[str]) -> list[ColumnSpec]:
    """Specs of fixed (field) columns; those in ``numeric`` hold numbers."""
    return [
        ColumnSpec(
            key=f"field:{name}",
            wish=name,
            kind="field",
            labels=field_labels(name),
            source_id=name,
            numeric=name in numeric,
        )
        for name in names
    ]


@dataclass(frozen=True, slots=True)
class Column:
    """A named column of an export."""

    name: str
    """Its name in the file: valid in SPSS, Stata and R."""
    spec: ColumnSpec
    """What it holds."""

    def label(self, language: str) -> str:
        """Variable label in ``language`` (falls back to the first label there is)."""
        labels = self.spec.labels
        return labels.get(language) or next(iter(labels.values()), self.name)

    def value_labels(self, language: str) -> dict[int, str]:
        """Value labels: 0/1 for codes, 1..n for levels; empty for other columns."""
        if self.spec.kind == "code":
            no, yes = coded_words(language)
            return {0: no, 1: yes}
        return {rank: level.label_in(language) for rank, level in enumerate(self.spec.levels, 1)}

    @property
    def categorical(self) -> bool:
        """Whether the column holds level ids (numbered in .sav and .dta)."""
        return bool(self.spec.levels)


@dataclass(frozen=True, slots=True, eq=False)
class LabelledTable:
    """An export table: the frame (named columns) and what each column means."""

    name: str
    """long, wide or cases."""
    frame: pd.DataFrame
    """One row per unit; columns named as ``columns``."""
    columns: tuple[Column, ...]
    """The columns in frame order."""
    languages: tuple[str, ...]
    """Label languages of the codebook."""
    description: str
    """What one row is and which coders it covers (the file label)."""

    @classmethod
    def build(
        cls,
        name: str,
        frame: pd.DataFrame,
        specs: Sequence[ColumnSpec],
        languages: Sequence[str],
        description: str,
    ) -> LabelledTable:
        """Name ``specs`` in order and rename ``frame`` (whose columns are the spec keys)."""
        labelled = [spec.kind == "code" or bool(spec.levels) for spec in specs]
        room = label_set_room(sum(labelled))
        limits = [room if flag else MAX_LENGTH for flag in labelled]
        names = column_names([spec.wish for spec in specs], limits)
        keys = [spec.key for spec in specs]
        chosen = frame if list(frame.columns) == keys else frame.loc[:, keys]
        renamed = chosen.set_axis(names, axis=1)
        columns = tuple(Column(n, spec) for n, spec in zip(names, specs, strict=True))
        return cls(name, renamed, columns, tuple(languages), description)

    def column(self, name: str) -> Column:
        """The column with this name; raises KeyError when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def mapping_rows(self) -> list[dict[str, str]]:
        """One row per column: column, code_id, label per language, kind, source_id, description."""
        rows: list[dict[str, str]] = []
        for column in self.columns:
            row = {"column": column.name, "code_id": column.spec.code_id}
            row |= {f"label_{lang}": column.label(lang) for lang in self.languages}
            row |= {"kind": column.spec.kind, "source_id": column.spec.source_id}
            row["description"] = column.spec.description
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Shape and column metadata (not the data), for JSON and the TUI."""
        return {
            "table": self.name,
            "description": self.description,
            "rows": int(len(self.frame)),
            "columns": self.mapping_rows(),
        }
