"""``Featurizer``: stems and stem bigrams as TF-IDF rows, plus one indicator column per code.

Terms come from the pipeline's norms (Snowball stems), so inflections share a column. The text
part of a row is sublinear TF-IDF (bigrams at half weight), divided by the square root of its
L2 norm; the indicator part holds
``log2(1 + hits)`` per code, which lets the classifier learn how far to trust each code's
indicators (this is how the two sources are fused). Rows are stored sparse (``SparseRows``,
CSR in plain numpy arrays) so training needs nothing beyond numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

BIGRAM_JOIN = " "
BIGRAM_WEIGHT = 0.5
"""Bigram values are halved: they help with phrases but are rare, so they would drown words."""
NORM_POWER = 0.5
"""Rows are divided by the square root of their L2 norm (1 would be unit length): a strong
word in a long excerpt keeps some weight instead of being spread over every other word."""
KEPT_PUNCTUATION = frozenset({"?", "!"})
"""Punctuation kept as terms (questions and exclamations say something); the rest is dropped."""


def terms_of(words: Sequence[str]) -> list[str]:
    """Unigram and bigram terms of a text's words (stems) in order."""
    return [*words, *(f"{a}{BIGRAM_JOIN}{b}" for a, b in zip(words, words[1:], strict=False))]


class SparseRows:
    """A CSR matrix in numpy arrays, with the two products training needs."""

    __slots__ = ("indptr", "indices", "data", "n_cols", "_csr")

    def __init__(self, indptr: IntArray, indices: IntArray, data: FloatArray, n_cols: int) -> None:
        self.indptr = indptr
        """Row start offsets into ``indices``/``data`` (length rows + 1)."""
        self.indices = indices
        """Column of each stored value."""
        self.data = data
        """The stored values."""
        self.n_cols = n_cols
        """Number of columns."""
        self._csr: Any = None

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1

    def _matrix(self) -> Any:
        if self._csr is None:
            from scipy.sparse import csr_matrix  # type: ignore[import-untyped,unused-ignore]

            self._csr = csr_matrix(
                (self.data, self.indices, self.indptr), shape=(self.n_rows, self.n_cols)
            )
        return self._csr

    def dot(self, weights: FloatArray) -> FloatArray:
        """``self @ weights`` for a dense (columns x k) matrix."""
        import numpy as np

        return np.asarray(self._matrix() @ weights, dtype=np.float64)

    def tdot(self, grad: FloatArray) -> FloatArray:
        """``self.T @ grad`` for a dense (rows x k) matrix."""
        import numpy as np

        return np.asarray(self._matrix().T @ grad, dtype=np.float64)

    def take(self, rows: Sequence[int] | IntArray) -> SparseRows:
        """The given rows, in that order."""
        import numpy as np

        picked = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[picked]
        lengths = self.indptr[picked + 1] - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        gather = np.arange(int(indptr[-1]), dtype=np.int64) - np.repeat(
            indptr[:-1] - starts, lengths
        )
        return SparseRows(indptr, self.indices[gather], self.data[gather], self.n_cols)


@dataclass(frozen=True, slots=True)
class Featurizer:
    """Term vocabulary, IDF weights and indicator columns, fitted on training excerpts."""

    terms: tuple[str, ...]
    """Vocabulary in column order."""
    idf: tuple[float, ...]
    """Inverse document frequency per term."""
    indicator_codes: tuple[str, ...]
    """Codes with an indicator column, after the term columns, in this order."""

    @classmethod
    def fit(
        cls,
        term_lists: Sequence[Sequence[str]],
        indicator_codes: Sequence[str],
        *,
        min_df: int = 2,
        max_terms: int = 50_000,
    ) -> Featurizer:
        """Keep terms in at least ``min_df`` excerpts (the ``max_terms`` most frequent)."""
        df: Counter[str] = Counter()
        for terms in term_lists:
            df.update(set(terms))
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))
        kept = sorted(kept[:max_terms])
        n = len(term_lists)
        idf = tuple(math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept)
        return cls(tuple(kept), idf, tuple(indicator_codes))

    @property
    def n_features(self) -> int:
        """Columns: terms, then one per indicator code."""
        return len(self.terms) + len(self.indicator_codes)

    def transform(
        self,
        term_lists: Sequence[Sequence[str]],
        indicator_counts: Sequence[Mapping[str, int]],
        *,
        index: Mapping[str, int] | None = None,
    ) -> SparseRows:
        """Rows for excerpts given their terms and indicator hit counts."""
        import numpy as np

        column = index if index is not None else self.index()
        n_terms = len(self.terms)
        indicator_column = {c: n_terms + i for i, c in enumerate(self.indicator_codes)}
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for terms, counts in zip(term_lists, indicator_counts, strict=True):
            tf = Counter(t for t in terms if t in column)
            pairs = sorted(
                (
                    column[t],
                    (1.0 + math.log(n))
                    * self.idf[column[t]]
                    * (BIGRAM_WEIGHT if BIGRAM_JOIN in t else 1.0),
                )
                for t, n in tf.items()
            )
            cols = [c for c, _ in pairs]
            values = [v for _, v in pairs]
            norm = (math.sqrt(sum(v * v for v in values)) or 1.0) ** NORM_POWER
            indices.extend(cols)
            data.extend(v / norm for v in values)
            extra = sorted(
                (indicator_column[c], math.log2(1 + n))
                for c, n in counts.items()
                if n > 0 and c in indicator_column
            )
            indices.extend(col for col, _ in extra)
            data.extend(value for _, value in extra)
            indptr.append(len(indices))
        return SparseRows(
            np.asarray(indptr, dtype=np.int64),
            np.asarray(indices, dtype=np.int64),
            np.asarray(data, dtype=np.float64),
            self.n_features,
        )

    def index(self) -> dict[str, int]:
        """Term -> column (build once and pass to ``transform`` when calling it often)."""
        return {term: i for i, term in enumerate(self.terms)}

    def to_dict(self) -> dict[str, Any]:
        """Plain values for the model's JSON file."""
        return {
            "terms": list(self.terms),
            "idf": list(self.idf),
            "indicator_codes": list(self.indicator_codes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Featurizer:
        """Inverse of ``to_dict``."""
        return cls(
            tuple(str(t) for t in data["terms"]),
            tuple(float(v) for v in data["idf"]),
            tuple(str(c) for c in data["indicator_codes"]),
        )
