"""The project agreement report: ``agreement_report(project, level=...)``.

``level="excerpt"`` (``ExcerptReport``): units are the codable excerpts every compared coder
reviewed; per code, pooled over codes, and per transcript. ``level="case"`` (``CaseReport``):
units are cases, per case attribute (relational robustness). Both are data first
(``to_dict()``), rendered by ``coder.agreement.render``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from coder.agreement.agreement_row import AgreementRow, BootstrapSettings
from coder.agreement.bootstrap import DEFAULT_CONFIDENCE, DEFAULT_REPLICATES
from coder.agreement.case_report import AttributeAgreement, CaseReport, Confusion, case_report
from coder.agreement.excerpt_report import ExcerptReport, Progress, excerpt_report

if TYPE_CHECKING:
    from coder.project.project import Project

ReportLevel = Literal["excerpt", "case"]

__all__ = [
    "AgreementRow",
    "AttributeAgreement",
    "BootstrapSettings",
    "CaseReport",
    "Confusion",
    "ExcerptReport",
    "agreement_report",
    "case_report",
    "excerpt_report",
]


def agreement_report(
    project: Project,
    *,
    level: ReportLevel = "excerpt",
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    bootstrap: int = DEFAULT_REPLICATES,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    progress: Progress | None = None,
    codebook_version: str | None = None,
) -> ExcerptReport | CaseReport:
    """The agreement report at ``level``; ``codes`` and ``codebook_version`` (only codings
    made under that version) apply to the excerpt level only."""
    if level == "excerpt":
        return excerpt_report(
            project,
            codebook_version=codebook_version,
            coders=coders,
            codes=codes,
            bootstrap=bootstrap,
            seed=seed,
            confidence=confidence,
            progress=progress,
        )
    if level == "case":
        return case_report(
            project, coders=coders, bootstrap=bootstrap, seed=seed, confidence=confidence
        )
    raise ValueError(f"unknown level {level!r}; use 'excerpt' or 'case'")
