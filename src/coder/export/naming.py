"""Column naming for every export: one owner, so CLI and TUI files name columns alike.

A name is ASCII, lowercase, at most 32 characters (fewer on request, see ``label_set_room``),
starts with a letter, holds only letters, digits and underscores, does not end with an
underscore, and is not a reserved word of SPSS, Stata or R. Names are unique ignoring case (SPSS
does not tell ``A`` from ``a``). Norwegian letters are transliterated the Norwegian way
(æ -> ae, ø -> oe, å -> aa); other accents are dropped. A name that would be too long keeps its
start and gets a short hash of the whole id, so the same id is named the same in every export,
whatever else the codebook holds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

MAX_LENGTH = 32
"""Stata's limit (SPSS allows 64 bytes); R has none."""

RESERVED = frozenset(
    {
        # SPSS
        *("all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"),
        # Stata
        *("_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long"),
        *("_n", "_pi", "_pred", "_rc", "_se", "_skip", "str", "strl", "using"),
        # R
        *("else", "repeat", "while", "function", "for", "next", "break", "true", "false"),
        *("null", "inf", "nan", "na", "na_integer_", "na_real_", "na_character_", "na_complex_"),
    }
)
"""Reserved words of SPSS, Stata and R, lowercase (Stata's ``str1``..``str2045`` by pattern)."""

_TRANSLITERATION = str.maketrans(
    {
        "æ": "ae",
        "Æ": "Ae",
        "ø": "oe",
        "Ø": "Oe",
        "å": "aa",
        "Å": "Aa",
        "ä": "ae",
        "Ä": "Ae",
        "ö": "oe",
        "Ö": "Oe",
        "ü": "ue",
        "Ü": "Ue",
        "ß": "ss",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "Oe",
    }
)
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
_STATA_STR_RE = re.compile(r"str[0-9]+")
_HASH_LENGTH = 4


def transliterate(text: str) -> str:
    """ASCII for ``text``: æ -> ae, ø -> oe, å -> aa, accents dropped, others removed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))


def is_reserved(name: str) -> bool:
    """Whether ``name`` is a reserved word in SPSS, Stata or R (ignoring case)."""
    lowered = name.lower()
    return lowered in RESERVED or _STATA_STR_RE.fullmatch(lowered) is not None


def is_valid_name(name: str) -> bool:
    """Whether ``name`` is a valid variable name in SPSS, Stata and R, as exports make them."""
    return (
        0 < len(name) <= MAX_LENGTH
        and _NAME_RE.fullmatch(name) is not None
        and not name.endswith("_")
        and not is_reserved(name)
    )


def label_set_room(labelled: int) -> int:
    """Longest name for a variable with value labels when a table has ``labelled`` of them.

    pyreadstat names a .dta value-label set after its variable plus a running number, and that
    name must fit in Stata's 32 characters too.
    """
    return MAX_LENGTH - len(str(max(labelled - 1, 0)))


def _slug(raw: str, limit: int) -> str:
    """Lowercase ASCII with runs of anything else turned into one underscore."""
    text = re.sub(r"[^a-z0-9]+", "_", transliterate(raw).lower()).strip("_")
    if not text:
        return "v"
    if not text[0].isalpha():
        text = f"v_{text}"
    if is_reserved(text):
        text = f"v_{text}"
    if len(text) > limit:
        digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
        text = f"{text[: limit - _HASH_LENGTH - 1].rstrip('_')}_{digest}"
    return text


class ColumnNamer:
    """Hands out valid, unique column names in order; earlier columns keep their wish."""

    __slots__ = ("_taken",)

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = {name.lower() for name in taken}

    def name(self, raw: str, limit: int = MAX_LENGTH) -> str:
        """A valid name for ``raw`` (an id or a wished-for name), unique among those handed out.

        ``limit`` (at most 32, at least 8) caps the length.
        """
        limit = max(8, min(limit, MAX_LENGTH))
        base = _slug(raw, limit)
        candidate = base
        number = 1
        while candidate in self._taken:
            number += 1
            suffix = f"_{number}"
            candidate = base[: limit - len(suffix)].rstrip("_") + suffix
        self._taken.add(candidate)
        return candidate


def column_names(raws: Sequence[str], limits: Sequence[int] | None = None) -> list[str]:
    """Valid, unique names for ``raws`` in order: the one function every export names with.

    ``limits`` optionally caps each name's length (default 32).
    """
    namer = ColumnNamer()
    caps = list(limits) if limits is not None else [MAX_LENGTH] * len(raws)
    if len(caps) != len(raws):
        raise ValueError("column_names: one limit per name")
    return [namer.name(raw, cap) for raw, cap in zip(raws, caps, strict=True)]
