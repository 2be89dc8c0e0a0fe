"""Turning a text file's bytes into normalised text: encoding detection and normalisation.

Detection order: a byte-order mark (UTF-32, UTF-8, UTF-16); UTF-16 without a BOM when NUL bytes
sit at alternating positions; strict UTF-8; then Windows-1252 (what Norwegian Windows editors
write), with Latin-1 only for the five bytes Windows-1252 leaves undefined. Files that look
binary, or that are UTF-8 apart from a few broken bytes, are refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from coder.errors import ImportFailedError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
"""(BOM, codec for the bytes after it, encoding name reported)."""

_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
"""Bytes that Windows-1252 does not define; they decode as Latin-1 (C1 controls)."""

_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
"""Control characters (category Cc) other than tab, line ends, form feed and DOS end of file."""

_MAX_CONTROL_SHARE = 0.05
"""Above this share of other control characters a file is taken for binary."""


def normalise(text: str) -> str:
    """Return ``text`` in NFC with ``\\n`` line ends and without leading byte-order marks."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, *, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``.

    The text is decoded only, not normalised. ``name`` (the file path) is used in error
    messages. Raises ImportFailedError for binary-looking or undecodable data.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec, name=name, label=label, skip=len(bom))
            return _checked(text, name), label
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise _binary(name)
        return _checked(_strict(data, utf16, name=name, label=utf16), name), utf16
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_broken_utf8(data, exc, name)
    return _checked(_decode_cp1252(data), name), "cp1252"


def _strict(data: bytes, codec: str, *, name: str, label: str, skip: int = 0) -> str:
    """Decode strictly, turning a decoding error into ImportFailedError with the byte offset."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        raise ImportFailedError(
            f"{name}: cannot decode the file as {label}: invalid byte 0x{data[exc.start]:02X} "
            f"at byte offset {offset} ({exc.reason})"
        ) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """Return ``utf-16-le`` or ``utf-16-be`` when the NUL pattern says so, else None."""
    pairs = len(data) // 2
    if pairs == 0 or len(data) % 2:
        return None
    zeros_even = data[0::2].count(0)
    zeros_odd = data[1::2].count(0)
    if zeros_odd >= 0.5 * pairs and zeros_even <= 0.1 * pairs:
        return "utf-16-le"
    if zeros_even >= 0.5 * pairs and zeros_odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def _refuse_broken_utf8(data: bytes, exc: UnicodeDecodeError, name: str) -> None:
    """Refuse data that is UTF-8 apart from a few bytes, rather than mis-decode all of it.

    Counts valid multi-byte UTF-8 characters against stray non-ASCII bytes; when the valid
    ones are the majority the file is UTF-8 with damage, and decoding it as Windows-1252
    would garble every æ, ø and å in it.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for ch in escaped if 0xDC80 <= ord(ch) <= 0xDCFF)
    valid = sum(1 for ch in escaped if ord(ch) > 0x7F) - stray
    if valid > stray:
        raise ImportFailedError(
            f"{name}: the file is UTF-8 except for invalid byte "
            f"0x{data[exc.start]:02X} at byte offset {exc.start} ({stray} bad byte"
            f"{'s' if stray != 1 else ''} in all); fix or re-save the file as UTF-8"
        ) from exc


def _decode_cp1252(data: bytes) -> str:
    """Decode as Windows-1252, taking the bytes it leaves undefined as Latin-1."""
    table = {
        b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in _CP1252_UNDEFINED
    }
    return data.decode("latin-1").translate(table)


def _checked(text: str, name: str) -> str:
    """Return ``text`` unless it looks like binary data (NULs, many control characters)."""
    if "\x00" in text:
        raise _binary(name)
    if text and len(_CONTROL.findall(text)) / len(text) > _MAX_CONTROL_SHARE:
        raise _binary(name)
    return text


def _binary(name: str) -> ImportFailedError:
    """The error for a file that is not text."""
    return ImportFailedError(f"{name}: looks like a binary file, not a transcript")
