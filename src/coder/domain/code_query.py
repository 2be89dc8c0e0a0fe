"""``CodeQuery``: a boolean of codes (``A and B``, ``A not B``, ``A or B``), parsed and resolved.

The grammar, loosest first::

    query   := term (("or" | "|") term)*
    term    := factor (("and" | "&") factor | "not" factor)*      # "A not B" = A and not B
    factor  := ("not" | "!") factor | "(" query ")" | code
    code    := a code id, or a label in any of the codebook's languages, any case; several bare
               words in a row are one label ("Lav sosioøkonomisk status"); quote a label that
               holds an operator word or a bracket: "Ikke and ikke"

Operators are English words in any case, or ``& | !``. Text is NFC-normalised first, so
``ø`` typed as ``o`` + combining stroke still finds Bokmål labels. A group heading
(``codable: false``) stands for every code under it. Unknown codes, labels shared by two codes,
dangling operators and unbalanced brackets raise ``CodeQueryError`` saying where.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from coder.domain.codebook import Codebook
from coder.errors import CoderError

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"|\'([^\']*)\'|(&&?|\|\|?|!)|([^\s()"\'&|!]+))')
_WORDS = {"and": "and", "or": "or", "not": "not", "&": "and", "&&": "and", "|": "or"}
_WORDS |= {"||": "or", "!": "not"}


class CodeQueryError(CoderError):
    """A code query that cannot be read or names an unknown code."""


@dataclass(frozen=True, slots=True)
class Has:
    """Coded with any of ``codes`` (one code, or a group heading's codes)."""

    term: str
    """What was typed."""
    codes: frozenset[str]
    """The code ids it stands for."""

    def matches(self, present: Collection[str]) -> bool:
        """Whether a unit with codes ``present`` is coded with it."""
        return any(code in present for code in self.codes)


@dataclass(frozen=True, slots=True)
class Not:
    """Not coded with ``inner``."""

    inner: Node
    """The negated query."""

    def matches(self, present: Collection[str]) -> bool:
        """Whether ``inner`` does not match."""
        return not self.inner.matches(present)


@dataclass(frozen=True, slots=True)
class All:
    """Every part matches (``and``)."""

    parts: tuple[Node, ...]
    """The conjuncts."""

    def matches(self, present: Collection[str]) -> bool:
        """Whether every part matches."""
        return all(part.matches(present) for part in self.parts)


@dataclass(frozen=True, slots=True)
class Any_:
    """Some part matches (``or``)."""

    parts: tuple[Node, ...]
    """The disjuncts."""

    def matches(self, present: Collection[str]) -> bool:
        """Whether some part matches."""
        return any(part.matches(present) for part in self.parts)


Node = Has | Not | All | Any_


@dataclass(frozen=True, slots=True)
class CodeQuery:
    """A parsed query: its text, its tree and the codes it names."""

    text: str
    """The query as typed (NFC)."""
    root: Node
    """The expression tree."""

    @property
    def codes(self) -> frozenset[str]:
        """Every code id the query names (group headings expanded)."""

        def visit(node: Node) -> frozenset[str]:
            if isinstance(node, Has):
                return node.codes
            if isinstance(node, Not):
                return visit(node.inner)
            return frozenset().union(*(visit(part) for part in node.parts))

        return visit(self.root)

    @property
    def positive(self) -> frozenset[str]:
        """Codes named outside any ``not``: those a matching segment is shown coded with."""

        def visit(node: Node) -> frozenset[str]:
            if isinstance(node, Has):
                return node.codes
            if isinstance(node, Not):
                return frozenset()
            return frozenset().union(*(visit(part) for part in node.parts))

        return visit(self.root)

    def matches(self, present: Collection[str]) -> bool:
        """Whether a unit coded with ``present`` matches."""
        return self.root.matches(present)

    @classmethod
    def parse(cls, text: str, codebook: Codebook) -> CodeQuery:
        """Parse ``text`` against ``codebook``; ``CodeQueryError`` says what is wrong and where."""
        from coder.domain.code_query_parser import Parser

        normal = unicodedata.normalize("NFC", text).strip()
        if not normal:
            raise CodeQueryError("empty code query: name a code, e.g. risk.ses or 'A and not B'")
        return cls(normal, Parser(tokens(normal), codebook, normal).query())


@dataclass(frozen=True, slots=True)
class Token:
    """One token: an operator, a bracket or a word/quoted label, with its offset."""

    kind: str
    """``and``, ``or``, ``not``, ``(``, ``)``, ``word`` or ``quoted``."""
    text: str
    """The text (without quotes)."""
    at: int
    """Offset in the query, for messages."""


def tokens(text: str) -> list[Token]:
    """Split a query into tokens; an unclosed quote is an error."""
    found: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip():
                quote = text[position:].lstrip()[0]
                at = len(text) - len(text[position:].lstrip()) + 1
                raise CodeQueryError(f"unclosed {quote} at character {at} of {text!r}")
            break
        opening, closing, double, single, symbol, word = match.groups()
        at = match.start(match.lastindex or 0) + 1
        if opening:
            found.append(Token("(", "(", at))
        elif closing:
            found.append(Token(")", ")", at))
        elif double is not None or single is not None:
            found.append(Token("quoted", (double if double is not None else single) or "", at))
        elif symbol:
            found.append(Token(_WORDS[symbol], symbol, at))
        elif word.casefold() in ("and", "or", "not"):
            found.append(Token(word.casefold(), word, at))
        else:
            found.append(Token("word", word, at))
        position = match.end()
    return found


def resolve_code(term: str, codebook: Codebook) -> Has:
    """The code(s) a term names: an id, else a label in any language (any case)."""
    wanted = unicodedata.normalize("NFC", term).strip()
    if codebook.has_code(wanted):
        return _has(wanted, wanted, codebook)
    folded = wanted.casefold()
    by_id = [code.id for code in codebook.codes if code.id.casefold() == folded]
    by_label = by_id or sorted(
        {
            code.id
            for code in codebook.codes
            if any(label.casefold() == folded for label in code.label.values())
        }
    )
    if len(by_label) == 1:
        return _has(wanted, by_label[0], codebook)
    if len(by_label) > 1:
        raise CodeQueryError(f"{wanted!r} is the label of {', '.join(by_label)}: use the id")
    names = [code.id for code in codebook.codes]
    names += [label for code in codebook.codes for label in code.label.values()]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(name) for name in close)}?" if close else ""
    raise CodeQueryError(
        f"unknown code {wanted!r}: neither a code id nor a label of the codebook{hint}"
    )


def _has(term: str, code_id: str, codebook: Codebook) -> Has:
    code = codebook.code(code_id)
    if code.codable:
        return Has(term, frozenset({code_id}))
    below: set[str] = set()
    stack = [code_id]
    while stack:
        for child in codebook.children(stack.pop()):
            below.add(child.id)
            stack.append(child.id)
    codable = frozenset(c for c in below if codebook.code(c).codable)
    if not codable:
        raise CodeQueryError(f"{term!r} is a group heading with no codes under it")
    return Has(term, codable)
