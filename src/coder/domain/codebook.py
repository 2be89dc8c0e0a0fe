"""The codebook: a tree of codes and the case attributes coders rate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

AttributeKind = Literal["nominal", "ordinal", "interval", "text"]


def _pick(labels: Mapping[str, str], language: str, fallback: str) -> str:
    if language in labels:
        return labels[language]
    return next(iter(labels.values()), fallback)


PROSE_FIELDS = ("description", "use_when", "dont_use_when")
"""A code's prose fields, each a plain string or one text per language in the YAML."""


@dataclass(frozen=True, slots=True)
class Example:
    """A published example quote for a code."""

    quote: str
    """The quote, verbatim."""
    source: str
    """Where it was published, e.g. ``Olsen et al. (2009)``."""


@dataclass(frozen=True, slots=True)
class Code:
    """One code of the tree; ``id`` is stable and never reused."""

    id: str
    """Stable identifier, lowercase ``[a-z0-9_.-]``."""
    label: Mapping[str, str]
    """Label per language code (``nb``, ``en``)."""
    parent: str | None = None
    """Id of the parent code, ``None`` for a root."""
    codable: bool = True
    """False for a group heading that cannot be applied."""
    description: str = ""
    """What the code means."""
    use_when: str = ""
    """When to apply it."""
    dont_use_when: str = ""
    """Near misses, and which code to use instead."""
    examples: tuple[Example, ...] = ()
    """Published example quotes."""
    indicators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Indicator phrases per language, matched on word stems."""
    patterns: tuple[object, ...] = ()
    """Optional spaCy Matcher token patterns (lists of token dicts)."""
    color: str | None = None
    """Display colour as ``#rrggbb``."""
    hotkey: str | None = None
    """One-character key that toggles the code."""
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per prose field (``PROSE_FIELDS``) written per language: language -> text. The plain
    fields above hold the codebook's first language (or the one plain string)."""
    retired: bool = False
    """Hidden from coding and suggestions, kept (with its codings) for history."""
    merged_into: str | None = None
    """The code this one was merged into (its codings moved there); implies ``retired``."""
    split_into: tuple[str, ...] = ()
    """The codes this one was split into (its codings moved to them); implies ``retired``."""

    @property
    def active(self) -> bool:
        """Whether a coder may apply it now: codable and not retired."""
        return self.codable and not self.retired

    def label_in(self, language: str) -> str:
        """The label in ``language``, falling back to the first label there is."""
        return _pick(self.label, language, self.id)

    def text_in(self, name: str, language: str) -> str:
        """A prose field (``description``, ``use_when``, ``dont_use_when``) in ``language``,
        else the plain (default-language) text."""
        per_language = self.texts.get(name)
        if per_language and language in per_language:
            return per_language[language]
        return str(getattr(self, name))


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a nominal or ordinal attribute, in codebook order."""

    id: str
    """Stable identifier, e.g. ``steady``."""
    label: Mapping[str, str]
    """Label per language."""
    definition: str = ""
    """What a coder looks for to choose this level (the codebook's first language)."""
    definitions: Mapping[str, str] = field(default_factory=dict)
    """The definition per language, when the YAML gives one per language."""

    def label_in(self, language: str) -> str:
        """The label in ``language``, falling back to the first label there is."""
        return _pick(self.label, language, self.id)

    def definition_in(self, language: str) -> str:
        """The definition in ``language``, else the default-language one."""
        return self.definitions.get(language, self.definition)


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """A case-level variable such as ``relational_robustness``."""

    id: str
    """Stable identifier."""
    label: Mapping[str, str]
    """Label per language."""
    kind: AttributeKind
    """nominal, ordinal, interval or text."""
    levels: tuple[Level, ...] = ()
    """Ordered levels (nominal and ordinal only)."""
    description: str = ""
    """What the attribute records (the codebook's first language)."""
    descriptions: Mapping[str, str] = field(default_factory=dict)
    """The description per language, when the YAML gives one per language."""

    def description_in(self, language: str) -> str:
        """The description in ``language``, else the default-language one."""
        return self.descriptions.get(language, self.description)

    def label_in(self, language: str) -> str:
        """The label in ``language``, falling back to the first label there is."""
        return _pick(self.label, language, self.id)

    def level(self, level_id: str) -> Level | None:
        """The level with this id, if any."""
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def rank(self, level_id: str) -> int | None:
        """1-based position of a level (ordinal value), if it exists."""
        for index, lv in enumerate(self.levels, start=1):
            if lv.id == level_id:
                return index
        return None


@dataclass(frozen=True, slots=True)
class Codebook:
    """A validated codebook: codes in tree order and case attributes."""

    name: str
    """Human name of the codebook."""
    version: str
    """Version string, recorded with models and exports."""
    languages: tuple[str, ...]
    """Label languages; the first is the default."""
    codes: tuple[Code, ...]
    """All codes, parents before children, in file order within siblings."""
    attributes: tuple[AttributeSpec, ...] = ()
    """Case attributes."""
    source: str = ""
    """The file it was loaded from, if any."""

    @property
    def language(self) -> str:
        """The default label language."""
        return self.languages[0] if self.languages else "en"

    def label_language(self, language: str) -> str:
        """The language labels are shown in for a project in ``language``: that one where the
        codebook has labels in it, else the codebook's first (a ``da`` project on an nb/en
        codebook shows Bokmål labels)."""
        return language if language in self.languages else self.language

    def code(self, code_id: str) -> Code:
        """The code with this id; raises KeyError when unknown."""
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def has_code(self, code_id: str) -> bool:
        """Whether a code with this id exists."""
        return any(code.id == code_id for code in self.codes)

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """Direct children of a code, or the roots for ``None``."""
        return tuple(code for code in self.codes if code.parent == code_id)

    def walk(self) -> Iterator[tuple[int, Code]]:
        """Depth-first (depth, code) pairs in tree order."""

        def visit(parent: str | None, depth: int) -> Iterator[tuple[int, Code]]:
            for child in self.children(parent):
                yield depth, child
                yield from visit(child.id, depth + 1)

        yield from visit(None, 0)

    def path(self, code_id: str, language: str | None = None) -> str:
        """Labels from the root down to the code, joined by `` > ``."""
        lang = language or self.language
        parts: list[str] = []
        current: str | None = code_id
        while current is not None:
            code = self.code(current)
            parts.append(code.label_in(lang))
            current = code.parent
        return " > ".join(reversed(parts))

    @property
    def codable_codes(self) -> tuple[Code, ...]:
        """Codes that can be applied, in tree order."""
        return tuple(code for _, code in self.walk() if code.codable)

    @property
    def active_codes(self) -> tuple[Code, ...]:
        """Codes a coder may apply now (codable, not retired), in tree order."""
        return tuple(code for _, code in self.walk() if code.active)

    def by_hotkey(self, key: str) -> Code | None:
        """The active code bound to a hotkey, if any."""
        return next((code for code in self.codes if code.hotkey == key and code.active), None)

    def attribute(self, attribute_id: str) -> AttributeSpec:
        """The attribute with this id; raises KeyError when unknown."""
        for spec in self.attributes:
            if spec.id == attribute_id:
                return spec
        raise KeyError(attribute_id)
