"""A cheap guess of a transcript's language (nb or en) from common function words."""

from __future__ import annotations

import re
from collections import Counter

_NB = """og jeg det er ikke på som en til med har av for så var de meg hun han vi men bare
liksom altså hva når skulle kunne ble noe jo da også"""
_EN = """and the i it is not to of that you was with have for but so they me she he we just like
what when would could be something then also"""
NORWEGIAN_FUNCTION_WORDS = tuple(_NB.split())
"""Common Bokmål function words, in a fixed order (also filler for synthetic test texts)."""
_WORDS = {"nb": frozenset(NORWEGIAN_FUNCTION_WORDS), "en": frozenset(_EN.split())}
_TOKEN = re.compile(r"[a-zæøåäöü]+")


def guess_language(text: str, default: str) -> str:
    """``nb`` or ``en`` when one clearly dominates the first 20,000 characters, else ``default``."""
    tokens = Counter(_TOKEN.findall(text[:20_000].lower()))  # counted in C, then looked up
    counts = {language: sum(tokens[word] for word in words) for language, words in _WORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    others = max(count for lang, count in counts.items() if lang != best)
    if counts[best] >= 20 and counts[best] > 2 * others:
        return best
    return default


def function_words(language: str) -> frozenset[str]:
    """The common function words of ``language`` (``nb`` or ``en``; empty for others)."""
    return _WORDS.get(language, frozenset())
