"""Unit alignment: which excerpts every compared coder reviewed, and who coded what on them.

A coder's *reviewed* mark means "looked at it": reviewed without a code is an observed absence,
unreviewed is missing data. An excerpt a coder coded counts as reviewed by that coder even
without the mark (the report says how many). Units are the codable excerpts reviewed by every
compared coder; the others are listed with the coders who did not review them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.agreement.comparison_scope import resolve_coders, resolve_codes

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class ExcludedExcerpt:
    """A codable excerpt some but not all compared coders reviewed."""

    excerpt_id: int
    """Database id."""
    transcript_id: str
    """Its transcript."""
    seq: int
    """Its number within the transcript."""
    missing: tuple[str, ...]
    """Compared coders who did not review it."""

    @property
    def reason(self) -> str:
        """Why it was left out, e.g. ``not reviewed by ada``."""
        return "not reviewed by " + ", ".join(self.missing)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "excerpt_id": self.excerpt_id,
            "transcript": self.transcript_id,
            "seq": self.seq,
            "missing": list(self.missing),
            "reason": self.reason,
        }


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
    excluded: tuple[ExcludedExcerpt, ...]
    """Codable excerpts reviewed by some but not all compared coders."""
    unreviewed: int
    """Codable excerpts no compared coder reviewed."""
    implicit_reviews: dict[str, int]
    """Per coder: excerpts counted as reviewed because the coder coded them without the mark."""
    outside_codings: int
    """Codings by compared coders on excerpts that are not codable (not counted)."""

    @property
    def units(self) -> int:
        """Number of units."""
        return int(self.excerpt_ids.shape[0])


def load_excerpt_units(
    project: Project,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> ExcerptUnits:
    """Align the compared coders' reviews and codings on the project's codable excerpts."""
    import numpy as np

    from coder.store.agreement_reads import excerpt_marks

    code_ids = resolve_codes(project.codebook, codes)
    marks = excerpt_marks(
        project, lambda directory: resolve_coders(directory, coders, level="excerpt")
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

    def locate(column: NDArray[np.int64]) -> NDArray[np.int64]:
        """Position of each excerpt id among the codable excerpts, -1 when not one."""
        if total == 0:
            return np.full(column.shape, -1, dtype=np.int64)
        spot = np.searchsorted(sorted_ids, column).clip(0, total - 1)
        return np.where(sorted_ids[spot] == column, order[spot], -1)

    reviewed = np.zeros((m, total), dtype=bool)
    for coder_id, reviewed_ids in marks.reviews:
        where = locate(reviewed_ids)
        reviewed[coder_row[coder_id], where[where >= 0]] = True
    presence_all = np.zeros((m, total, len(code_ids)), dtype=bool)
    coded = np.zeros((m, total), dtype=bool)
    code_index = {code: index for index, code in enumerate(code_ids)}
    outside = 0
    for coder_id, code_id, coded_ids in marks.codings:
        where = locate(coded_ids)
        inside = where[where >= 0]
        outside += int(where.shape[0] - inside.shape[0])
        coded[coder_row[coder_id], inside] = True
        if code_id in code_index:
            presence_all[coder_row[coder_id], inside, code_index[code_id]] = True
    implicit = coded & ~reviewed
    reviewed |= coded
    everyone = np.asarray(reviewed.all(axis=0), dtype=bool)
    anyone = np.asarray(reviewed.any(axis=0), dtype=bool)
    left_out = np.nonzero(anyone & ~everyone)[0]
    missing = (~reviewed[:, left_out]).T.tolist()
    excluded = tuple(
        ExcludedExcerpt(
            int(excerpt_ids[index]),
            transcript_names[int(transcript_all[index])],
            int(seqs[index]),
            tuple(name for name, gone in zip(names, row, strict=True) if gone),
        )
        for index, row in zip(left_out.tolist(), missing, strict=True)
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
    )
