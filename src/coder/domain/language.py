"""Languages: which ones spaCy can tokenise, and a cheap guess of a transcript's (nb or en).

``tokenizer_languages`` lists the language packages of the installed spaCy by looking at its
``spacy/lang`` folder, without importing spaCy (settings are validated before anything heavy
loads); ``check_language`` is the rule coder.toml's ``language`` follows.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import NoReturn

_NB = """og jeg det er ikke på som en til med har av for så var de meg hun han vi men bare
liksom altså hva når skulle kunne ble noe jo da også"""
_EN = """and the i it is not to of that you was with have for but so they me she he we just like
what when would could be something then also"""
NORWEGIAN_FUNCTION_WORDS = tuple(_NB.split())
"""Common Bokmål function words, in a fixed order (also filler for synthetic test texts)."""
_WORDS = {"nb": frozenset(NORWEGIAN_FUNCTION_WORDS), "en": frozenset(_EN.split())}
_TOKEN = re.compile(r"[a-zæøåäöü]+")
_CODE = re.compile(r"^[a-z]{2,3}$")

ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "dk": "da", "se": "sv", "ger": "de", "eng": "en"}
"""Codes people write for a language spaCy knows under another code (for "did you mean")."""


@cache
def tokenizer_languages() -> frozenset[str]:
    """ISO codes of the languages the installed spaCy has a tokenizer for (``spacy/lang/*``)."""
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    found: set[str] = set()
    for location in spec.submodule_search_locations:
        folder = Path(location) / "lang"
        if folder.is_dir():
            found.update(
                entry.name
                for entry in folder.iterdir()
                if _CODE.match(entry.name) and (entry / "__init__.py").is_file()
            )
    return frozenset(found)


def check_language(value: str) -> str:
    """``value`` if spaCy has a tokenizer for it; else ``ValueError`` saying what to write."""
    known = tokenizer_languages()
    if value in known:
        return value
    if not known:
        raise ValueError(f"language {value!r} cannot be checked: spaCy is not installed")
    hint = ALIASES.get(value.strip().lower())
    if hint is None and value.strip().lower() in known:
        hint = value.strip().lower()
    if hint is None:
        close = difflib.get_close_matches(value.lower(), sorted(known), n=1)
        hint = close[0] if close else None
    some = ", ".join(code for code in ("nb", "nn", "da", "sv", "de", "en") if code in known)
    _refuse(value, hint, some, len(known))


def _refuse(value: str, hint: str | None, some: str, count: int) -> NoReturn:
    message = (
        f"language {value!r} is not a language spaCy has a tokenizer for "
        f"(an ISO 639 code in lower case, e.g. {some}; {count} are installed)"
    )
    if hint is not None:
        message += f"; did you mean {hint!r}?"
    raise ValueError(message)


def guess_language(text: str, default: str) -> str:
    """``nb`` or ``en`` when one clearly dominates the first 20,000 characters, else ``default``.

    For a ``default`` without a word list (``da``, ``nn``, ``sv``: close kin of Bokmål), only
    English can win: Danish or Nynorsk text is full of Bokmål function words and would be
    taken for Bokmål.
    """
    tokens = Counter(_TOKEN.findall(text[:20_000].lower()))  # counted in C, then looked up
    counts = {language: sum(tokens[word] for word in words) for language, words in _WORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    if default not in _WORDS and best != "en":
        return default
    others = max(count for lang, count in counts.items() if lang != best)
    if counts[best] >= 20 and counts[best] > 2 * others:
        return best
    return default


def function_words(language: str) -> frozenset[str]:
    """The common function words of ``language`` (``nb`` or ``en``; empty for others)."""
    return _WORDS.get(language, frozenset())
