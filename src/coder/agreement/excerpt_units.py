"""Unit alignment: which excerpts every compared coder reviewed, and who coded what on them.

A coder's *reviewed* mark means "looked at it": reviewed without a code is an observed absence,
unreviewed is missing data. An excerpt a coder coded counts as reviewed by that coder even
without the mark (the report says how many). Units are the codable excerpts reviewed by every
compared coder; the others are listed with the coders who did not review them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.agreement.comparison_scope import resolve_coders, resolve_codes
from coder.agreement.excluded_excerpts import ExcludedExcerpt, ExcludedExcerpts

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from coder.project.project import Project

__all__ = ["ExcerptUnits", "ExcludedExcerpt", "ExcludedExcerpts", "load_excerpt_units"]


@dataclass(frozen=True, slots=True, eq=False)
class ExcerptUnits:
    """The units of an excerpt-level comparison and each coder's codes on them."""

    coders: tuple[str, ...]
    """Compared coders, in the order of ``presence``'s first axis."""
    codes: tuple[str, ...]
    """Compared codes, in the order of ``presence``'s last axis."""
    excerpt_ids: NDArray[np.int64]
    """Units: excerpt ids, in transcript and excerpt order."""
    transcripts: tuple[str, ...]
    """Transcript ids that have units, sorted."""
    transcript_of: NDArray[np.int64]
    """For each unit, its transcript's position in ``transcripts`` (non-decreasing)."""
    seqs: NDArray[np.int64]
    """For each unit, its excerpt number within the transcript."""
    presence: NDArray[np.bool_]
    """Coders x units x codes: whether the coder applied the code (any span) to the unit."""
    codable: int
    """Codable excerpts in the project."""
    excluded: ExcludedExcerpts
    """Codable excerpts reviewed by some but not all compared coders."""
    unreviewed: int
    """Codable excerpts no compared coder reviewed."""
    implicit_reviews: dict[str, int]
    """Per coder: excerpts counted as reviewed because the coder coded them without the mark."""
    outside_codings: int
    """Codings by compared coders on excerpts that are not codable (not counted)."""
    codebook_version: str | None = None
    """Only codings made under this codebook version were compared (None: all codings)."""
    other_version: int = 0
    """Codable excerpts left out because a compared coder coded them under another version."""

    @property
    def units(self) -> int:
        """Number of units."""
        return int(self.excerpt_ids.shape[0])


def load_excerpt_units(
    project: Project,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    version: str | None = None,
) -> ExcerptUnits:
    """Align the compared coders' reviews and codings on the project's codable excerpts;
    with ``version``, only on the excerpts every compared coder coded (if at all) under that
    codebook version."""
    import numpy as np

    from coder.store.agreement_reads import excerpt_marks

    code_ids = resolve_codes(project.codebook, codes)
    marks = excerpt_marks(
        project, lambda directory: resolve_coders(directory, coders, level="excerpt"), version
    )
    names = tuple(marks.chosen)
    ids = list(marks.chosen.values())
    id_parts, seq_parts, transcript_names = [], [], []
    for transcript_id, in_transcript, numbers in marks.transcripts:
        ordered = np.argsort(numbers, kind="stable")
        id_parts.append(in_transcript[ordered])
        seq_parts.append(numbers[ordered])
        transcript_names.append(transcript_id)
    excerpt_ids = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int64)
    seqs = np.concatenate(seq_parts) if seq_parts else np.zeros(0, np.int64)
    transcript_all = np.repeat(
        np.arange(len(transcript_names)), [len(part) for part in id_parts]
    ).astype(np.int64)
    m, total = len(names), int(excerpt_ids.shape[0])
    order = np.argsort(excerpt_ids, kind="stable")
    sorted_ids = excerpt_ids[order]
    coder_row = {coder_id: index for index, coder_id in enumerate(ids)}

    top = int(sorted_ids[-1]) if total else -1
    dense = total > 0 and int(sorted_ids[0]) >= 0 and top < 4 * total + 4096
    lookup = np.full(top + 2 if dense else 0, -1, dtype=np.int64)  # id -> position; last: -1
    if dense:
        lookup[excerpt_ids] = np.arange(total, dtype=np.int64)

    def locate(column: NDArray[np.int64]) -> NDArray[np.int64]:
        """Position of each excerpt id among the codable excerpts, -1 when not one."""
        if total == 0:
            return np.full(column.shape, -1, dtype=np.int64)
        if dense:  # ids are mostly consecutive: a table look-up, no search
            return lookup[np.where((column >= 0) & (column <= top), column, top + 1)]
        spot = np.searchsorted(sorted_ids, column).clip(0, total - 1)
        return np.where(sorted_ids[spot] == column, order[spot], -1)

    reviewed = np.zeros((m, total), dtype=bool)
    for coder_id, reviewed_ids in marks.reviews:
        where = locate(reviewed_ids)
        reviewed[coder_row[coder_id], where[where >= 0]] = True
    presence_all = np.zeros((m, total, len(code_ids)), dtype=bool)
    coded = np.zeros((m, total), dtype=bool)
    code_index = {code: index for index, code in enumerate(code_ids)}
    compared = np.array([code_index.get(code, -1) for code in marks.code_ids], dtype=np.int64)
    outside = 0
    for coder_id, coded_ids, code_positions in marks.codings:
        where = locate(coded_ids)
        inside = where >= 0
        outside += int(where.shape[0] - np.count_nonzero(inside))
        row = coder_row[coder_id]
        coded[row, where[inside]] = True
        code_of = compared[code_positions] if compared.size else code_positions
        keep = inside & (code_of >= 0)
        presence_all[row, where[keep], code_of[keep]] = True
    implicit = coded & ~reviewed
    reviewed |= coded
    other = np.zeros(total, dtype=bool)
    if marks.other_version is not None:
        where = locate(marks.other_version)
        other[where[where >= 0]] = True
    everyone = np.asarray(reviewed.all(axis=0), dtype=bool) & ~other
    anyone = np.asarray(reviewed.any(axis=0), dtype=bool) | other
    left_out = np.nonzero(anyone & ~everyone & ~other)[0]
    excluded = ExcludedExcerpts(
        names,
        transcript_names,
        excerpt_ids[left_out],
        transcript_all[left_out],
        seqs[left_out],
        (~reviewed[:, left_out]).T,
    )
    kept = np.nonzero(everyone)[0]
    used, transcript_of = np.unique(transcript_all[kept], return_inverse=True)
    return ExcerptUnits(
        coders=names,
        codes=code_ids,
        excerpt_ids=excerpt_ids[kept],
        transcripts=tuple(transcript_names[int(t)] for t in used.tolist()),
        transcript_of=transcript_of.astype(np.int64).reshape(-1),
        seqs=seqs[kept],
        presence=presence_all[:, kept, :],
        codable=total,
        excluded=excluded,
        unreviewed=int((~anyone).sum()),
        implicit_reviews={names[c]: int(implicit[c].sum()) for c in range(m)},
        outside_codings=outside,
        codebook_version=version,
        other_version=int(other.sum()),
    )
