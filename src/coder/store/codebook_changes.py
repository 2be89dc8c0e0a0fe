"""``CodebookChange``: a codebook edit and the codings it moves, in one transaction with an event.

Adding, editing, moving, merging, splitting and retiring codes change the YAML file (written by
the caller, inside this transaction, so a failed write leaves the database as it was) and, for a
merge or split, move codings from one code to another, for every coder. The ``codebook.*`` event
holds the file's text before and after and every moved coding, so undo (``coder.store.history``)
puts both back. No change may leave a coding whose code the new codebook lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, select, update

from coder.errors import CoderError
from coder.store.bulk import insert_new
from coder.store.coders import ensure_coder
from coder.store.operations import log_event
from coder.store.schema import coders, codings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from coder.store.context import ProjectContext

KINDS = ("add", "edit", "move", "merge", "split", "retire")
"""The codebook changes, logged as ``codebook.<kind>`` events."""


@dataclass(frozen=True, slots=True)
class CodingOfCode:
    """One stored coding of a code, for choosing where it goes in a split."""

    id: int
    """The coding's row id."""
    excerpt_id: int
    """Its excerpt."""
    coder: str
    """Who made it."""
    span: tuple[int, int] | None
    """Its span inside the excerpt, if narrower."""


def codings_of_code(project: ProjectContext, code_id: str) -> list[CodingOfCode]:
    """Every coding of ``code_id`` by any coder, in excerpt order."""
    query = (
        select(
            codings.c.id,
            codings.c.excerpt_id,
            coders.c.name,
            codings.c.span_start,
            codings.c.span_end,
        )
        .join(coders, coders.c.id == codings.c.coder_id)
        .where(codings.c.code_id == code_id)
        .order_by(codings.c.excerpt_id, codings.c.id)
    )
    with project.store.read() as conn:
        return [
            CodingOfCode(
                int(row.id),
                int(row.excerpt_id),
                str(row.name),
                None if row.span_start is None else (int(row.span_start), int(row.span_end)),
            )
            for row in conn.execute(query)
        ]


def count_codings(project: ProjectContext, code_id: str) -> int:
    """How many codings (any coder) use ``code_id``."""
    with project.store.read() as conn:
        query = select(func.count()).select_from(codings).where(codings.c.code_id == code_id)
        return int(conn.execute(query).scalar_one())


def _row(conn: Connection, coding_id: int) -> Any:
    return conn.execute(select(codings).where(codings.c.id == coding_id)).one_or_none()


def _twin(conn: Connection, row: Any, code_id: str) -> bool:
    """Whether the same coder already has ``code_id`` on the same excerpt and span."""
    span = (
        and_(codings.c.span_start.is_(None), codings.c.span_end.is_(None))
        if row.span_start is None
        else and_(codings.c.span_start == row.span_start, codings.c.span_end == row.span_end)
    )
    query = select(codings.c.id).where(
        codings.c.coder_id == row.coder_id,
        codings.c.excerpt_id == row.excerpt_id,
        codings.c.code_id == code_id,
        span,
    )
    return conn.execute(query).first() is not None


def _as_dict(row: Any) -> dict[str, Any]:
    return {key: row._mapping[key] for key in row._mapping}


def move_codings(conn: Connection, moves: Mapping[int, str]) -> list[dict[str, Any]]:
    """Give codings (by row id) another code; one that the coder already has on the same excerpt
    and span is deleted instead (the two become one). Returns what undo needs: each row before,
    with ``to`` (the new code) and ``dropped``."""
    done: list[dict[str, Any]] = []
    for coding_id, target in moves.items():
        row = _row(conn, coding_id)
        if row is None or row.code_id == target:
            continue
        record = _as_dict(row) | {"to": target, "dropped": _twin(conn, row, target)}
        if record["dropped"]:
            conn.execute(delete(codings).where(codings.c.id == coding_id))
        else:
            conn.execute(update(codings).where(codings.c.id == coding_id).values(code_id=target))
        done.append(record)
    return done


