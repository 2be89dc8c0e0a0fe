"""Pydantic models of the codebook YAML: the file boundary, validated once."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LANG_PATTERN = r"^[a-z]{2,3}$"


def _number_to_text(value: Any) -> Any:
    """Let ``version: 1.0`` and ``hotkey: 1`` mean what the author meant."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=100)]
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Labels = dict[Lang, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]]
Prose = Text | dict[Lang, Text]
"""A plain string (any language), or one text per language: ``{nb: ..., en: ...}``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetaModel(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    version: Annotated[str, BeforeValidator(_number_to_text)] = "0.0.0"
    languages: list[Lang] = Field(default_factory=lambda: ["en"], min_length=1)


class ExampleModel(_Strict):
    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CodeModel(_Strict):
    id: Id
    label: Labels = Field(min_length=1)
    parent: Id | None = None
    codable: bool = True
    description: Prose = ""
    use_when: Prose = ""
    dont_use_when: Prose = ""
    examples: list[ExampleModel] = Field(default_factory=list)
    indicators: dict[
        Lang, list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]]
    ] = Field(default_factory=dict)
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)
    color: str | None = None
    hotkey: Annotated[str | None, BeforeValidator(_number_to_text)] = None
    retired: bool = False
    merged_into: Id | None = None
    split_into: list[Id] = Field(default_factory=list)

    @field_validator("color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None and not COLOR_RE.match(value):
            raise ValueError(f'invalid colour {value!r}: expected #rrggbb, e.g. "#d95f02"')
        return value

    @field_validator("hotkey")
    @classmethod
    def _hotkey(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 1 or not value.isprintable() or value.isspace()):
            raise ValueError(f"invalid hotkey {value!r}: expected one printable character")
        return value


class LevelModel(_Strict):
    id: Id
    label: Labels = Field(min_length=1)
    definition: Prose = ""


class AttributeModel(_Strict):
    id: Id
    label: Labels = Field(min_length=1)
    description: Prose = ""
    kind: Literal["nominal", "ordinal", "interval", "text"]
    levels: list[LevelModel] = Field(default_factory=list)


class CodebookModel(_Strict):
    codebook: MetaModel
    codes: list[CodeModel] = Field(default_factory=list)
    attributes: list[AttributeModel] = Field(default_factory=list)
