"""Turning a text file's bytes into normalised text: encoding detection and normalisation.

Detection order: a byte-order mark (UTF-32, UTF-8, UTF-16); UTF-16 without a BOM when NUL bytes
sit at alternating positions; strict UTF-8; then Windows-1252 (what Norwegian Windows editors
write), with Latin-1 only for the five bytes Windows-1252 leaves undefined. Files that look
binary, that are UTF-8 apart from a few broken bytes, or that mix UTF-8 and Windows-1252, are
refused with the first line that does not decode as the file's encoding: never guessed silently.
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

_TELLING_UTF8 = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
"""UTF-8 sequences that Windows-1252 text hardly ever holds by chance (``Ã¦``, ``â€™``)."""

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
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise ImportFailedError(
            f"{name}:{line}: cannot decode the file as {label}: invalid byte "
            f"0x{data[exc.start]:02X} at byte offset {offset} ({exc.reason})"
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
    """Refuse data that is partly UTF-8, rather than mis-decode some of it.

    UTF-8 is taken as the file's encoding when valid multi-byte UTF-8 characters are at least
    as many as stray non-ASCII bytes; then the first line with a stray byte is named. Otherwise
    the file is Windows-1252, and any UTF-8 in it (``æ`` written as the bytes that Windows-1252
    shows as ``Ã¦``) would become mojibake: the first line holding such a character is named. Only
    characters a Windows-1252 text hardly ever produces by chance count as UTF-8: Latin-1
    letters and signs (lead bytes 0xC2 and 0xC3) and general punctuation (0xE2 0x80-0x82).
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for ch in escaped if 0xDC80 <= ord(ch) <= 0xDCFF)
    utf8 = _TELLING_UTF8.search(data)
    valid = sum(1 for ch in escaped if ord(ch) > 0x7F) - stray
    if valid >= stray:
        raise ImportFailedError(
            f"{name}:{line_of(data, exc.start)}: the file is UTF-8 but this line is not: "
            f"invalid byte 0x{data[exc.start]:02X} at byte offset {exc.start} ({stray} bad "
            f"byte{'s' if stray != 1 else ''} in all; Windows-1252 text pasted into a UTF-8 "
            "file?); fix the line or re-save the file as UTF-8"
        ) from exc
    if utf8 is not None:
        first = utf8.start()
        raise ImportFailedError(
            f"{name}:{line_of(data, first)}: the file mixes encodings: it is Windows-1252 "
            f"(invalid byte 0x{data[exc.start]:02X} for UTF-8 on line "
            f"{line_of(data, exc.start)}), but this line holds UTF-8 "
            f"({utf8.group().decode('utf-8')!r} at byte "
            f"offset {first}), which would turn into garbled letters; re-save the file "
            "in one encoding, preferably UTF-8"
        ) from exc


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in single-byte or UTF-8 data."""
    return data.count(b"\n", 0, offset) + 1


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
