"""``Parser``: recursive descent over a code query's tokens (grammar in ``code_query``)."""

from __future__ import annotations

from coder.domain.code_query import (
    All,
    Any_,
    CodeQueryError,
    Node,
    Not,
    Token,
    resolve_code,
)
from coder.domain.codebook import Codebook


class Parser:
    """Reads one query; every method consumes what it parsed."""

    def __init__(self, tokens: list[Token], codebook: Codebook, text: str) -> None:
        self.tokens = tokens
        self.codebook = codebook
        self.text = text
        self.position = 0

    def query(self) -> Node:
        """The whole query; refuses anything left over."""
        node = self._or()
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            raise CodeQueryError(self._where(f"unexpected {token.text!r}", token))
        return node

    def _peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _where(self, message: str, token: Token | None) -> str:
        place = f"at character {token.at}" if token else "at the end"
        return f"{message} {place} of {self.text!r}"

    def _or(self) -> Node:
        parts = [self._and()]
        while (token := self._peek()) is not None and token.kind == "or":
            self.position += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def _and(self) -> Node:
        parts = [self._factor()]
        while (token := self._peek()) is not None and token.kind in ("and", "not"):
            self.position += 1
            if token.kind == "not":  # "A not B": A and not B
                parts.append(Not(self._factor()))
            else:
                parts.append(self._factor())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def _factor(self) -> Node:
        token = self._peek()
        before = self.tokens[self.position - 1] if self.position else None
        if token is None:
            after = f" after {before.text!r}" if before else ""
            raise CodeQueryError(self._where(f"a code is missing{after}", None))
        if token.kind == "not":
            self.position += 1
            return Not(self._factor())
        if token.kind == "(":
            self.position += 1
            inner = self._or()
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise CodeQueryError(
                    self._where(f"'(' at character {token.at} is not closed", closing)
                )
            self.position += 1
            return inner
        if token.kind == "quoted":
            self.position += 1
            return resolve_code(token.text, self.codebook)
        if token.kind == "word":
            words = []
            while (word := self._peek()) is not None and word.kind == "word":
                words.append(word.text)
                self.position += 1
            return resolve_code(" ".join(words), self.codebook)
        what = "')' without '('" if token.kind == ")" else f"{token.text!r} where a code belongs"
        raise CodeQueryError(self._where(what, token))
