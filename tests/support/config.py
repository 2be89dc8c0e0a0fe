"""Changing one setting of a project's coder.toml, loudly: a missing key fails the test.

``set_setting(config, "coding", "review_dwell_ms", 0)`` rewrites that one line of the
``[coding]`` table (its comment kept) and checks that the file now reads back with the new
value. A template that renamed or moved the key makes the helper fail instead of leaving the
test to run, silently, on the old value.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

Value = bool | int | str | list[str]


def toml_value(value: Value) -> str:
    """``value`` as TOML (booleans, integers, strings and lists of strings are enough here)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list is valid TOML


def setting(config: Path, section: str, key: str) -> object:
    """The value of ``[section] key`` in ``config`` as TOML reads it."""
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    return data[section][key]


def set_setting(config: Path, section: str, key: str, value: Value) -> None:
    """Set ``[section] key = value`` in ``config``; fail if the key is not on one line there."""
    text = config.read_text(encoding="utf-8")
    header = re.search(rf"^\[{re.escape(section)}\][ \t]*$", text, re.MULTILINE)
    assert header is not None, f"{config}: no [{section}] table"
    following = re.search(r"^\[", text[header.end() :], re.MULTILINE)
    end = header.end() + following.start() if following else len(text)
    body = text[header.end() : end]
    line = re.compile(rf"^({re.escape(key)}[ \t]*=[ \t]*)([^#\n]*?)([ \t]*(#.*)?)$", re.MULTILINE)
    found = line.findall(body)
    assert len(found) == 1, f"{config}: [{section}] has {len(found)} lines setting {key!r}"
    body = line.sub(lambda m: m.group(1) + toml_value(value) + m.group(3), body)
    config.write_text(text[: header.end()] + body + text[end:], encoding="utf-8")
    assert setting(config, section, key) == value, f"{config}: [{section}] {key} did not change"