def replay_moves(conn: Connection, moved: Iterable[dict[str, Any]], *, forward: bool) -> None:
    """Undo (``forward=False``) or redo the moves ``move_codings`` recorded."""
    records = list(moved)
    for record in records if forward else reversed(records):
        if forward:
            move_codings(conn, {int(record["id"]): str(record["to"])})
            continue
        if record["dropped"]:
            values = {key: value for key, value in record.items() if key not in ("to", "dropped")}
            conn.execute(insert_new(conn, codings).values(**values))
        else:
            conn.execute(
                update(codings)
                .where(codings.c.id == record["id"], codings.c.code_id == record["to"])
                .values(code_id=record["code_id"])
            )


def used_code_ids(conn: Connection) -> set[str]:
    """The distinct code ids of all codings (inside the caller's transaction)."""
    from coder.store.orphans import _used_codes

    return set(_used_codes(conn))


def check_no_orphans(conn: Connection, known: Iterable[str], where: str) -> None:
    """Refuse (CoderError) when codings use a code id that ``known`` lacks."""
    missing = sorted(used_code_ids(conn) - set(known))
    if missing:
        raise CoderError(
            f"{where}: the change would leave codings of {', '.join(missing)} without a code in "
            "the codebook; merge, split or retire the code instead. Nothing was changed."
        )


def record_change(
    project: ProjectContext,
    coder: str,
    kind: str,
    payload: dict[str, Any],
    *,
    known: Iterable[str],
    moves: Mapping[int, str] | None = None,
    write_file: Callable[[], None],
    accepts: int | None = None,
) -> int:
    """Move codings, check none is orphaned, log ``codebook.<kind>``, then ``write_file()``: all
    in one transaction (the file is written last; if that fails nothing is committed).
    ``accepts``: the code proposal this change accepts (closed in the same transaction)."""
    from coder.store.code_proposals import mark_decided, open_code_ids

    if kind not in KINDS:
        raise ValueError(f"unknown codebook change {kind!r}")
    with project.store.write() as conn:
        who = ensure_coder(conn, coder)
        if accepts is not None:
            mark_decided(conn, accepts, "accepted", None)
        moved = move_codings(conn, moves or {})
        known = set(known) | open_code_ids(conn)
        check_no_orphans(conn, known, str(payload.get("file", "the codebook")))
        event = log_event(conn, who, f"codebook.{kind}", payload | {"moved": moved}, undoable=True)
        write_file()
        return event


def replay_change(
    conn: Connection, project: ProjectContext, payload: dict[str, Any], *, forward: bool
) -> None:
    """Undo (``forward=False``) or redo a ``codebook.*`` event: its codings and its file.

    The file must still be as the event left it (apart from the version): a codebook edited
    since is a conflict, reported, never overwritten. The version moves on either way (a
    version names one state of the codebook; going back to an old text is a new version).
    """
    from coder.codebook.codebook_file import CodebookConflictError, CodebookFile
    from coder.codebook.document import CodebookDocument, bumped
    from coder.codebook.loader import parse_codebook

    path = project.root / project.settings.codebook
    current = CodebookFile.read(path)
    expected = payload["yaml_after"] if not forward else payload["yaml_before"]
    target = payload["yaml_before"] if not forward else payload["yaml_after"]
    now = CodebookDocument(current.text, str(path))
    if now.without_version() != CodebookDocument(expected, str(path)).without_version():
        raise CodebookConflictError(
            f"{path}: the codebook was changed since this step ({payload.get('what', '')}); "
            "undoing it would overwrite that change, so nothing was done. Edit the file by hand "
            "or make the opposite change."
        )
    replay_moves(conn, payload.get("moved", ()), forward=forward)
    document = CodebookDocument(target, str(path))
    document.set_version(bumped(now.version, "patch"))
    text = document.text()
    book = parse_codebook(text, str(path), project.settings.limits)
    from coder.store.code_proposals import open_code_ids

    known = {code.id for code in book.codes} | open_code_ids(conn)
    check_no_orphans(conn, known, str(path))
    current.write(text)


def human_coders(project: ProjectContext) -> list[str]:
    """The names of every human coder registered in the project (not model, not consensus)."""
    query = select(coders.c.name).where(coders.c.kind == "human").order_by(coders.c.name)
    with project.store.read() as conn:
        return [str(name) for name in conn.execute(query).scalars()]
