"""``Retrieval``: every segment coded with a code, or with a boolean of codes, across transcripts.

A segment is a *unit* as every report counts them (``coder.export.unit_matrix``): one excerpt as
one coder coded it. Whose units are searched is a ``CoderSelection``: in the TUI a coder searches
their own codings only (blind coding holds, and the rating shown is cases.csv's or their own,
never the consensus layer's); a lead chooses every human coder, one coder, or the consensus
layer; the CLI takes ``--coder``, ``--consensus`` and ``--all-coders`` as the exports do.

Each segment carries its speaker, case, the case's robustness rating (the attribute
``relational_robustness``, else the codebook's first ordinal one) with where it came from,
every code the coder gave it, the coded spans of the codes asked for, and the excerpts around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coder.domain.code_query import CodeQuery
from coder.errors import NotFoundError
from coder.export.coder_selection import CoderSelection

if TYPE_CHECKING:
    import numpy as np

    from coder.domain.code_query import Node
    from coder.export.case_filter import CaseFilter
    from coder.project.project import Project
    from coder.store.retrieval_reads import Neighbour

RATING_ATTRIBUTE = "relational_robustness"
"""The attribute shown with each segment when the codebook has it."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One retrieved unit: an excerpt as one coder coded it."""

    transcript_id: str
    """Transcript id."""
    case_id: str | None
    """Case (participant) id."""
    excerpt_id: int
    """Excerpt database id (the coding screen opens there)."""
    seq: int
    """Excerpt number in its transcript."""
    speaker: str | None
    """Speaker label."""
    coder: str
    """Whose coding it is (``consensus`` for the consensus layer)."""
    codes: tuple[str, ...]
    """Every code the coder gave the excerpt, in codebook order."""
    matched: tuple[str, ...]
    """The codes of the query (outside any ``not``) among them."""
    rating: str | None
    """The case's rating (a level id), if any."""
    rating_source: str | None
    """Where the rating came from: cases, consensus or coder."""
    text: str
    """The excerpt's text."""
    spans: tuple[tuple[str, int, int], ...] = ()
    """Coded spans of matched codes: (code id, start, end) as offsets into ``text``."""
    before: tuple[Neighbour, ...] = ()
    """Excerpts before it (context)."""
    after: tuple[Neighbour, ...] = ()
    """Excerpts after it (context)."""


@dataclass(frozen=True, slots=True, eq=False)
class Retrieval:
    """The segments a query found, and what was searched."""

    query: CodeQuery
    """The parsed query."""
    segments: tuple[Segment, ...]
    """Matches in transcript order, then coder order."""
    whose: str
    """Whose codings were searched, in words."""
    units: int
    """Units searched (excerpts as each chosen coder observed them)."""
    attribute: str | None = None
    """The rating attribute shown, if the codebook has one."""
    filters: Mapping[str, str] = field(default_factory=dict)
    """Restrictions asked for (case, attribute level)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "query": self.query.text,
            "codes": sorted(self.query.codes),
            "whose": self.whose,
            "units": self.units,
            "attribute": self.attribute,
            "filters": dict(self.filters),
            "segments": [
                {
                    "transcript": s.transcript_id,
                    "case": s.case_id,
                    "excerpt": s.seq,
                    "speaker": s.speaker,
                    "coder": s.coder,
                    "codes": list(s.codes),
                    "rating": s.rating,
                    "text": s.text,
                }
                for s in self.segments
            ],
        }


def rating_attribute(project: Project) -> str | None:
    """``relational_robustness`` if the codebook has it, else its first ordinal attribute."""
    specs = project.codebook.attributes
    if any(spec.id == RATING_ATTRIBUTE for spec in specs):
        return RATING_ATTRIBUTE
    return next((spec.id for spec in specs if spec.kind == "ordinal"), None)


def _text(value: Any) -> str | None:
    """A frame value as text; None for None, NaN and pandas' NA."""
    import pandas as pd

    return None if value is None or pd.isna(value) else str(value)


