"""Names from other tools made fit for coder: ids, coder names, transcript and case ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l"})
_NOT_ID = re.compile(r"[^a-z0-9]+")
_NOT_NAME = re.compile(r"[^\w .@'-]+")
_DOCUMENT_SUFFIX = re.compile(
    r"\.(txt|text|md|rtf|docx?|odt|pdf|html?|vtt|srt)$", flags=re.IGNORECASE
)
ID_LIMIT = 100
"""Longest code or attribute id the codebook allows."""


def slug(text: str, fallback: str) -> str:
    """``text`` as a lowercase ``[a-z0-9_]`` id (``Lav sosioøkonomisk status`` ->
    ``lav_sosiookonomisk_status``); ``fallback`` when nothing is left."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    return _NOT_ID.sub("_", ascii_text).strip("_")[:ID_LIMIT] or fallback


def unique(base: str, taken: Container[str], limit: int = ID_LIMIT) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not taken (kept within ``limit``)."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = base[: limit - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def coder_name(name: str, fallback: str) -> str:
    """A user's name as a valid coder name (letters, digits, space, ``. @ ' -``; 64 at most)."""
    cleaned = " ".join(_NOT_NAME.sub(" ", name).split()).lstrip(" .@'-")
    return cleaned[:64].rstrip() or fallback


def plain_id(name: str, fallback: str, *, strip_suffix: bool = False) -> str:
    """A transcript or case id: no slashes or control characters (nor a document suffix)."""
    cleaned = _DOCUMENT_SUFFIX.sub("", name.strip()) if strip_suffix else name.strip()
    cleaned = "".join("_" if ch in "/\\" or not ch.isprintable() else ch for ch in cleaned)
    return cleaned.strip()[:100] or fallback
