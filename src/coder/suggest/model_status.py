"""``ModelStatus``: why no suggestion came from the model, in words for the suggestion panel.

Suggestions come from the codebook's indicators until a model is trained on the coder's own
codings; without a reason on screen, a coder who knows models exist sees only indicator hits
and cannot tell why. The status names the cause: no model for this coder yet (and how many
coding decisions the first training waits for), a model trained for another codebook version,
or a code with too few examples to be modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.suggest.model import SuggestModel
    from coder.suggest.suggester import Suggestion


@dataclass(frozen=True, slots=True)
class ModelStatus:
    """The model behind a coder's suggestions, or why there is none."""

    overall: str | None
    """Why the model suggests nothing at all; None when one is in use."""
    examples: dict[str, int] = field(default_factory=dict)
    """The coder's codings per code (the positive examples a model would learn from)."""
    modelled: frozenset[str] = frozenset()
    """Codes the model scores."""
    needed: int = 5
    """Examples (and non-examples) a code needs to be modelled."""

    @classmethod
    def read(
        cls,
        project: Project,
        coder: str,
        model: SuggestModel | None,
        *,
        every: int,
    ) -> ModelStatus:
        """The status of ``coder``'s ``model`` (None: not trained) in ``project``."""
        from coder.store.coder_view import coder_code_counts
        from coder.suggest.model import ModelSettings
        from coder.suggest.training_data import changes_since

        needed = ModelSettings().min_positives
        examples = coder_code_counts(project, coder)
        if model is None:
            done = changes_since(project, 0)
            return cls(
                f"model for {coder} not trained yet: {min(done, every)} of {every} codings",
                examples,
                needed=needed,
            )
        book = model.meta.get("codebook") or {}
        version = book.get("version") if isinstance(book, dict) else None
        if version is not None and str(version) != project.codebook.version:
            return cls(
                f"model is for another codebook version ({version}; now "
                f"{project.codebook.version}): it is retrained after {every} more codings",
                examples,
                needed=needed,
            )
        if not model.codes:
            return cls(
                f"no code has {needed} examples yet: the model has nothing to learn from",
                examples,
                needed=needed,
            )
        return cls(None, examples, frozenset(model.codes), needed)

    def note(self, suggestions: list[Suggestion]) -> str | None:
        """What to say when none of ``suggestions`` came from the model; else None."""
        if any("model" in s.sources for s in suggestions):
            return None
        if self.overall is not None:
            return self.overall
        for suggestion in suggestions:
            code = suggestion.code_id
            if code not in self.modelled:
                have = self.examples.get(code, 0)
                return f"{code} has too few examples for the model: {have} of {self.needed}"
        return None
