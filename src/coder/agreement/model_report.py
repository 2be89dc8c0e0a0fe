"""``ModelReport``: the current suggestion model's held-out agreement, for the agreement report.

The measurement is made when the model is trained (``coder.suggest.held_out``) and stored with
it, so the report shows exactly the figures that decide which codes get suggestions. This
module reads it, labels it with the model's facts (when trained, on what) and renders it for
the CLI (a Rich table, JSON); the TUI's agreement screen shows the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.agreement.model_agreement import ModelAgreement, ModelCodeAgreement

if TYPE_CHECKING:
    from rich.console import Console

    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class ModelReport:
    """One trained model's measurement and where it came from."""

    agreement: ModelAgreement
    """The per-code, per-coder comparisons."""
    trained_at: str
    """When the model was trained (UTC, ISO 8601)."""
    source: str
    """Whose codings it learned from (``all``, ``coder:NAME``, ``consensus``)."""
    excerpts: int
    """Excerpts it was trained on."""

    def statement(self) -> str:
        """What was compared, in one sentence."""
        a = self.agreement
        return (
            f"Model (trained {self.trained_at} on {self.excerpts} excerpts, source "
            f"{self.source}) against each human coder on held-out excerpts: {a.folds}-fold "
            "cross-validation by excerpt (each excerpt suggested by a model that never saw it), "
            f"units = excerpts the coder reviewed; {a.confidence:.0%} intervals from "
            f"{a.replicates} bootstrap replicates, seed {a.seed}. A code whose kappa interval "
            "includes or is below 0 for every coder gets no suggestions."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "trained_at": self.trained_at,
            "source": self.source,
            "excerpts": self.excerpts,
            "statement": self.statement(),
            **self.agreement.to_dict(),
        }


def model_report(project: Project, *, coder: str | None = None) -> ModelReport | None:
    """The measurement of the project's current model (or ``coder``'s own); None if none."""
    from coder.suggest.model_folder import ModelFolder

    meta = ModelFolder(project.root, coder=coder).meta()
    measured = None if meta is None else meta.get("measured")
    if meta is None or not isinstance(measured, dict):
        return None
    return ModelReport(
        ModelAgreement.from_dict(measured),
        str(meta.get("trained_at", "")),
        str(meta.get("source", "")),
        int(meta.get("excerpts", 0)),
    )


def interval(low: float | None, high: float | None) -> str:
    """``[low, high]`` with two decimals, or empty."""
    return "" if low is None or high is None else f"[{low:.2f}, {high:.2f}]"


def verdict(agreement: ModelAgreement, row: ModelCodeAgreement) -> str:
    """``above chance`` / ``chance`` for this comparison; the code's status if withheld."""
    if not row.defined:
        return "not measured"
    mark = "above chance" if row.better_than_chance else "chance"
    return mark + (" · withheld" if agreement.withheld(row.code) else "")


def _share(count: int, units: int) -> str:
    return f"{100 * count / units:.1f}" if units else ""


def render_model_table(report: ModelReport, console: Console) -> None:
    """Print the model's per-code agreement with each coder."""
    from rich.markup import escape
    from rich.table import Table

    console.print(escape(report.statement()))
    table = Table(title="Model as a coder (held out)", title_justify="left")
    for heading in ("code", "coder", "excerpts", "% model", "% coder"):
        table.add_column(heading, justify="left" if heading in ("code", "coder") else "right")
    for heading in ("Cohen κ", "κ CI", "AC1", "AC1 CI", "verdict"):
        table.add_column(heading, justify="right" if heading != "verdict" else "left")
    agreement = report.agreement
    for row in agreement.rows:
        table.add_row(
            row.code,
            row.coder,
            str(row.units),
            _share(row.model_positives, row.units),
            _share(row.coder_positives, row.units),
            "" if row.kappa is None else f"{row.kappa:.3f}",
            interval(row.kappa_low, row.kappa_high),
            "" if row.ac1 is None else f"{row.ac1:.3f}",
            interval(row.ac1_low, row.ac1_high),
            verdict(agreement, row),
        )
    console.print(table)
    withheld = agreement.to_dict()["withheld"]
    if withheld:
        console.print(
            escape(f"No suggestions for {len(withheld)} code(s): {', '.join(withheld)}"),
            style="yellow",
        )