def _evaluate(node: Node, presence: np.ndarray, column: Mapping[str, int]) -> np.ndarray:
    """The query over every unit at once: a bool per row of ``presence``."""
    import numpy as np

    from coder.domain.code_query import All, Any_, Has, Not

    if isinstance(node, Has):
        index = [column[code] for code in sorted(node.codes) if code in column]
        if not index:
            return np.zeros(len(presence), dtype=bool)
        return np.asarray(presence[:, index].any(axis=1), dtype=bool)
    if isinstance(node, Not):
        return ~_evaluate(node.inner, presence, column)
    parts = [_evaluate(part, presence, column) for part in node.parts]
    combine = np.logical_and if isinstance(node, All) else np.logical_or
    result = parts[0]
    for part in parts[1:]:
        result = combine(result, part)
    assert isinstance(node, All | Any_)
    return result


def retrieve(
    project: Project,
    query: CodeQuery | str,
    selection: CoderSelection | None = None,
    *,
    case: str | None = None,
    where: CaseFilter | None = None,
    around: int = 1,
    blind: bool = False,
) -> Retrieval:
    """The segments matching ``query`` among the selected coders' units.

    ``case`` keeps one case (a transcript without a case: its id); ``where`` keeps units
    whose case has an attribute level; ``around`` excerpts of context each side; ``blind``
    leaves the consensus rating out.
    """
    from coder.export.unit_matrix import unit_matrix
    from coder.store.retrieval_reads import coded_spans, segment_contexts

    book = project.codebook
    parsed = query if isinstance(query, CodeQuery) else CodeQuery.parse(query, book)
    chosen = selection or CoderSelection()
    matrix = unit_matrix(project, chosen, consensus_rating=not blind)
    column = {code: index for index, code in enumerate(matrix.codes)}
    keep = _evaluate(parsed.root, matrix.presence, column)
    filters: dict[str, str] = {}
    if case is not None:
        units = matrix.units
        keys = units["case"].where(units["case"].notna(), units["transcript"]).astype(str)
        if case not in set(keys):
            raise NotFoundError(f"case {case!r} has no coded or reviewed excerpts here")
        keep &= (keys == case).to_numpy()
        filters["case"] = case
    if where is not None:
        values = matrix.attributes[where.attribute]
        keep &= (values.notna() & (values.astype(str) == where.level)).to_numpy()
        filters[where.attribute] = where.level
    rows = [int(index) for index in keep.nonzero()[0]]
    picked = matrix.units.iloc[rows]
    excerpt_ids = [int(value) for value in picked["excerpt_id"].tolist()]
    coder_ids = [int(value) for value in picked["coder_id"].tolist()]
    contexts = segment_contexts(project, excerpt_ids, max(0, around))
    spans = coded_spans(project, excerpt_ids, coder_ids)
    attribute = rating_attribute(project)
    ratings: list[Any] = [None] * len(rows)
    sources: list[Any] = [None] * len(rows)
    if attribute is not None:
        ratings = matrix.attributes[attribute].iloc[rows].tolist()
        sources = matrix.sources[attribute].iloc[rows].tolist()
    positive = parsed.positive
    segments = []
    for position, record in enumerate(picked.to_dict("records")):
        row, excerpt_id, coder_id = rows[position], excerpt_ids[position], coder_ids[position]
        present = tuple(code for code in matrix.codes if matrix.presence[row, column[code]])
        context = contexts[excerpt_id]
        shown = tuple(
            (code, start - context.start, end - context.start)
            for code, start, end in spans.get((excerpt_id, coder_id), [])
            if code in positive
        )
        segments.append(
            Segment(
                transcript_id=str(record["transcript"]),
                case_id=_text(record["case"]),
                excerpt_id=excerpt_id,
                seq=int(record["excerpt"]),
                speaker=_text(record["speaker"]),
                coder=str(record["coder"]),
                codes=present,
                matched=tuple(code for code in present if code in positive),
                rating=_text(ratings[position]),
                rating_source=_text(sources[position]),
                text=context.text,
                spans=shown,
                before=context.before,
                after=context.after,
            )
        )
    return Retrieval(
        parsed, tuple(segments), matrix.description, len(matrix.units), attribute, filters
    )
