"""``office_problem``: why a .docx or .odt cannot be read, in plain words.

The readers (zipfile, zlib, python-docx, lxml, defusedxml, ElementTree) each raise their own
exceptions; a user should read what is wrong with the file and what to do about it, never the
name of the exception.
"""

from __future__ import annotations

import re
import zipfile
import zlib

_RESAVE = "open it in the word processor and save it again, then import that copy"
"""The cure for most damaged documents."""
_QUOTED = re.compile(r"'([^']+)'")
"""The first single-quoted name in a library's message (a zip member, a content type)."""


def office_problem(exc: BaseException, kind: str) -> str:
    """A sentence saying why a ``kind`` (``Word .docx``, ``OpenDocument .odt``) file failed."""
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    message = str(exc)
    if isinstance(exc, EntitiesForbidden):
        return (
            f"the {kind} file's XML declares entities (<!ENTITY ...>), which word processors do "
            "not write and which are used to attack XML readers, so coder does not read it; "
            + _RESAVE
        )
    if isinstance(exc, (ExternalReferenceForbidden, DTDForbidden)):
        return (
            f"the {kind} file's XML refers to outside files or addresses (a DTD or external "
            "entity), which word processors do not write, so coder does not read it; " + _RESAVE
        )
    if isinstance(exc, RecursionError):
        return (
            f"the {kind} file's XML nests elements thousands of levels deep, which no word "
            "processor writes; " + _RESAVE
        )
    if isinstance(exc, zlib.error) or (
        isinstance(exc, zipfile.BadZipFile) and ("CRC" in message or "Bad magic" in message)
    ):
        return (
            f"the {kind} file is damaged: a part of its zip archive is corrupt (a broken "
            "download or copy?); copy it again or " + _RESAVE
        )
    if isinstance(exc, zipfile.BadZipFile) or type(exc).__name__ == "PackageNotFoundError":
        return (
            f"this is not a {kind} file: it is not a zip archive, which every {kind} file is "
            "(was it renamed from another format, or is the download incomplete?)"
        )
    if isinstance(exc, KeyError):
        quoted = _QUOTED.search(message)
        part = quoted.group(1) if quoted else "its main part"
        return f"the zip archive has no {part}, so it is not a {kind} document"
    if isinstance(exc, RuntimeError) and "encrypt" in message.lower():
        return f"the {kind} file is protected with a password; save an unprotected copy"
    if isinstance(exc, ValueError) and "content type" in message:
        types = _QUOTED.findall(message)
        holds = f" (it holds {types[-1]})" if types else ""
        return f"this zip archive is not a {kind} document{holds}"
    position = getattr(exc, "position", None)
    if isinstance(position, tuple) and len(position) == 2:
        line, column = position
        return (
            f"the {kind} file's XML is damaged: it breaks off or has an invalid character at "
            f"line {line}, column {column} of its content; " + _RESAVE
        )
    detail = message.strip().splitlines()[0][:200] if message.strip() else "no detail given"
    return f"the {kind} file is damaged or not a {kind} file ({detail}); " + _RESAVE
