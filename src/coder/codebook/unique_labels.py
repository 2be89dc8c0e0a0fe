"""Codes that share a label: names that tell them apart, and the warning ``codebook check`` gives.

A codebook may give two codes one label when they sit in different branches ("Relasjonelle
forhold" under both the disconnection and the reconnection process): in coder the tree tells
them apart. Tools that know a code by its name (QualCoder requires unique names, and drops one
of two alike with its codings) cannot, so exports name such codes with their parent's label in
brackets, ``Relasjonelle forhold (Påkoblingsprosessen)``, and with more of the path when the
parents share a label too.
"""

from __future__ import annotations

from collections import defaultdict

from coder.domain.codebook import Codebook

PATH_JOIN = " > "
"""Between ancestors' labels when one parent is not enough."""


def _ancestors(book: Codebook, code_id: str, language: str) -> list[str]:
    """Labels from the code's parent up to the root."""
    found: list[str] = []
    parent = book.code(code_id).parent
    while parent is not None:
        code = book.code(parent)
        found.append(code.label_in(language))
        parent = code.parent
    return found


def distinct_names(book: Codebook, language: str) -> dict[str, str]:
    """Code id -> a name unique in the codebook: the label, plus ancestors where it repeats."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for code in book.codes:
        by_label[code.label_in(language).strip().casefold()].append(code.id)
    names = {code.id: code.label_in(language) for code in book.codes}
    groups = [ids for ids in by_label.values() if len(ids) > 1]
    repeated = {code_id for ids in groups for code_id in ids}
    taken = {name.strip().casefold() for key, name in names.items() if key not in repeated}
    for ids in groups:
        chains = {code_id: _ancestors(book, code_id, language) for code_id in ids}
        tried = dict.fromkeys(ids, "")
        for depth in range(1, max(len(chain) for chain in chains.values()) + 1):
            tried = {
                code_id: PATH_JOIN.join(reversed(chain[:depth]))
                for code_id, chain in chains.items()
            }
            if len({value.casefold() for value in tried.values()}) == len(ids):
                break
        for code_id in ids:
            label, where = names[code_id], tried[code_id]
            candidate, number = (f"{label} ({where})" if where else label), 1
            while candidate.strip().casefold() in taken:
                number += 1
                candidate = f"{label} ({where}, {number})" if where else f"{label} ({number})"
            taken.add(candidate.strip().casefold())
            names[code_id] = candidate
    return names


def duplicate_label_warnings(book: Codebook) -> list[str]:
    """One warning per label (in any language) that more than one code has."""
    warnings: list[str] = []
    for language in book.languages:
        by_label: dict[str, list[str]] = defaultdict(list)
        for code in book.codes:
            if language in code.label:
                by_label[code.label[language].strip().casefold()].append(code.id)
        exported = distinct_names(book, language)
        for ids in by_label.values():
            if len(ids) < 2:
                continue
            label = book.code(ids[0]).label[language]
            names = " and ".join(repr(exported[code_id]) for code_id in ids)
            warnings.append(
                f"label {label!r} ({language}) is used by {len(ids)} codes: {', '.join(ids)}; "
                "tools that know codes by name (QualCoder) cannot tell them apart, so REFI-QDA "
                f"exports name them {names}"
            )
    return warnings
