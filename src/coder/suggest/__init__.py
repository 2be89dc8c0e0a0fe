"""Code suggestions from spaCy: indicators from the codebook plus a model of the team's coding.

Public API (heavy libraries, spaCy and numpy, load only when first used):

- ``Suggester.for_project(project)`` / ``.suggest(text)`` -> ``list[Suggestion]`` (code id,
  score, threshold, sources, reasons with offsets); ``.refresh()`` picks up a retrained model;
- ``accept``, ``reject``, ``record_shown`` (feedback on what was shown);
- ``train_project_model``, ``maybe_retrain`` (call after each coding from a worker),
  ``evaluate_project``;
- ``cross_validate(texts, labels, codebook, language=..., folds=..., seed=...)`` ->
  ``EvaluationReport``;
- ``most_uncertain`` / ``uncertainty_order`` for active learning.
"""

from __future__ import annotations

from coder.domain.coders import MODEL as MODEL_CODER
from coder.suggest.active import most_uncertain, uncertainty_order, unreviewed_excerpts
from coder.suggest.evaluation import EvaluationReport, cross_validate
from coder.suggest.feedback import accept, record_shown, reject
from coder.suggest.indicators import IndicatorHit
from coder.suggest.model import ModelSettings, SuggestModel
from coder.suggest.model_training import (
    TrainResult,
    evaluate_project,
    maybe_retrain,
    train_project_model,
)
from coder.suggest.pipeline import PipelineInfo, load_pipeline
from coder.suggest.scoring import PRF, Scores
from coder.suggest.suggester import Evidence, Suggester, Suggestion
from coder.suggest.training_data import TrainingSource

__all__ = [
    "MODEL_CODER",
    "PRF",
    "EvaluationReport",
    "Evidence",
    "IndicatorHit",
    "ModelSettings",
    "PipelineInfo",
    "Scores",
    "SuggestModel",
    "Suggester",
    "Suggestion",
    "TrainResult",
    "TrainingSource",
    "accept",
    "cross_validate",
    "evaluate_project",
    "load_pipeline",
    "maybe_retrain",
    "most_uncertain",
    "record_shown",
    "reject",
    "train_project_model",
    "uncertainty_order",
    "unreviewed_excerpts",
]
