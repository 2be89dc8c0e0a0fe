"""Training data from a project: who coded what, what was reviewed, what was rejected.

``TrainingSource`` names whose judgement the model learns: one coder, every human coder (each
coder-excerpt pair is an example, so disagreement shows up as it is), or the ``consensus``
layer. For each source coder and excerpt:

- an excerpt the coder marked reviewed is fully labelled: its codes are positives, every other
  code is an observed absence (a negative);
- an excerpt the coder coded but never marked reviewed says only that its codes apply;
- a rejected suggestion (event ``suggestion.reject``) is a hard negative for that code.

The tables are read directly with SQLAlchemy Core (read-only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError, NotFoundError
from coder.suggest.model import Example

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.suggest.analyser import Analyser

REJECT_EVENT = "suggestion.reject"
"""Event kind of a rejected suggestion."""
CHANGE_EVENTS = ("coding.apply", "coding.remove", REJECT_EVENT)
"""Events that count as one new coding decision for retraining."""
IMPORT_EVENT = "codings.imported"
"""Bulk import event; counts as its ``added`` codings."""


@dataclass(frozen=True, slots=True)
class TrainingSource:
    """Whose codings the model learns from."""

    kind: str
    """``all`` (every human coder), ``coder`` (one coder) or ``consensus``."""
    coder: str | None = None
    """The coder's name for kind ``coder``."""

    @classmethod
    def parse(cls, name: str | None) -> TrainingSource:
        """None or ``all``: all human coders; ``consensus``: the consensus layer; else a coder."""
        if name is None or name == "all":
            return cls("all")
        if name == "consensus":
            return cls("consensus", "consensus")
        if name == "model":
            raise CoderError("the model cannot learn from its own suggestions; name a human coder")
        return cls("coder", name)

    @property
    def label(self) -> str:
        """``all``, ``consensus`` or ``coder:NAME``."""
        return f"coder:{self.coder}" if self.kind == "coder" else self.kind


@dataclass(frozen=True, slots=True)
class LabelledExcerpt:
    """One source coder's labels on one excerpt, with the excerpt's text."""

    excerpt_id: int
    """Excerpt database id."""
    coder: str
    """Source coder name."""
    text: str
    """Excerpt text."""
    positives: frozenset[str]
    """Codable codes applied."""
    reviewed: bool
    """Whether every other code is an observed absence."""
    rejected: frozenset[str]
    """Suggestions the coder rejected here (and did not apply after all)."""


def _source_coders(conn: Any, source: TrainingSource) -> dict[int, str]:
    from sqlalchemy import select

    from coder.store.schema import coders

    query = select(coders.c.id, coders.c.name)
    if source.kind == "all":
        query = query.where(coders.c.kind == "human")
    else:
        query = query.where(coders.c.name == source.coder)
    found = {int(i): str(n) for i, n in conn.execute(query)}
    if source.kind != "all" and not found:
        raise NotFoundError(f"unknown coder {source.coder!r}: nobody of that name has coded yet")
    return found


def check_source(project: Project, name: str | None) -> TrainingSource:
    """Parse ``name`` and make sure such a coder exists (raises NotFoundError)."""
    source = TrainingSource.parse(name)
    with project.engine.connect() as conn:
        _source_coders(conn, source)
    return source


def labelled_excerpts(project: Project, source: TrainingSource) -> list[LabelledExcerpt]:
    """Every (source coder, excerpt) pair with a coding, a review mark or a rejection."""
    from sqlalchemy import select

    from coder.store.schema import codings, events, excerpts, reviews, transcripts

    codable = {code.id for code in project.codebook.codable_codes}
    with project.engine.connect() as conn:
        who = _source_coders(conn, source)
        ids = list(who)
        coded: dict[tuple[int, int], set[str]] = {}
        for c, e, code in conn.execute(
            select(codings.c.coder_id, codings.c.excerpt_id, codings.c.code_id).where(
                codings.c.coder_id.in_(ids)
            )
        ):
            if code in codable:
                coded.setdefault((int(c), int(e)), set()).add(str(code))
        reviewed = {
            (int(c), int(e))
            for c, e in conn.execute(
                select(reviews.c.coder_id, reviews.c.excerpt_id).where(reviews.c.coder_id.in_(ids))
            )
        }
        if source.kind == "consensus":  # an adjudicated excerpt is fully decided
            reviewed |= set(coded)
        rejected: dict[tuple[int, int], set[str]] = {}
        for c, payload in conn.execute(
            select(events.c.coder_id, events.c.payload).where(
                events.c.kind == REJECT_EVENT, events.c.coder_id.in_(ids)
            )
        ):
            data = json.loads(payload)
            rejected.setdefault((int(c), int(data["excerpt"])), set()).add(str(data["code"]))
        keys = sorted(set(coded) | reviewed | set(rejected), key=lambda k: (k[1], k[0]))
        wanted = sorted({e for _, e in keys})
        spans: dict[int, tuple[str, int, int]] = {}
        for chunk in range(0, len(wanted), 500):
            rows = conn.execute(
                select(
                    excerpts.c.id, excerpts.c.transcript_id, excerpts.c.start, excerpts.c.end
                ).where(excerpts.c.id.in_(wanted[chunk : chunk + 500]))
            )
            for e, t, start, end in rows:
                spans[int(e)] = (str(t), int(start), int(end))
        texts = {
            str(t): str(text)
            for t, text in conn.execute(
                select(transcripts.c.id, transcripts.c.text).where(
                    transcripts.c.id.in_(sorted({t for t, _, _ in spans.values()}))
                )
            )
        }
    result: list[LabelledExcerpt] = []
    for c, e in keys:
        if e not in spans:
            continue
        t, start, end = spans[e]
        positives = frozenset(coded.get((c, e), set()))
        result.append(
            LabelledExcerpt(
                e,
                who[c],
                texts[t][start:end],
                positives,
                (c, e) in reviewed,
                frozenset(rejected.get((c, e), set()) - positives),
            )
        )
    return result


def examples_from(labelled: list[LabelledExcerpt], analyser: Analyser) -> list[Example]:
    """Analysed training examples (one per labelled pair; copies of an excerpt share a group)."""
    analyses = analyser.analyse_all(item.text for item in labelled)
    examples: list[Example] = []
    for item, analysis in zip(labelled, analyses, strict=True):
        known = None if item.reviewed else item.positives | item.rejected
        examples.append(Example(analysis, item.positives, known, item.rejected, item.excerpt_id))
    return examples


def change_marker(project: Project) -> int:
    """Id of the newest event (what a model was trained up to)."""
    from sqlalchemy import func, select

    from coder.store.schema import events

    with project.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one())


def changes_since(project: Project, event_id: int) -> int:
    """Coding decisions (applied, removed, rejected, imported) logged after ``event_id``."""
    from sqlalchemy import func, select

    from coder.store.schema import coders, events

    with project.engine.connect() as conn:
        humans = select(coders.c.id).where(coders.c.kind.in_(("human", "consensus")))
        count = int(
            conn.execute(
                select(func.count())
                .select_from(events)
                .where(
                    events.c.id > event_id,
                    events.c.kind.in_(CHANGE_EVENTS),
                    events.c.coder_id.in_(humans),
                )
            ).scalar_one()
        )
        for (payload,) in conn.execute(
            select(events.c.payload).where(events.c.id > event_id, events.c.kind == IMPORT_EVENT)
        ):
            count += int(json.loads(payload).get("added", 0))
    return count
