"""Train, retrain and evaluate a project's suggestion model (what the CLI and the TUI call).

``train_project_model`` reads the project's human codings (see ``training_data``), trains a
``SuggestModel`` and stores it under ``.coder/models/`` with its metadata, including the model's
held-out agreement with each human coder (``measured``, see ``coder.suggest.held_out``): the
suggester withholds the codes on which that measurement is no better than chance.
``maybe_retrain`` is what a background worker calls after each coding: it retrains once
``every`` new coding decisions have been logged since the current model was trained.
``evaluate_project`` cross-validates on the project's reviewed excerpts, next to the indicators
alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.suggest.analyser import Analyser
from coder.suggest.evaluation import EvaluationReport, evaluate_examples
from coder.suggest.held_out import measure as held_out_measure
from coder.suggest.model import ModelSettings, Progress, SuggestModel
from coder.suggest.model_folder import ModelFolder
from coder.suggest.training_data import (
    TrainingSource,
    change_marker,
    changes_since,
    examples_from,
    labelled_excerpts,
)

if TYPE_CHECKING:
    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class TrainResult:
    """A trained and stored model."""

    folder: Path
    """Where it was saved."""
    meta: dict[str, Any]
    """Its metadata (as in model.json)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {"folder": str(self.folder), **self.meta}


def project_analyser(project: Project) -> Analyser:
    """The analyser for a project's language, pipeline setting and codebook."""
    return Analyser(project.codebook, project.settings.language, pipeline=project.settings.pipeline)


def train_project_model(
    project: Project,
    *,
    source: str | None = None,
    settings: ModelSettings | None = None,
    analyser: Analyser | None = None,
    progress: Progress | None = None,
    models: ModelFolder | None = None,
    measure: bool = True,
) -> TrainResult:
    """Train on the project's codings (``source``: coder name, ``consensus``, or all humans).

    ``models`` is where the model goes: the project's folder by default, or a coder's own.
    ``measure``: also measure the model against each human coder on held-out excerpts.
    """
    started = time.perf_counter()
    origin = TrainingSource.parse(source)
    marker = change_marker(project)
    labelled = labelled_excerpts(project, origin)
    if not labelled:
        raise CoderError(
            f"nothing to learn from ({origin.label}): no excerpt is coded or marked reviewed yet"
        )
    active = analyser or project_analyser(project)
    examples = examples_from(labelled, active)
    codes = [code.id for code in project.codebook.codable_codes]
    model = SuggestModel.train(examples, codes, active.matcher.codes, settings, progress=progress)
    if measure:
        if progress is not None:
            progress("held-out measurement", 0, 1)
        measured = held_out_measure(
            examples,
            [item.coder for item in labelled],
            codes,
            active.matcher.codes,
            settings=settings,
        )
        model.meta["measured"] = measured.to_dict()
    model.meta.update(
        {
            "codebook": {"name": project.codebook.name, "version": project.codebook.version},
            "language": active.language,
            "pipeline": active.info.to_dict(),
            "source": origin.label,
            "coders": sorted({item.coder for item in labelled}),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "last_event_id": marker,
            "seconds": round(time.perf_counter() - started, 3),
        }
    )
    folder = (models or ModelFolder(project.root)).save(model)
    return TrainResult(folder, dict(model.meta))


def maybe_retrain(
    project: Project,
    *,
    every: int | None = None,
    source: str | None = None,
    settings: ModelSettings | None = None,
    analyser: Analyser | None = None,
    models: ModelFolder | None = None,
) -> TrainResult | None:
    """Retrain when ``every`` coding decisions (default: ``[suggest] retrain_every``) were
    logged since the current model (or none)."""
    if every is None:
        every = project.settings.suggest.retrain_every
    folder = models or ModelFolder(project.root)
    meta = folder.meta()
    if meta is None:
        since = changes_since(project, 0)
        wanted = source
    else:
        since = changes_since(project, int(meta.get("last_event_id", 0)))
        label = str(meta.get("source", "all"))
        wanted = source if source is not None else label.removeprefix("coder:")
    if since < every:
        return None
    return train_project_model(
        project, source=wanted, settings=settings, analyser=analyser, models=folder
    )


def evaluate_project(
    project: Project,
    *,
    source: str | None = None,
    folds: int = 5,
    seed: int = 0,
    settings: ModelSettings | None = None,
    progress: Any = None,
) -> EvaluationReport:
    """Cross-validated scores on the project's reviewed excerpts, next to indicators alone."""
    origin = TrainingSource.parse(source)
    labelled = labelled_excerpts(project, origin)
    analyser = project_analyser(project)
    examples = examples_from(labelled, analyser)
    codes = [code.id for code in project.codebook.codable_codes]
    report = evaluate_examples(
        examples,
        codes,
        analyser.matcher.codes,
        folds=folds,
        seed=seed,
        settings=settings,
        progress=progress,
    )
    details = {"source": origin.label, "pipeline": analyser.info.to_dict()}
    return EvaluationReport(
        report.scores, report.indicators, report.examples, report.folds, report.codes, details
    )
