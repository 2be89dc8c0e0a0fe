"""A user's speaker-label pattern, matched in linear time: no pattern can hang an import.

coder.toml's ``[speakers]`` patterns are regular expressions a user writes. Python's ``re``
backtracks, so a pattern such as ``(a+)+b`` takes exponential time on a label of a few dozen
``a``: an import would hang. Patterns are therefore matched with RE2 (``google-re2``), whose
time is linear in the text whatever the pattern. RE2 has no backreferences or lookaround; a
pattern using them is refused with a message saying so. Its ``\\w``, ``\\d`` and ``\\s`` are
ASCII, so they are rewritten to their Unicode classes first (``\\w`` matches ``Bjørn`` as in
Python). ``backtracking_risk`` names nested repeats, which would hang other tools reading the
same patterns, so ``coder.toml`` checks can warn about them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_UNICODE_CLASSES = {
    "w": r"\p{L}\p{N}_",
    "d": r"\p{Nd}",
    "s": r" \t\n\r\f\v\x{85}\p{Z}",
}
"""Python's Unicode meaning of ``\\w``, ``\\d`` and ``\\s``, as RE2 class contents."""


class LabelPatternError(ValueError):
    """A pattern that is not a valid regular expression, or one RE2 cannot run."""


@dataclass(frozen=True, slots=True)
class LabelPattern:
    """A compiled, case-insensitive speaker-label pattern; build it with ``compile``."""

    source: str
    """The pattern as the user wrote it."""
    regex: Any
    """The compiled RE2 object (``re2._Regexp``; google-re2 ships no type hints)."""

    @classmethod
    def compile(cls, pattern: str) -> LabelPattern:
        """Compile ``pattern``; raise LabelPatternError saying what is wrong with it."""
        import re2  # type: ignore[import-untyped,unused-ignore]

        try:
            re.compile(pattern)  # Python's messages are the clearer ones for a plain typo
        except re.error as exc:
            raise LabelPatternError(f"invalid speaker pattern {pattern!r}: {exc}") from None
        options = re2.Options()
        options.case_sensitive = False
        options.log_errors = False
        try:
            return cls(pattern, re2.compile(unicode_classes(pattern), options))
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
            raise LabelPatternError(
                f"speaker label pattern {pattern!r} uses something coder's linear-time matcher "
                f"(RE2) does not run ({reason}): no backreferences or lookaround; write it "
                "without them"
            ) from None

    def fullmatch(self, text: str) -> bool:
        """Whether the pattern matches all of ``text``, ignoring case."""
        return self.regex.fullmatch(text) is not None


def unicode_classes(pattern: str) -> str:
    """``pattern`` with ``\\w``, ``\\d``, ``\\s`` (and, outside brackets, ``\\W \\D \\S``) made
    Unicode-aware for RE2; escaped backslashes and everything else are left as they are."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            index += 2
            if escaped.lower() in _UNICODE_CLASSES:
                body = _UNICODE_CLASSES[escaped.lower()]
                if in_class and escaped.islower():
                    out.append(body)
                elif not in_class:
                    out.append(f"[{'^' if escaped.isupper() else ''}{body}]")
                else:
                    out.append("\\" + escaped)  # a negated class inside brackets stays ASCII
            else:
                out.append("\\" + escaped)
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            index += 1
            # a ']' right after '[' or '[^' is a literal, not the end of the class
            if pattern.startswith("^", index):
                out.append("^")
                index += 1
            if pattern.startswith("]", index):
                out.append("]")
                index += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` could take exponential time in a backtracking engine, or None.

    Flags a repeat (``+``, ``*``, ``{n,}``) inside another repeat, as in ``(a+)+b`` or
    ``(\\w*)*``: the classic catastrophic shape.
    """
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    found = _nested_repeat(list(parsed), outer=False)
    if found:
        return (
            "a repeated group holds another repeat (as in (a+)+): a backtracking regex engine "
            "can take exponential time on it; coder matches it in linear time, but simplify "
            "it (e.g. a+ instead of (a+)+)"
        )
    return None


def _nested_repeat(items: list[Any], *, outer: bool) -> bool:
    """Whether a repeat with no upper bound sits inside another repeat in ``items``."""
    from re import _constants  # type: ignore[attr-defined]

    repeats = {_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT}
    for op, argument in items:
        if op in repeats:
            low, high, body = argument
            unbounded = high == _constants.MAXREPEAT or high > 10
            if unbounded and outer:
                return True
            if _nested_repeat(list(body), outer=outer or unbounded):
                return True
        elif op == _constants.SUBPATTERN:
            if _nested_repeat(list(argument[-1]), outer=outer):
                return True
        elif op == _constants.BRANCH:
            if any(_nested_repeat(list(branch), outer=outer) for branch in argument[1]):
                return True
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT) and _nested_repeat(
            list(argument[1]), outer=outer
        ):
            return True
    return False


def pattern_warnings(interviewer: tuple[str, ...], participant: tuple[str, ...]) -> list[str]:
    """``coder.toml`` warnings, ``speakers.<role>[i]: pattern ...: why``, for risky patterns."""
    found: list[str] = []
    for field, patterns in (("interviewer", interviewer), ("participant", participant)):
        for index, pattern in enumerate(patterns):
            why = backtracking_risk(pattern)
            if why is not None:
                found.append(f"speakers.{field}[{index}]: pattern {pattern!r}: {why}")
    return found
