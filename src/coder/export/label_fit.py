"""``fit_labels``: variable labels shortened to a format's limit, the code's own name kept.

A code column's label is its path in the codebook (``Antall: Frakoblingsprosessen > Relasjonelle
forhold``). Cutting such a label at the end, as Stata's 80 characters force, loses exactly the
part that says which code it is, and two codes with the same ancestors come out alike. Here the
path is cut instead: the last part (the code's own name) stays whole, the beginning (which holds
a prefix such as ``Antall:`` and the top group) is kept as far as room allows, and ``…`` marks
what was left out. Labels that were different stay different: a label that would repeat an
earlier one is cut in the middle of its path instead (keeping the end of the parent's name,
where like-named groups often differ), and numbered only if it still repeats one.
"""

from __future__ import annotations

from collections.abc import Sequence

PATH_SEPARATOR = " > "
"""How ``Codebook.path`` joins labels."""
ELLIPSIS = "…"
"""Marks text left out of a label."""


def _size(text: str, bytes_: bool) -> int:
    return len(text.encode("utf-8")) if bytes_ else len(text)


def _head(text: str, room: int, bytes_: bool) -> str:
    """The longest start of ``text`` of at most ``room`` (characters, or UTF-8 bytes)."""
    if room <= 0:
        return ""
    cut = text[:room]
    while cut and _size(cut, bytes_) > room:
        cut = cut[:-1]
    return cut


def _tail(text: str, room: int, bytes_: bool) -> str:
    """The longest end of ``text`` of at most ``room`` (characters, or UTF-8 bytes)."""
    return _head(text[::-1], room, bytes_)[::-1]


def fit_label(label: str, limit: int, *, bytes_: bool = False, middle: bool = False) -> str:
    """``label`` in at most ``limit`` characters (UTF-8 bytes when ``bytes_``), own name kept.

    The path before the name keeps its start (``middle``: its start and its end).
    """
    if _size(label, bytes_) <= limit:
        return label
    head, separator, own = label.rpartition(PATH_SEPARATOR)
    ellipsis = _size(ELLIPSIS, bytes_)
    joint = ELLIPSIS + separator
    room = limit - _size(own, bytes_) - _size(joint, bytes_)
    if separator and room >= 1:
        if middle and room >= 2:
            start = _head(head, room - room // 2, bytes_).rstrip()
            end = _tail(head, room - _size(start, bytes_), bytes_)
            return start + ELLIPSIS + end + separator + own
        return _head(head, room, bytes_).rstrip() + joint + own
    # No path, or the own name alone is too long: keep the name's start.
    text = own if separator else label
    return _head(text, limit - ellipsis, bytes_).rstrip() + ELLIPSIS


def fit_labels(labels: Sequence[str], limit: int, *, bytes_: bool = False) -> list[str]:
    """Each label fitted to ``limit``; a fitted label that repeats an earlier one (whose original
    was different) is cut in the middle instead, else numbered (`` (2)``, `` (3)``)."""
    fitted: list[str] = []
    taken: dict[str, str] = {}  # fitted label -> the original it stands for
    for label in labels:
        candidate = fit_label(label, limit, bytes_=bytes_)
        if candidate in taken and taken[candidate] != label:
            candidate = fit_label(label, limit, bytes_=bytes_, middle=True)
        number = 2
        while candidate in taken and taken[candidate] != label:
            tag = f" ({number})"
            short = fit_label(label, limit - _size(tag, bytes_), bytes_=bytes_, middle=True)
            candidate = short + tag
            number += 1
        taken.setdefault(candidate, label)
        fitted.append(candidate)
    return fitted
