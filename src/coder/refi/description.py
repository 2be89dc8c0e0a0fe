"""Descriptions in REFI-QDA files: text for people, and coder's own data kept out of sight.

REFI-QDA has no place for a code's stable id, its labels in other languages, indicator phrases
or hotkeys, nor for a variable's levels. coder writes them as one processing instruction after
the root element, ``<?coder-data {json}?>``, keyed by the elements' GUIDs (``RoundTrip``): XML
readers skip it, so other tools neither show it nor trip over it, and the file still validates
against the REFI-QDA schemas (which have no extension points for elements or attributes). On
import the data is put back where older coder versions wrote it, as the last line of each
element's ``<Description>`` (``coder-data: {json}``), which coder still reads, so old exports
import as before. The text above that line stays what people read and edit: a code's
description, "Use when", "Don't use when" and its examples, which import reads back from the
text (edits made elsewhere win).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from coder.domain.codebook import Code, Example
from coder.refi.document import RefiCode, RefiDocument

DATA_PREFIX = "coder-data: "
"""Start of the data line at the end of a description (older coder versions' only place)."""
INSTRUCTION = "coder-data"
"""Target of the processing instruction that holds coder's data."""
PROJECT_KEY = "project"
"""Key of the project's own data in the instruction."""
_INSTRUCTION_AT_END = re.compile(rb"<\?coder-data\s(?P<body>.*?)\?>\s*\Z", re.DOTALL)
"""The instruction as the last thing in a file (after the root element)."""
USE_WHEN = "Use when: "
"""Heading of the paragraph holding a code's ``use_when``."""
DONT_USE_WHEN = "Don't use when: "
"""Heading of the paragraph holding a code's ``dont_use_when``."""
EXAMPLES = "Examples:"
"""Heading of a code's example list (one ``- "quote" — source`` line each)."""
SOURCE_SEPARATOR = " — "
"""Between an example's quote and its source."""


@dataclass(frozen=True, slots=True)
class DescriptionText:
    """A REFI ``<Description>``: text for people and, optionally, data for coder."""

    text: str
    """What people read."""
    data: dict[str, Any] | None = None
    """coder's data, from the ``coder-data:`` line; None when there is none (or it is broken)."""

    def render(self) -> str:
        """The description as written to the file."""
        if not self.data:
            return self.text
        line = DATA_PREFIX + json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"{self.text}\n\n{line}" if self.text else line

    @classmethod
    def parse(cls, raw: str | None) -> DescriptionText:
        """Split a description read from a file into its text and its data line."""
        text = (raw or "").replace("\r\n", "\n").strip()
        head, _, last = text.rpartition("\n")
        if not last.startswith(DATA_PREFIX):
            return cls(text)
        try:
            data = json.loads(last[len(DATA_PREFIX) :])
        except ValueError:
            return cls(text)
        if not isinstance(data, dict):
            return cls(text)
        return cls(head.strip(), data)


def code_text(code: Code, language: str | None = None) -> str:
    """The people's part of a code's description: definition, when (not) to use, examples,
    in ``language`` where the codebook has the prose in it (else its default language)."""
    lang = language or ""
    description, use_when, dont_use_when = (
        code.text_in(name, lang) for name in ("description", "use_when", "dont_use_when")
    )
    parts = [description] if description else []
    if use_when:
        parts.append(USE_WHEN + use_when)
    if dont_use_when:
        parts.append(DONT_USE_WHEN + dont_use_when)
    if code.examples:
        lines = [f'- "{ex.quote}"{SOURCE_SEPARATOR}{ex.source}' for ex in code.examples]
        parts.append("\n".join([EXAMPLES, *lines]))
    return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class CodeSections:
    """A code's description text split back into the codebook's fields."""

    description: str = ""
    """What the code means."""
    use_when: str = ""
    """When to apply it."""
    dont_use_when: str = ""
    """When not to."""
    examples: tuple[Example, ...] = ()
    """Example quotes with their source."""

    @classmethod
    def parse(cls, text: str) -> CodeSections:
        """Read the sections ``code_text`` writes; text without headings is the description."""
        sections: dict[str, list[str]] = {"description": [], "use": [], "dont": [], "ex": []}
        current = "description"
        for paragraph in text.split("\n\n"):
            if paragraph.startswith(USE_WHEN):
                current, paragraph = "use", paragraph[len(USE_WHEN) :]
            elif paragraph.startswith(DONT_USE_WHEN):
                current, paragraph = "dont", paragraph[len(DONT_USE_WHEN) :]
            elif paragraph.startswith(EXAMPLES + "\n") or paragraph == EXAMPLES:
                current, paragraph = "ex", paragraph[len(EXAMPLES) :].lstrip("\n")
            sections[current].append(paragraph)
        return cls(
            description="\n\n".join(sections["description"]).strip(),
            use_when="\n\n".join(sections["use"]).strip(),
            dont_use_when="\n\n".join(sections["dont"]).strip(),
            examples=_examples("\n\n".join(sections["ex"])),
        )


def _examples(text: str) -> tuple[Example, ...]:
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            items.append(line[2:])
        elif items:
            items[-1] += "\n" + line
    examples: list[Example] = []
    for item in items:
        quote, separator, source = item.rpartition(SOURCE_SEPARATOR)
        if not separator:
            quote, source = item, ""
        quote = quote.strip()
        if len(quote) >= 2 and quote.startswith('"') and quote.endswith('"'):
            quote = quote[1:-1]
        if quote.strip() and source.strip():
            examples.append(Example(quote.strip(), source.strip()))
    return tuple(examples)


@dataclass(slots=True)
class RoundTrip:
    """coder's data for the elements of one file, by GUID, written as one instruction."""

    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    """GUID (or ``PROJECT_KEY``) -> data."""

    def keep(self, guid: str, data: Mapping[str, Any] | None) -> None:
        """Remember ``data`` for the element ``guid`` (nothing when it is empty)."""
        if data:
            self.elements[guid] = dict(data)

    def instruction(self) -> str:
        """The body of ``<?coder-data ...?>``: ASCII JSON in which ``?>`` cannot occur."""
        body = json.dumps(
            {"format": 2, "elements": self.elements}, ensure_ascii=True, separators=(",", ":")
        )
        return body.replace(">", "\\u003e")

    @classmethod
    def read(cls, xml: bytes) -> RoundTrip:
        """The data of a file coder wrote; empty for any other file (or a broken instruction)."""
        found = _INSTRUCTION_AT_END.search(xml[-(64 << 20) :])
        if found is None:
            return cls()
        try:
            data = json.loads(found.group("body").decode("utf-8"))
        except ValueError:
            return cls()
        elements = data.get("elements") if isinstance(data, dict) else None
        if not isinstance(elements, dict):
            return cls()
        return cls(
            {k: v for k, v in elements.items() if isinstance(k, str) and isinstance(v, dict)}
        )

    def attach(self, document: RefiDocument) -> RefiDocument:
        """``document`` with each element's data put back into its description, as older coder
        versions wrote it, so the rest of the import reads one shape."""
        if not self.elements:
            return document

        def described(guid: str, text: str) -> str:
            data = self.elements.get(guid)
            if data is None:
                return text
            return DescriptionText(DescriptionText.parse(text).text, data).render()

        def code(item: RefiCode) -> RefiCode:
            return replace(
                item,
                description=described(item.guid, item.description),
                children=tuple(code(child) for child in item.children),
            )

        return replace(
            document,
            description=described(PROJECT_KEY, document.description),
            codes=tuple(code(item) for item in document.codes),
            variables=tuple(
                replace(v, description=described(v.guid, v.description)) for v in document.variables
            ),
            sources=tuple(
                replace(s, description=described(s.guid, s.description)) for s in document.sources
            ),
        )
