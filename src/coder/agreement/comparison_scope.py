"""Which coders and codes a comparison uses; user mistakes become ``CoderError``s.

By default the compared coders are the human coders with work at that level (reviews or
codings for excerpts, ratings for cases). The ``model`` coder is compared only when named, like
any other coder; the ``consensus`` layer is never mixed in unless named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from coder.errors import CoderError, NotFoundError

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook
    from coder.store.agreement_reads import CoderDirectory

Level = Literal["excerpt", "case"]


def parse_list(text: str | None) -> list[str] | None:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``; None or blank -> None."""
    if text is None:
        return None
    items = [item.strip() for item in text.split(",") if item.strip()]
    return items or None


def resolve_coders(
    directory: CoderDirectory, names: Sequence[str] | None, *, level: Level
) -> dict[str, int]:
    """Coder name -> database id for the comparison, in the order given (or by name)."""
    known = directory.known
    if names is not None:
        wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
        unknown = [name for name in wanted if name not in known]
        if unknown:
            listed = ", ".join(sorted(known)) or "none yet"
            raise NotFoundError(f"unknown coder {', '.join(map(repr, unknown))} (coders: {listed})")
        if len(wanted) < 2:
            raise CoderError(f"agreement compares two or more coders; --coders named {len(wanted)}")
        return {name: known[name][0] for name in wanted}
    humans = {
        name: cid
        for name, (cid, kind) in sorted(known.items())
        if kind == "human" and cid in directory.active
    }
    if len(humans) < 2:
        work = "reviewed or coded excerpts" if level == "excerpt" else "rated cases"
        found = ", ".join(humans) or "none"
        raise CoderError(
            f"agreement needs two or more human coders who {work}; found: {found}. "
            "Name the coders to compare with --coders (e.g. --coders ada,model)"
        )
    return humans


def resolve_codes(codebook: Codebook, ids: Sequence[str] | None) -> tuple[str, ...]:
    """The codable codes to compare: all of them in tree order, or the ones named."""
    if ids is None:
        return tuple(code.id for code in codebook.codable_codes)
    wanted = list(dict.fromkeys(code.strip() for code in ids if code.strip()))
    unknown = [code for code in wanted if not codebook.has_code(code)]
    if unknown:
        raise NotFoundError(
            f"unknown code {', '.join(map(repr, unknown))} "
            f"(not in {codebook.source or 'the codebook'})"
        )
    headings = [code for code in wanted if not codebook.code(code).codable]
    if headings:
        raise CoderError(
            f"{', '.join(map(repr, headings))}: a group heading, not a codable code; "
            "name its sub-codes instead"
        )
    if not wanted:
        raise CoderError("--codes named no code")
    return tuple(wanted)
