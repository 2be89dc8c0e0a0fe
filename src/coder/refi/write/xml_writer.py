"""A small streaming XML writer: large projects are written element by element, never held."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]")
"""Characters XML 1.0 cannot carry at all, not even as character references."""

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)

Attributes = Mapping[str, str | None]
"""Attribute name -> value; ``None`` values are left out."""


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


class XmlWriter:
    """Writes indented, deterministic XML to a text stream; elements in one default namespace."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._open: list[str] = []

    def declaration(self) -> None:
        """The XML declaration (UTF-8)."""
        self._out.write('<?xml version="1.0" encoding="utf-8"?>\n')

    def _tag(self, tag: str, attrs: Attributes | None) -> str:
        parts = [tag]
        for name, value in (attrs or {}).items():
            if value is not None:
                parts.append(f'{name}="{xml_safe(value).translate(_ATTR_ESCAPES)}"')
        return " ".join(parts)

    def _indent(self) -> str:
        return "\t" * len(self._open)

    def start(self, tag: str, attrs: Attributes | None = None) -> None:
        """Open an element that will have children."""
        self._out.write(f"{self._indent()}<{self._tag(tag, attrs)}>\n")
        self._open.append(tag)

    def end(self) -> None:
        """Close the innermost open element."""
        tag = self._open.pop()
        self._out.write(f"{self._indent()}</{tag}>\n")

    def empty(self, tag: str, attrs: Attributes | None = None) -> None:
        """An element without content."""
        self._out.write(f"{self._indent()}<{self._tag(tag, attrs)}/>\n")

    def text(self, tag: str, text: str, attrs: Attributes | None = None) -> None:
        """An element holding only text (kept exactly: no indentation inside it)."""
        body = xml_safe(text).translate(_TEXT_ESCAPES)
        self._out.write(f"{self._indent()}<{self._tag(tag, attrs)}>{body}</{tag}>\n")

    def instruction(self, target: str, body: str) -> None:
        """A processing instruction ``<?target body?>``; ``body`` must not contain ``?>``."""
        if "?>" in body:
            raise ValueError("a processing instruction cannot contain '?>'")
        self._out.write(f"{self._indent()}<?{target} {xml_safe(body)}?>\n")

    @property
    def depth(self) -> int:
        """How many elements are open."""
        return len(self._open)
