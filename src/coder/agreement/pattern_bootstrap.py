"""The excerpt report's bootstrap, drawn as counts of unit patterns instead of unit indices.

A unit bootstrap replicate draws ``n`` units with replacement; every coefficient of a code is a
function of sums of per-unit statistics (``coder.agreement.binary``), and for a code those
statistics take only a few distinct values (*patterns*): how many of the ``m`` coders marked the
unit (``m + 1`` patterns; with two coders which of the two did, 4 patterns). Drawing ``n`` units
with replacement and counting how many fall in each pattern is exactly a multinomial draw of
``n`` over the patterns' shares, so one multinomial per replicate gives the replicate's sums with
the same distribution as resampling the units one by one, in time independent of ``n``. The
pooled row's per-unit statistics are the sums over codes; its patterns are their distinct values.

Each code draws from its own stream, seeded from the report's seed and the code's id, so a code's
interval does not depend on which other codes are compared; the pooled row uses the seed alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coder.agreement.binary import BinarySums

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def code_stream(seed: int, code: str) -> np.random.Generator:
    """The random stream of one code: the seed and the code id's UTF-8 bytes as entropy."""
    import numpy as np

    return np.random.default_rng([seed, *code.encode("utf-8")])


def unit_stats(presence: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Units x codes x statistics whose sums over units give the coefficients.

    Two coders: each coder's mark and the squared count of marks (Cohen's kappa needs both
    margins); more: the count of marks and its square.
    """
    import numpy as np

    m, n, codes = presence.shape
    marks = presence.sum(axis=0, dtype=np.int64)
    if m == 2:
        stats = np.empty((n, codes, 3), dtype=np.int64)
        stats[..., :2] = presence.transpose(1, 2, 0)
    else:
        stats = np.empty((n, codes, 2), dtype=np.int64)
        stats[..., 0] = marks
    stats[..., -1] = marks * marks
    return stats


def sums_of(drawn: NDArray[np.float64], coders: int, units: int) -> BinarySums:
    """``BinarySums`` from summed statistics (last axis as in ``unit_stats``)."""
    import numpy as np

    count = np.full(drawn.shape[:-1], float(units))
    if coders == 2:
        return BinarySums(
            2, count, drawn[..., 0] + drawn[..., 1], drawn[..., 2], drawn[..., 0], drawn[..., 1]
        )
    return BinarySums(coders, count, drawn[..., 0], drawn[..., 1])


def draw_patterns(
    patterns: NDArray[np.int64],
    frequencies: NDArray[np.int64],
    replicates: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Replicates x statistics: summed statistics of ``units`` units drawn with replacement.

    ``patterns`` (patterns x statistics) are the distinct per-unit statistics and
    ``frequencies`` how many units have each.
    """
    import numpy as np

    units = int(frequencies.sum())
    shares = frequencies / float(units)
    counts = rng.multinomial(units, shares, size=replicates)
    return np.asarray(counts @ patterns, dtype=np.float64)


def distinct_rows(rows: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct rows of a non-negative integer matrix, and how often each occurs."""
    import numpy as np

    if rows.shape[0] == 0:
        return np.zeros((0, rows.shape[1]), dtype=np.int64), np.zeros(0, dtype=np.int64)
    bases = rows.max(axis=0) + 1
    radix = np.cumprod(np.r_[1, bases[:-1]]).astype(np.int64)  # mixed radix: one int per row
    keys, first, frequencies = np.unique(rows @ radix, return_index=True, return_counts=True)
    del keys
    return rows[first].astype(np.int64), frequencies.astype(np.int64)


def code_patterns(
    stats: NDArray[np.int64], coders: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every possible per-unit statistics row of a code, and codes x patterns unit counts.

    The statistics of a unit are fixed by which coders marked it (two coders) or by how many did
    (more), so the patterns are the same for every code and one ``bincount`` counts them all.
    """
    import numpy as np

    _, codes, width = stats.shape
    if width == 3:  # two coders: first mark, second mark, squared count
        key = 2 * stats[..., 0] + stats[..., 1]
        marks = np.array([[a, b, (a + b) ** 2] for a in (0, 1) for b in (0, 1)], dtype=np.int64)
    else:  # 0..m marks, whatever the data holds, so a code's draws depend on its own data only
        key = stats[..., 0]
        marks = np.array([[s, s * s] for s in range(coders + 1)], dtype=np.int64)
    kinds = marks.shape[0]
    where = key + kinds * np.arange(codes, dtype=np.int64)
    counts = np.bincount(where.reshape(-1), minlength=codes * kinds).reshape(codes, kinds)
    return marks, counts.astype(np.int64)


def bootstrap_sums(
    presence: NDArray[np.bool_], codes: Sequence[str], replicates: int, seed: int
) -> tuple[BinarySums, BinarySums]:
    """Replicates x codes sums per code, and replicates sums of the pooled row."""
    import numpy as np

    m, n, _ = presence.shape
    stats = unit_stats(presence)
    per_code = np.empty((replicates, len(codes), stats.shape[2]))
    patterns, frequencies = code_patterns(stats, m)
    for index, code in enumerate(codes):
        per_code[:, index, :] = draw_patterns(
            patterns, frequencies[index], replicates, code_stream(seed, code)
        )
    pooled_patterns, pooled_frequencies = distinct_rows(stats.sum(axis=1))
    pooled = draw_patterns(
        pooled_patterns, pooled_frequencies, replicates, np.random.default_rng(seed)
    )
    pooled_sums = sums_of(pooled, m, n * len(codes))
    return sums_of(per_code, m, n), pooled_sums
