"""``coder cases import``: one row per case, one column per case attribute."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection

from coder.errors import CoderError, Problem, ValidationError
from coder.store.bulk import bulk_execute, bulk_insert
from coder.store.csv_input import paused_gc, problem, read_csv_rows
from coder.store.database import now, writer
from coder.store.importer import check_id
from coder.store.operations import check_rating, log_event
from coder.store.schema import case_attributes, cases

if TYPE_CHECKING:
    from coder.project.project import Project

ID_COLUMNS = ("case", "case_id", "id")


def import_cases(project: Project, path: Path) -> int:
    """Store every row's attributes (all or nothing); returns the number of cases."""
    with paused_gc():
        return _import_cases(project, path)


def _import_cases(project: Project, path: Path) -> int:
    header, rows = read_csv_rows(path)
    id_column = next((name for name in ID_COLUMNS if name in header), None)
    if id_column is None:
        raise ValidationError(
            [problem(path, 1, "", "needs a 'case' column with the case ids")], what=str(path)
        )
    known = {spec.id for spec in project.codebook.attributes}
    attributes = [name for name in header if name != id_column]
    problems: list[Problem] = [
        problem(
            path,
            1,
            name,
            f"unknown case attribute '{name}' (the codebook has: {', '.join(sorted(known))})",
        )
        for name in attributes
        if name not in known
    ]
    first_line: dict[str, int] = {}
    values: dict[str, dict[str, str | None]] = {}
    checked: dict[tuple[str, str], str | None] = {}  # values repeat: check each one once
    columns = [name for name in attributes if name in known]
    for line, row in rows:
        raw_id = row.get(id_column, "")
        try:
            case_id = check_id(raw_id, "case")
        except CoderError as exc:
            problems.append(problem(path, line, id_column, str(exc)))
            continue
        if case_id in first_line:
            problems.append(
                problem(
                    path,
                    line,
                    id_column,
                    f"duplicate case id '{case_id}' (also on line {first_line[case_id]})",
                )
            )
            continue
        first_line[case_id] = line
        attrs: dict[str, str | None] = {}
        for name in columns:
            text = row.get(name, "")
            if not text:
                attrs[name] = None
                continue
            key = (name, text)
            if key not in checked:
                try:
                    checked[key] = check_rating(project, name, text)
                except CoderError as exc:
                    problems.append(problem(path, line, name, str(exc)))
                    continue
            attrs[name] = checked[key]
        values[case_id] = attrs
    if problems:
        raise ValidationError(problems, what=str(path))
    del rows, checked  # the file's rows are in ``values`` now: free them before writing
    with writer(project.engine).begin() as conn:
        _store(conn, path, values)
    return len(values)


def _store(conn: Connection, path: Path, values: dict[str, dict[str, str | None]]) -> None:
    """Write every case's attributes in a few bulk statements, with one event of the changes."""
    existing = set(conn.execute(select(cases.c.id)).scalars())
    before: dict[str, dict[str, str | None]] = {}
    for case_id, attribute, value in conn.execute(select(case_attributes)):
        before.setdefault(str(case_id), {})[str(attribute)] = value
    at = now()
    new_cases = [(case_id, at) for case_id in values if case_id not in existing]
    changes: dict[str, dict[str, list[str | None]]] = {}
    stale: list[tuple[str, str]] = []
    fresh: list[tuple[str, str, str | None]] = []
    empty: dict[str, str | None] = {}
    for case_id, attrs in values.items():
        old = before.get(case_id, empty)
        # merge: columns the file has are set (an empty cell clears), others are kept
        changed = {
            name: [old.get(name), value]
            for name, value in sorted(attrs.items())
            if old.get(name) != value
        }
        if changed:
            changes[case_id] = changed
        if old:
            stale.extend((case_id, name) for name in attrs if name in old)
        fresh.extend([(case_id, name, value) for name, value in attrs.items()])
    bulk_insert(conn, cases, ("id", "created_at"), new_cases)
    forget = delete(case_attributes).where(
        case_attributes.c.case_id == bindparam("c"), case_attributes.c.attribute == bindparam("a")
    )
    bulk_execute(conn, forget, ("c", "a"), stale)
    bulk_insert(conn, case_attributes, ("case_id", "attribute", "value"), fresh)
    payload = {"file": str(path), "cases": len(values), "changes": changes}
    log_event(
        conn, None, "cases.imported", payload
    )  # changes: case -> attribute -> [before, after]
