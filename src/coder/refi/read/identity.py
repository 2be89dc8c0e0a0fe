"""REFI-QDA identity: every code and every source of a file has its own GUID.

Codings, notes and cases point at codes and sources by GUID. Two codes (or sources) sharing one
would be merged silently, their codings counted under whichever came first and the summary
wrong; a file like that (damaged, or merged by hand) is refused, naming both.
"""

from __future__ import annotations

from collections.abc import Iterator

from coder.errors import CoderError
from coder.refi.document import RefiCode, RefiDocument


def _all_codes(codes: tuple[RefiCode, ...], path: str = "") -> Iterator[tuple[RefiCode, str]]:
    """Every code of the tree with its path of names (``Parent / Child``)."""
    for code in codes:
        named = f"{path} / {code.name}" if path else code.name
        yield code, named
        yield from _all_codes(code.children, named)


def check_unique(document: RefiDocument, where: str) -> None:
    """Refuse ``document`` when two codes, or two sources, share a GUID."""
    seen: dict[str, str] = {}
    for code, named in _all_codes(document.codes):
        key = code.guid.strip().lower()
        if key and key in seen:
            raise _duplicate(where, "code", seen[key], named, code.guid)
        seen.setdefault(key, named)
    sources: dict[str, str] = {}
    for source in document.sources:
        key = source.guid.strip().lower()
        if key and key in sources:
            raise _duplicate(where, "source", sources[key], source.name, source.guid)
        sources.setdefault(key, source.name)


def _duplicate(where: str, what: str, first: str, second: str, guid: str) -> CoderError:
    return CoderError(
        f"{where}: refused: {what} {first!r} and {what} {second!r} have the same GUID {guid}; "
        f"every {what} needs its own (the file is damaged, or two files were merged by hand). "
        "Give one of them a new GUID in the tool that wrote the file; nothing imported"
    )
