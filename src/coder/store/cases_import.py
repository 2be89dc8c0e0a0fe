"""``coder cases import``: one row per case, one column per case attribute."""

from __future__ import annotations

from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Connection

from coder.errors import CoderError, Problem, ValidationError
from coder.store.bulk import bulk_execute, bulk_insert
from coder.store.csv_input import paused_gc, problem, read_csv_table
from coder.store.database import now
from coder.store.importer import check_id
from coder.store.operations import check_rating, log_event
from coder.store.schema import case_attributes, cases

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

ID_COLUMNS = ("case", "case_id", "id")


def import_cases(project: ProjectContext, path: Path) -> int:
    """Store every row's attributes (all or nothing); returns the number of cases."""
    with paused_gc():
        return _import_cases(project, path)


def _import_cases(project: ProjectContext, path: Path) -> int:
    header, lines, rows = read_csv_table(path)
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
    # the file by columns: each check runs once per distinct value, in C-speed passes
    cells = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    del rows  # the columns hold the cells now: free the rows before writing
    ids = list(cells[header.index(id_column)])
    text = {name: cells[header.index(name)] for name in attributes if name in known}
    values = None if problems or not _ids_valid(ids) else _checked(project, text)
    if values is None:  # a problem somewhere: find every one, row by row, with its line
        problems.extend(_row_problems(project, path, lines, id_column, ids, text))
        raise ValidationError(problems, what=str(path))
    del cells, text
    with project.store.write() as conn:
        _store(conn, path, ids, values)
    return len(ids)


def _ids_valid(ids: list[str]) -> bool:
    """True when every id passes ``check_id`` (the cells are stripped) and none repeats."""
    joined = "".join(ids)
    return (
        all(ids)
        and "/" not in joined
        and "\\" not in joined
        and joined.isprintable()
        and len(set(ids)) == len(ids)
    )


def _checked(
    project: ProjectContext, text: dict[str, tuple[str, ...]]
) -> dict[str, list[str | None]] | None:
    """Each column's normalised values (an empty cell is None); None when one is invalid."""
    values: dict[str, list[str | None]] = {}
    for name, column in text.items():
        normal: dict[str, str | None] = {"": None}
        try:
            for cell in set(column) - {""}:
                normal[cell] = check_rating(project, name, cell)
        except CoderError:
            return None
        values[name] = list(map(normal.__getitem__, column))
    return values


def _row_problems(
    project: ProjectContext,
    path: Path,
    lines: list[int],
    id_column: str,
    ids: list[str],
    text: dict[str, tuple[str, ...]],
) -> list[Problem]:
    """Every problem of the rows, in line order (the slow walk, only for a file with problems)."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    checked: dict[tuple[str, str], str | None] = {}  # values repeat: check each one once
    for index, line in enumerate(lines):
        try:
            case_id = check_id(ids[index], "case")
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
        for name, column in text.items():
            cell = column[index]
            if cell and (name, cell) not in checked:
                try:
                    checked[name, cell] = check_rating(project, name, cell)
                except CoderError as exc:
                    problems.append(problem(path, line, name, str(exc)))
    return problems


def _store(
    conn: Connection, path: Path, ids: list[str], values: dict[str, list[str | None]]
) -> None:
    """Write every case's attributes in a few bulk statements, with one event of the changes."""
    existing = set(conn.execute(select(cases.c.id)).scalars())
    before: dict[str, dict[str, str | None]] = {}
    for case_id, attribute, value in conn.execute(select(case_attributes)):
        before.setdefault(str(case_id), {})[str(attribute)] = value
    at = now()
    new_cases = [(case_id, at) for case_id in ids if case_id not in existing]
    names = sorted(values)
    # merge: columns the file has are set (an empty cell clears), others are kept
    stale = [
        (case_id, name)
        for case_id in ids
        if case_id in before
        for name in names
        if name in before[case_id]
    ]
    # row by row (the primary key's order), built by zip: no Python code per cell
    fresh = list(
        chain.from_iterable(zip(*(zip(ids, repeat(n), values[n]) for n in names), strict=True))
    )
    bulk_insert(conn, cases, ("id", "created_at"), new_cases)
    forget = delete(case_attributes).where(
        case_attributes.c.case_id == bindparam("c"), case_attributes.c.attribute == bindparam("a")
    )
    bulk_execute(conn, forget, ("c", "a"), stale)
    bulk_insert(conn, case_attributes, ("case_id", "attribute", "value"), fresh)
    payload = {"file": str(path), "cases": len(ids), "changes": _changes(ids, values, before)}
    log_event(conn, None, "cases.imported", payload)


def _changes(
    ids: list[str], values: dict[str, list[str | None]], before: dict[str, dict[str, str | None]]
) -> dict[str, dict[str, list[str | None]]]:
    """The audit trail: case -> attribute -> [before, after], for the values that changed."""
    changes: dict[str, dict[str, list[str | None]]] = {}
    names = sorted(values)
    if not names:  # a file with the case column only changes no attribute
        return changes
    for case_id, row in zip(ids, zip(*(values[name] for name in names), strict=True), strict=True):
        old = before.get(case_id)
        if old is None:  # a new case (every case of a first import): set values only
            changed = {
                name: [None, value]
                for name, value in zip(names, row, strict=True)
                if value is not None
            }
        else:
            changed = {
                name: [old.get(name), value]
                for name, value in zip(names, row, strict=True)
                if old.get(name) != value
            }
        if changed:
            changes[case_id] = changed
    return changes
