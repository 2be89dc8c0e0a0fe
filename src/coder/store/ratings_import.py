"""``coder ratings import``: coders' ratings of case attributes from CSV, all or nothing.

One row per case and coder: a ``case`` column, a ``coder`` column (or ``--coder``), and one
column per rated attribute. A filled cell sets that coder's rating; an empty cell leaves it as it
is. Values are level ids or labels (``trembling``, ``Skjelvende``) or numbers for interval ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from coder.domain.coders import RESERVED_CODERS, check_name
from coder.errors import CoderError, Problem, ValidationError
from coder.store.cases_import import ID_COLUMNS
from coder.store.coders import ensure_coder
from coder.store.csv_input import problem, read_csv_rows
from coder.store.operations import check_rating, log_event, write_rating
from coder.store.schema import case_ratings, cases

if TYPE_CHECKING:
    from coder.store.context import ProjectContext


@dataclass(frozen=True, slots=True)
class RatingsImport:
    """What a ratings import stored."""

    rows: int
    """Rows read."""
    changed: int
    """Ratings set or changed (an identical rating is not counted)."""
    coders: tuple[str, ...]
    """Coders the rows belonged to."""


def import_ratings(
    project: ProjectContext, path: Path, *, coder: str | None = None
) -> RatingsImport:
    """Validate every cell, then store all ratings in one transaction."""
    header, rows = read_csv_rows(path)
    id_column = next((name for name in ID_COLUMNS if name in header), None)
    known = {spec.id for spec in project.codebook.attributes}
    attributes = [name for name in header if name not in (id_column, "coder")]
    problems: list[Problem] = []
    if id_column is None:
        problems.append(problem(path, 1, "", "needs a 'case' column with the case ids"))
    if coder is None and "coder" not in header:
        problems.append(problem(path, 1, "coder", "no 'coder' column: pass --coder NAME"))
    for name in attributes:
        if name not in known:
            listed = ", ".join(sorted(known))
            problems.append(problem(path, 1, name, f"unknown case attribute '{name}' ({listed})"))
    if not rows:
        problems.append(problem(path, 1, "", "no rows below the header: nothing to import"))
    if problems:
        raise ValidationError(problems, what=str(path))
    with project.store.write() as conn:
        existing = set(conn.execute(select(cases.c.id)).scalars())
        planned: list[tuple[str, str, str, str]] = []
        seen: dict[tuple[str, str], int] = {}
        for line, row in rows:
            case_id = row.get(id_column or "", "")
            try:
                name = check_name(row.get("coder") or coder or "")
            except CoderError as exc:
                problems.append(problem(path, line, "coder", str(exc)))
                continue
            if name in RESERVED_CODERS:
                problems.append(problem(path, line, "coder", f"'{name}' is reserved"))
            if case_id not in existing:
                problems.append(
                    problem(path, line, id_column or "case", f"unknown case '{case_id}'")
                )
                continue
            if (case_id, name) in seen:
                first = seen[(case_id, name)]
                message = f"case '{case_id}' rated by {name} twice (also on line {first})"
                problems.append(problem(path, line, id_column or "case", message))
                continue
            seen[(case_id, name)] = line
            for attribute in attributes:
                text = row.get(attribute, "")
                if not text:
                    continue
                try:
                    value = check_rating(project, attribute, text)
                except CoderError as exc:
                    problems.append(problem(path, line, attribute, str(exc)))
                    continue
                if value is not None:
                    planned.append((name, case_id, attribute, value))
        if problems:
            raise ValidationError(problems, what=str(path))
        changed = 0
        ids = {name: ensure_coder(conn, name) for name in sorted({p[0] for p in planned})}
        for name, case_id, attribute, value in planned:
            who = ids[name]
            before = conn.execute(
                select(case_ratings.c.value).where(
                    case_ratings.c.case_id == case_id,
                    case_ratings.c.attribute == attribute,
                    case_ratings.c.coder_id == who,
                )
            ).scalar_one_or_none()
            if before == value:
                continue
            write_rating(conn, who, case_id, attribute, value)
            payload = {"case": case_id, "attribute": attribute, "before": before, "after": value}
            log_event(conn, who, "rating.imported", payload)
            changed += 1
        log_event(conn, None, "ratings.imported", {"file": str(path), "rows": len(rows)})
    return RatingsImport(len(rows), changed, tuple(sorted(ids)))
