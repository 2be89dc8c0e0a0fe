"""Agreement reports rendered: a Rich table for people, CSV and JSON for programs.

The CSV has one row per code, the pooled row (``scope=overall``) and one per transcript, or one
per attribute at the case level; undefined coefficients are empty cells with the reason in
``note``. Column names are fixed here for the CLI and the TUI alike.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from coder.agreement.result import TOO_FEW

if TYPE_CHECKING:
    from rich.console import Console

    from coder.agreement.agreement_row import AgreementRow
    from coder.agreement.case_report import AttributeAgreement, CaseReport
    from coder.agreement.excerpt_report import ExcerptReport
    from coder.agreement.result import Coefficient

FLAG_STYLE = {"ok": "green", "tentative": "yellow", "discard": "red", "undefined": "dim"}


def render_json(report: ExcerptReport | CaseReport) -> str:
    """The report as indented JSON (layout in docs/agreement.md)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _ci(coefficient: Coefficient) -> tuple[str, str]:
    ci = coefficient.ci
    return ("", "") if ci is None else (_num(ci.low, 4), _num(ci.high, 4))


def _note(*coefficients: Coefficient) -> str:
    reasons = dict.fromkeys(f"{c.name}: {c.reason}" for c in coefficients if c.reason is not None)
    return "; ".join(reasons)


def excerpt_rows(report: ExcerptReport) -> list[dict[str, Any]]:
    """CSV rows of an excerpt-level report."""
    rows = []
    for row in (*report.codes, report.overall, *report.transcripts):
        alpha_low, alpha_high = _ci(row.alpha)
        kappa_low, kappa_high = _ci(row.kappa)
        ac1_low, ac1_high = _ci(row.ac1)
        item: dict[str, Any] = {
            "level": "excerpt",
            "scope": row.scope,
            "id": row.id or "",
            "label": row.label or "",
            "units": row.units,
            "cells": row.cells,
        }
        for name, share in row.prevalence.items():
            item[f"prevalence_{name}"] = _num(share, 4)
        item |= {
            "percent_agreement": _num(row.percent_agreement.value, 4),
            "kappa_name": row.kappa.name,
            "kappa": _num(row.kappa.value, 4),
            "kappa_ci_low": kappa_low,
            "kappa_ci_high": kappa_high,
            "alpha": _num(row.alpha.value, 4),
            "alpha_ci_low": alpha_low,
            "alpha_ci_high": alpha_high,
            "ac1": _num(row.ac1.value, 4),
            "ac1_ci_low": ac1_low,
            "ac1_ci_high": ac1_high,
            "brennan_prediger": _num(row.brennan_prediger.value, 4),
            "flag": row.flag,
            "note": _note(row.percent_agreement, row.kappa, row.alpha, row.ac1),
        }
        rows.append(item)
    return rows


def case_rows(report: CaseReport) -> list[dict[str, Any]]:
    """CSV rows of a case-level report."""
    rows = []
    for item in report.attributes:
        alpha_low, alpha_high = _ci(item.alpha)
        kappa_low, kappa_high = _ci(item.kappa)
        linear = item.weighted_kappa.get("linear")
        quadratic = item.weighted_kappa.get("quadratic")
        rows.append(
            {
                "level": "case",
                "scope": "attribute",
                "id": item.attribute,
                "label": item.label,
                "kind": item.kind,
                "units": item.units,
                "left_out": len(item.excluded),
                "percent_agreement": _num(item.percent_agreement.value, 4),
                "alpha": _num(item.alpha.value, 4),
                "alpha_level": item.alpha.variant or "",
                "alpha_ci_low": alpha_low,
                "alpha_ci_high": alpha_high,
                "kappa_name": item.kappa.name,
                "kappa_weights": item.kappa.variant or "",
                "kappa": _num(item.kappa.value, 4),
                "kappa_ci_low": kappa_low,
                "kappa_ci_high": kappa_high,
                "kappa_linear": _num(None if linear is None else linear.value, 4),
                "kappa_quadratic": _num(None if quadratic is None else quadratic.value, 4),
                "ac_name": item.ac.name,
                "ac": _num(item.ac.value, 4),
                "flag": item.flag,
                "note": _note(item.percent_agreement, item.alpha, item.kappa, item.ac),
            }
        )
    return rows


