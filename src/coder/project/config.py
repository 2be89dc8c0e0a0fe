"""coder.toml: read and validated with pydantic, handed inward as ``ProjectSettings``."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any

from coder.domain.codebook import Codebook
from coder.domain.keys import unknown_binding_ids
from coder.domain.limits import Limits
from coder.domain.settings import (
    DEFAULT_INTERVIEWER,
    DEFAULT_PARTICIPANT,
    CodingRules,
    ProjectSettings,
    SegmentationRules,
    SpeakerRules,
)
from coder.errors import ConfigError, Problem

CONFIG_NAME = "coder.toml"

REMOVED_KEYS = {
    ("coding", "review_dwell_ms"): (
        "review_dwell_ms is no longer used: moving between excerpts never marks one reviewed "
        "(coding it, space, or ctrl+e 'the rest has no codes' does); delete this line"
    ),
}
"""Keys older coder.toml files may hold, with what to do about them."""


@functools.cache
def _models() -> Any:
    from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)

    def _regexes(values: list[str]) -> list[str]:
        from coder.ingest.label_pattern import LabelPattern, LabelPatternError

        for value in values:
            try:
                LabelPattern.compile(value)
            except LabelPatternError as exc:
                raise ValueError(str(exc)) from None
        return values

    class ProjectTable(_Strict):
        name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
        language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "nb"
        codebook: Annotated[str, StringConstraints(min_length=1)]
        transcripts: Annotated[str, StringConstraints(min_length=1)] = "transcripts"

    class SpeakersTable(_Strict):
        interviewer: list[str] = Field(default_factory=lambda: list(DEFAULT_INTERVIEWER))
        participant: list[str] = Field(default_factory=lambda: list(DEFAULT_PARTICIPANT))

        @field_validator("interviewer", "participant")
        @classmethod
        def _check(cls, values: list[str]) -> list[str]:
            return _regexes(values)

    class SegmentationTable(_Strict):
        max_chars: int = Field(default=1500, ge=100, le=1_000_000)
        code_interviewer: bool = False

    class SuggestTable(_Strict):
        pipeline: str | None = None

    class PrivacyTable(_Strict):
        key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None

    class CodingTable(_Strict):
        suggestions: bool = True

    class LimitsTable(_Strict):  # docs/limits.md; defaults and meaning in domain/limits.py
        transcript_mb: int | None = Field(default=None, ge=1)
        document_mb: int | None = Field(default=None, ge=1)
        document_xml_mb: int | None = Field(default=None, ge=1)
        codebook_mb: int | None = Field(default=None, ge=1)
        codebook_nodes: int | None = Field(default=None, ge=1)
        refi_entry_mb: int | None = Field(default=None, ge=1)
        refi_total_mb: int | None = Field(default=None, ge=1)
        refi_project_mb: int | None = Field(default=None, ge=1)

    class ConfigFile(_Strict):
        project: ProjectTable
        speakers: SpeakersTable = Field(default_factory=SpeakersTable)
        segmentation: SegmentationTable = Field(default_factory=SegmentationTable)
        keymap: dict[str, str] = Field(default_factory=dict)
        suggest: SuggestTable = Field(default_factory=SuggestTable)
        coding: CodingTable = Field(default_factory=CodingTable)
        limits: LimitsTable = Field(default_factory=LimitsTable)
        privacy: PrivacyTable = Field(default_factory=PrivacyTable)

    return ConfigFile


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line of a TOML key: the table header, then the key inside it."""
    lines = text.splitlines()
    table, key = (str(loc[0]), str(loc[1])) if len(loc) >= 2 else (str(loc[0]) if loc else "", "")
    header = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == f"[{table}]":
            header = number
        elif header is not None and stripped.startswith("["):
            break
        elif header is not None and key and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
            return number
    return header


def parse_settings(text: str, file: str) -> ProjectSettings:
    """Validate coder.toml text; raise ``ConfigError`` naming file, line and field."""
    import tomllib

    from pydantic import ValidationError

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError([Problem(file, line, "", f"invalid TOML: {exc}")]) from None
    except RecursionError:  # tomllib recurses per nesting level: [[[[...]]]] exhausts the stack
        message = "invalid TOML: values nested too deeply (thousands of levels); fix the file"
        raise ConfigError([Problem(file, None, "", message)]) from None
    try:
        model = _models().model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(part) for part in loc)
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden" and tuple(map(str, loc)) in REMOVED_KEYS:
                message = REMOVED_KEYS[tuple(map(str, loc))]  # type: ignore[index]
            elif err["type"] == "extra_forbidden":
                message = f"unknown key '{loc[-1]}' (check the spelling)"
            elif err["type"] == "missing":
                message = f"required key '{loc[-1]}' is missing"
            problems.append(Problem(file, _line_of(text, loc), field, message))
        raise ConfigError(problems) from None
    return ProjectSettings(
        name=model.project.name,
        language=model.project.language,
        codebook=model.project.codebook,
        transcripts=model.project.transcripts,
        speakers=SpeakerRules(tuple(model.speakers.interviewer), tuple(model.speakers.participant)),
        segmentation=SegmentationRules(
            model.segmentation.max_chars, model.segmentation.code_interviewer
        ),
        keymap=dict(model.keymap),
        coding=CodingRules(suggestions=model.coding.suggestions),
        pipeline=model.suggest.pipeline,
        limits=Limits().with_values(model.limits.model_dump(exclude_none=True)),
        privacy_key=model.privacy.key,
    )


def check_keymap(settings: ProjectSettings, codebook: Codebook, text: str, file: str) -> None:
    """Refuse unknown binding ids and keys that collide with code hotkeys or each other."""
    from coder.domain.keys import closest_binding_id, coding_keys, key_characters

    keymap = dict(settings.keymap)
    problems: list[Problem] = []
    for binding in unknown_binding_ids(keymap):
        hint = closest_binding_id(binding)
        problems.append(
            Problem(
                file,
                _line_of(text, ("keymap", binding)),
                f"keymap.{binding}",
                "unknown binding id"
                + (f"; did you mean '{hint}'?" if hint else "")
                + " (press ? in the app for the list)",
            )
        )
    hotkeys = {code.hotkey: code.id for code in codebook.codes if code.hotkey}
    taken = coding_keys(keymap)
    for binding, keys in keymap.items():
        for char in key_characters(keys):
            if char in hotkeys:
                problems.append(
                    Problem(
                        file,
                        _line_of(text, ("keymap", binding)),
                        f"keymap.{binding}",
                        f"key '{char}' is the hotkey of code '{hotkeys[char]}' in the codebook",
                    )
                )
            elif char in taken and taken[char].id != binding and binding.startswith("coding."):
                problems.append(
                    Problem(
                        file,
                        _line_of(text, ("keymap", binding)),
                        f"keymap.{binding}",
                        f"key '{char}' is also bound to {taken[char].id}",
                    )
                )
    if problems:
        raise ConfigError(problems)


def load_settings(root: Path) -> ProjectSettings:
    """Read ``root/coder.toml``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            [Problem(str(path), None, "", "not UTF-8; save the file as UTF-8")]
        ) from None
    except OSError as exc:
        raise ConfigError(
            [Problem(str(path), None, "", f"cannot read: {exc.strerror or exc}")]
        ) from None
    return parse_settings(text, str(path))
