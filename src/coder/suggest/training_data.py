"""Training data from a project: who coded what, what was reviewed, what was rejected.

``TrainingSource`` names whose judgement the model learns: one coder, every human coder (each
coder-excerpt pair is an example, so disagreement shows up as it is), or the ``consensus``
layer. For each source coder and excerpt:

- an excerpt the coder marked reviewed is fully labelled: its codes are positives, every other
  code is an observed absence (a negative);
- an excerpt the coder coded but never marked reviewed says only that its codes apply;
- a rejected suggestion (event ``suggestion.reject``) is a hard negative for that code, unless
  the coder undid the rejection (``u``; it is then no evidence at all, see
  ``coder.store.history.undone_events``).

The rows are read by ``coder.store.training_reads``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.domain.coders import CONSENSUS, MODEL
from coder.errors import CoderError
from coder.suggest.model import Example

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.store.training_reads import LabelledExcerpt
    from coder.suggest.analyser import Analyser


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
        if name == CONSENSUS:
            return cls("consensus", CONSENSUS)
        if name == MODEL:
            raise CoderError("the model cannot learn from its own suggestions; name a human coder")
        return cls("coder", name)

    @property
    def label(self) -> str:
        """``all``, ``consensus`` or ``coder:NAME``."""
        return f"coder:{self.coder}" if self.kind == "coder" else self.kind


def check_source(project: Project, name: str | None) -> TrainingSource:
    """Parse ``name`` and make sure such a coder exists (raises NotFoundError)."""
    from coder.store.training_reads import source_coders

    source = TrainingSource.parse(name)
    source_coders(project, None if source.kind == "all" else source.coder)
    return source


def labelled_excerpts(project: Project, source: TrainingSource) -> list[LabelledExcerpt]:
    """Every (source coder, excerpt) pair with a coding, a review mark or a rejection."""
    from coder.store.training_reads import labelled_excerpts as labelled

    coder = None if source.kind == "all" else source.coder
    return labelled(project, coder, consensus=source.kind == "consensus")


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
    from coder.store.training_reads import change_marker as marker

    return marker(project)


def changes_since(project: Project, event_id: int) -> int:
    """Coding decisions (applied, removed, rejected, imported) logged after ``event_id``."""
    from coder.store.training_reads import changes_since as since

    return since(project, event_id)