def render_csv(report: ExcerptReport | CaseReport) -> str:
    """The report as CSV text."""
    from coder.agreement.case_report import CaseReport

    rows = case_rows(report) if isinstance(report, CaseReport) else excerpt_rows(report)
    buffer = io.StringIO()
    header = list(rows[0]) if rows else ["level", "scope", "id"]
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(coefficient: Coefficient, *, ci: bool = False) -> str:
    if coefficient.value is None:
        if (coefficient.reason or "").startswith(TOO_FEW):
            return f"[dim]{TOO_FEW}[/dim]"
        return "[dim]undef.[/dim]"
    text = f"{coefficient.value:.3f}"
    if ci and coefficient.ci is not None and coefficient.ci.defined:
        text += f" [dim][{coefficient.ci.low:.2f}, {coefficient.ci.high:.2f}][/dim]"
    return text


def _flag(flag: str) -> str:
    return f"[{FLAG_STYLE[flag]}]{flag}[/{FLAG_STYLE[flag]}]"


def _excerpt_table(title: str, rows: list[AgreementRow], coders: tuple[str, ...]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", caption_justify="left")
    width = min(40, max([len(row.id or "all codes") for row in rows] + [4]))
    heading = "code" if rows and rows[0].scope == "code" else "transcript"
    table.add_column(heading, min_width=width, overflow="fold")
    table.add_column("excerpts", justify="right", no_wrap=True)
    for name in coders:
        table.add_column(f"% {name}", justify="right", no_wrap=True)
    kappa = "Cohen κ" if len(coders) == 2 else "Fleiss κ"
    for heading in ("agree", kappa, "α", "α CI", "AC1"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("flag", no_wrap=True)
    for row in rows:
        low, high = _ci(row.alpha)
        table.add_row(
            row.id or "all codes",
            str(row.units),
            *(_num(None if v is None else 100 * v, 1) for v in row.prevalence.values()),
            _cell(row.percent_agreement),
            _cell(row.kappa),
            _cell(row.alpha),
            f"[{float(low):.2f}, {float(high):.2f}]" if low else "",
            _cell(row.ac1),
            _flag(row.flag),
        )
    return table


def _attribute_lines(item: AttributeAgreement) -> list[str]:
    lines = [
        f"[bold]{item.attribute}[/bold] ({item.kind}): {item.units} cases, "
        f"alpha ({item.alpha.variant}) {_cell(item.alpha, ci=True)} [{_flag(item.flag)}], "
        f"{item.kappa.name} ({item.kappa.variant or 'unweighted'}) "
        f"{_cell(item.kappa, ci=True)}, "
        f"{item.ac.name} {_cell(item.ac)}, agreement {_cell(item.percent_agreement)}"
    ]
    for weights, coefficient in item.weighted_kappa.items():
        lines.append(f"  Cohen's kappa, {weights} weights: {_cell(coefficient)}")
    if item.units == 0:
        lines.append("  no case was rated by every compared coder: nothing to tabulate")
    for table in item.confusion if item.units else ():
        lines.append(f"  {table.coders[0]} (rows) x {table.coders[1]} (columns):")
        width = max(len(level) for level in table.levels)
        lines.append("    " + " " * width + "".join(f" {lv:>{width}}" for lv in table.levels))
        for level, counts in zip(table.levels, table.counts, strict=True):
            lines.append(f"    {level:>{width}}" + "".join(f" {n:>{width}}" for n in counts))
    for excluded in item.excluded:
        lines.append(f"  left out: {excluded.case_id} ({excluded.reason})")
    return lines


def render_table(report: ExcerptReport | CaseReport, console: Console) -> None:
    """Print the report for people: tables coloured by Krippendorff's thresholds."""
    from rich.markup import escape

    from coder.agreement.case_report import CaseReport

    console.print(escape(report.statement()))
    if isinstance(report, CaseReport):
        for item in report.attributes:
            for line in _attribute_lines(item):
                console.print(line, highlight=False)
        return
    console.print(_excerpt_table("Per code", [*report.codes, report.overall], report.coders))
    if report.transcripts:
        console.print(
            _excerpt_table("Per transcript (all codes)", list(report.transcripts), report.coders)
        )
    grouped: dict[str, list[str]] = {}
    for row in report.codes:
        if row.alpha.value is None or row.kappa.value is None:
            grouped.setdefault(_note(row.kappa, row.alpha), []).append(row.id or "")
    for note, ids in grouped.items():  # one line per reason, not one per unused code
        count = f"{len(ids)} code{'s' if len(ids) != 1 else ''}"
        console.print(escape(f"{count} undefined: {note}: {', '.join(ids)}"), style="dim")
    if report.bootstrap is not None:
        b = report.bootstrap
        console.print(
            f"Intervals: {b.confidence:.0%}, {b.method}, {b.replicates} replicates, seed {b.seed}."
            " Flags: Krippendorff's alpha < .667 discard, < .800 tentative.",
            highlight=False,
        )
