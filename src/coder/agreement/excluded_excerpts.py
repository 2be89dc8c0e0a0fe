"""Codable excerpts left out of an excerpt-level comparison, and why.

A large project can leave tens of thousands of excerpts out (reviewed by some compared coders,
not all); ``ExcludedExcerpts`` keeps them as arrays and makes an ``ExcludedExcerpt`` only when
one is looked at, and counts the reasons without making any.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def _reason(missing: Sequence[str]) -> str:
    return "not reviewed by " + ", ".join(missing)


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
        return _reason(self.missing)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "excerpt_id": self.excerpt_id,
            "transcript": self.transcript_id,
            "seq": self.seq,
            "missing": list(self.missing),
            "reason": self.reason,
        }


class ExcludedExcerpts(Sequence[ExcludedExcerpt]):
    """The left-out excerpts, in transcript and excerpt order, stored as arrays."""

    __slots__ = ("_coders", "_ids", "_missing", "_seqs", "_transcript_of", "_transcripts")

    def __init__(
        self,
        coders: tuple[str, ...],
        transcripts: Sequence[str],
        excerpt_ids: NDArray[np.int64],
        transcript_of: NDArray[np.int64],
        seqs: NDArray[np.int64],
        missing: NDArray[np.bool_],
    ) -> None:
        """``missing`` is excerpts x coders: which compared coder did not review it."""
        self._coders = coders
        self._transcripts = tuple(transcripts)
        self._ids = excerpt_ids
        self._transcript_of = transcript_of
        self._seqs = seqs
        self._missing = missing

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    def _item(self, index: int) -> ExcludedExcerpt:
        row = self._missing[index].tolist()
        return ExcludedExcerpt(
            int(self._ids[index]),
            self._transcripts[int(self._transcript_of[index])],
            int(self._seqs[index]),
            tuple(name for name, gone in zip(self._coders, row, strict=True) if gone),
        )

    @overload
    def __getitem__(self, index: int) -> ExcludedExcerpt: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ExcludedExcerpt]: ...

    def __getitem__(self, index: int | slice) -> ExcludedExcerpt | Sequence[ExcludedExcerpt]:
        if isinstance(index, slice):
            return tuple(self._item(i) for i in range(*index.indices(len(self))))
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._item(index % len(self))

    def __iter__(self) -> Iterator[ExcludedExcerpt]:
        return (self._item(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExcludedExcerpts):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"ExcludedExcerpts({len(self)} excerpts)"

    def summary(self) -> dict[str, int]:
        """Reason -> number of excerpts left out for it, reasons in order of first appearance."""
        import numpy as np

        if len(self) == 0:
            return {}
        weights = 1 << np.arange(len(self._coders), dtype=np.int64)
        keys = self._missing.astype(np.int64) @ weights
        _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        summary: dict[str, int] = {}
        for start, count in sorted(zip(first.tolist(), counts.tolist(), strict=True)):
            summary[self._item(start).reason] = int(count)
        return summary
