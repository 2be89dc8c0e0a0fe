"""coder.toml: read, validated as ``ProjectSettings``, errors reported with file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from coder.domain.codebook import Codebook
from coder.domain.keys import unknown_binding_ids
from coder.domain.settings import ProjectSettings
from coder.errors import ConfigError, Problem

CONFIG_NAME = "coder.toml"

REMOVED_KEYS = {
    ("coding", "review_dwell_ms"): (
        "review_dwell_ms is no longer used: moving between excerpts never marks one reviewed "
        "(coding it, space, or ctrl+e 'the rest has no codes' does); delete this line"
    ),
}
"""Keys older coder.toml files may hold, with what to do about them."""


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
        settings = ProjectSettings.model_validate(data)
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
    return settings


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
