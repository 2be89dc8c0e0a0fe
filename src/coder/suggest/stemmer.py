"""``Stemmer``: Snowball stems (via ``snowballstemmer``) with a light Norwegian derivation step.

Snowball's Norwegian stemmer strips inflections (``mobbingen`` -> ``mobbing``, ``ensomheten`` ->
``ensom``) but keeps the verbal noun apart from the verb (``mobbing`` vs ``mobbet`` -> ``mobb``).
Coders want one indicator to meet all of them, so for Norwegian (``nb``, ``nn``, ``no``) the
stem then loses a final ``-ing`` (when at least three letters remain) and a doubled final
consonant: ``mobbing``, ``mobbingen``, ``mobbet``, ``mobbe`` all become ``mob``; ``ensomme``
becomes ``ensom``. Other languages use Snowball as it is.
"""

from __future__ import annotations

from typing import Any

SNOWBALL_LANGUAGES: dict[str, str] = {
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "en": "english",
    "da": "danish",
    "sv": "swedish",
    "de": "german",
    "nl": "dutch",
    "fi": "finnish",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
}
"""ISO 639-1 code -> Snowball algorithm name for the languages coder stems."""

NORWEGIAN = frozenset({"nb", "nn", "no"})
_VOWELS = frozenset("aeiouyæøå")
_CACHE_LIMIT = 200_000


class Stemmer:
    """Maps a lower-cased word to its stem; one per pipeline, with its own cache."""

    __slots__ = ("language", "algorithm", "_snowball", "_cache")

    def __init__(self, language: str) -> None:
        import snowballstemmer

        self.language = language
        """ISO code the stemmer was made for."""
        self.algorithm: str | None = SNOWBALL_LANGUAGES.get(language)
        """Snowball algorithm, or None when the language has none (words are lower-cased only)."""
        self._snowball: Any = (
            snowballstemmer.stemmer(self.algorithm) if self.algorithm is not None else None
        )
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of ``word`` (lower-cased first); non-alphabetic words come back lower-cased."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lowered = word.lower()
        if self._snowball is None or not lowered.isalpha():
            result = lowered
        else:
            result = self._snowball.stemWord(lowered)
            if self.language in NORWEGIAN:
                result = _norwegian_derivation(result)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[word] = result
        return result


def _norwegian_derivation(stem: str) -> str:
    """Drop a verbal-noun ``-ing`` and undouble a final consonant (see the module docstring)."""
    if stem.endswith("ing") and len(stem) >= 6 and any(ch in _VOWELS for ch in stem[:-3]):
        stem = stem[:-3]
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]
    return stem
