"""Every change a coder makes, as plain functions over a ``Project``: one transaction each.

Each change appends an event (who, when, what, before/after) in the same transaction; undoable
events drive per-coder undo and redo (see ``coder.store.history``). The coder is registered in
that transaction too, so a refused change leaves nothing behind, not even a new coder name.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from coder.domain.events import CASE, CODE, EXCERPT
from coder.domain.transcript import Origin
from coder.errors import CoderError, NotFoundError
from coder.store.bulk import insert_new
from coder.store.coders import check_name, ensure_coder
from coder.store.database import now
from coder.store.schema import (
    case_ratings,
    cases,
    coders,
    codings,
    events,
    excerpts,
    memos,
    new_uid,
    reviews,
)

if TYPE_CHECKING:
    from coder.store.context import ProjectContext

Span = tuple[int, int] | None


def log_event(
    conn: Connection,
    coder: int | None,
    kind: str,
    payload: dict[str, Any],
    *,
    undoable: bool = False,
    target: int | None = None,
) -> int:
    """Append one event; returns its id."""
    result = conn.execute(
        insert(events).values(
            coder_id=coder,
            at=now(),
            kind=kind,
            undoable=undoable,
            target_event=target,
            payload=json.dumps(payload, ensure_ascii=False),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def known_coder(conn: Connection, name: str) -> int | None:
    """Id of an existing coder, or None (never registers one)."""
    found = conn.execute(
        select(coders.c.id).where(coders.c.name == check_name(name))
    ).scalar_one_or_none()
    return None if found is None else int(found)


def check_code(project: ProjectContext, code_id: str) -> None:
    """Raise unless ``code_id`` is a codable code of the project's codebook."""
    if not project.codebook.has_code(code_id):
        raise NotFoundError(f"unknown code {code_id!r} (not in {project.settings.codebook})")
    code = project.codebook.code(code_id)
    if not code.codable:
        raise CoderError(f"code {code_id!r} is a group heading and cannot be applied")
    if code.retired:
        where = code.merged_into or ", ".join(code.split_into)
        instead = f"; use {where}" if where else ""
        raise CoderError(f"code {code_id!r} is retired{instead}")


def _excerpt_bounds(conn: Connection, excerpt_id: int) -> tuple[int, int]:
    row = conn.execute(
        select(excerpts.c.start, excerpts.c.end).where(excerpts.c.id == excerpt_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"unknown excerpt id {excerpt_id}")
    return int(row.start), int(row.end)


def _checked_span(conn: Connection, excerpt_id: int, span: Span) -> Span:
    """The span, validated to lie inside the excerpt; None when it covers the whole excerpt."""
    start, end = _excerpt_bounds(conn, excerpt_id)
    if span is None:
        return None
    if not start <= span[0] < span[1] <= end:
        raise CoderError(
            f"span {span[0]}-{span[1]} is not inside excerpt {excerpt_id} ({start}-{end})"
        )
    return None if (span[0], span[1]) == (start, end) else (int(span[0]), int(span[1]))


def _span_clause(span: Span) -> Any:
    if span is None:
        return and_(codings.c.span_start.is_(None), codings.c.span_end.is_(None))
    return and_(codings.c.span_start == span[0], codings.c.span_end == span[1])


def insert_coding(
    conn: Connection,
    coder: int,
    excerpt_id: int,
    code_id: str,
    origin: str,
    span: Span,
    at: str,
    version: str | None = None,
) -> bool:
    """Insert a coding unless it exists; True when inserted. ``version``: the codebook version
    it is made under."""
    result = conn.execute(
        insert_new(conn, codings)
        .values(
            excerpt_id=excerpt_id,
            code_id=code_id,
            coder_id=coder,
            origin=origin,
            span_start=None if span is None else span[0],
            span_end=None if span is None else span[1],
            created_at=at,
            codebook_version=version,
        )
        .returning(codings.c.id)
    )
    return result.first() is not None


def delete_coding(conn: Connection, coder: int, excerpt_id: int, code_id: str, span: Span) -> Any:
    """Delete a coding; returns the deleted row or None."""
    where = and_(
        codings.c.coder_id == coder,
        codings.c.excerpt_id == excerpt_id,
        codings.c.code_id == code_id,
        _span_clause(span),
    )
    row = conn.execute(
        select(codings.c.origin, codings.c.created_at, codings.c.codebook_version).where(where)
    ).one_or_none()
    if row is not None:
        conn.execute(delete(codings).where(where))
    return row


def _apply(
    conn: Connection,
    who: int,
    excerpt_id: int,
    code_id: str,
    origin: Origin,
    span: Span,
    version: str,
    *,
    review: bool = False,
) -> bool:
    at = now()
    if not insert_coding(conn, who, excerpt_id, code_id, origin.value, span, at, version):
        return False
    payload: dict[str, Any] = {
        "excerpt": excerpt_id,
        "code": code_id,
        "origin": origin.value,
        "span": span,
        "codebook_version": version,
    }
    if review and set_review(conn, who, excerpt_id, reviewed=True):
        payload["marked_reviewed"] = True  # one step: undoing the code takes the mark back too
    log_event(conn, who, "coding.apply", payload | {"created_at": at}, undoable=True)
    return True


def set_review(conn: Connection, who: int, excerpt_id: int, *, reviewed: bool) -> bool:
    """Add or delete one reviewed mark (no event); True when it changed."""
    key = and_(reviews.c.coder_id == who, reviews.c.excerpt_id == excerpt_id)
    exists = conn.execute(select(func.count()).select_from(reviews).where(key)).scalar_one()
    if bool(exists) == reviewed:
        return False
    if reviewed:
        conn.execute(insert(reviews).values(coder_id=who, excerpt_id=excerpt_id, reviewed_at=now()))
    else:
        conn.execute(delete(reviews).where(key))
    return True


def _remove(conn: Connection, who: int, excerpt_id: int, code_id: str, span: Span) -> bool:
    row = delete_coding(conn, who, excerpt_id, code_id, span)
    if row is None:
        return False
    payload = {EXCERPT: excerpt_id, CODE: code_id, "origin": row.origin, "span": span}
    payload["codebook_version"] = row.codebook_version
    log_event(conn, who, "coding.remove", payload | {"created_at": row.created_at}, undoable=True)
    return True


def apply_code(
    project: ProjectContext,
    coder: str,
    excerpt_id: int,
    code_id: str,
    *,
    origin: Origin = Origin.MANUAL,
    span: Span = None,
) -> bool:
    """Apply a code to an excerpt (or a span of it); False when it was already applied."""
    check_code(project, code_id)
    with project.store.write() as conn:
        span = _checked_span(conn, excerpt_id, span)
        who = ensure_coder(conn, coder)
        return _apply(conn, who, excerpt_id, code_id, origin, span, project.codebook.version)


def remove_code(
    project: ProjectContext, coder: str, excerpt_id: int, code_id: str, *, span: Span = None
) -> bool:
    """Remove a coding; False when there was none."""
    with project.store.write() as conn:
        span = _checked_span(conn, excerpt_id, span)
        who = known_coder(conn, coder)
        return who is not None and _remove(conn, who, excerpt_id, code_id, span)


def toggle_code(
    project: ProjectContext,
    coder: str,
    excerpt_id: int,
    code_id: str,
    *,
    origin: Origin = Origin.MANUAL,
    span: Span = None,
    review: bool = False,
) -> bool:
    """Apply the code if absent, remove it if present (one transaction); True if applied now.

    With ``review`` an applied code also marks the excerpt reviewed, in the same undo step.
    """
    with project.store.write() as conn:
        span = _checked_span(conn, excerpt_id, span)
        who = known_coder(conn, coder)
        if who is not None and _remove(conn, who, excerpt_id, code_id, span):
            return False
        check_code(project, code_id)
        who = ensure_coder(conn, coder)
        version = project.codebook.version
        return _apply(conn, who, excerpt_id, code_id, origin, span, version, review=review)


def mark_reviewed(
    project: ProjectContext,
    coder: str,
    excerpt_id: int,
    reviewed: bool = True,
    *,
    undoable: bool = False,
) -> bool:
    """Record that the coder has (or has not) looked at an excerpt; True when it changed.

    ``undoable``: a step of the coder's own, like a coding (the TUI's space and backspace), so
    ``u`` takes it back in order; a mark that belongs to another change stays out of the stack.
    """
    with project.store.write() as conn:
        _excerpt_bounds(conn, excerpt_id)
        who = ensure_coder(conn, coder)
        if not set_review(conn, who, excerpt_id, reviewed=reviewed):
            return False
        payload = {"excerpt": excerpt_id, "reviewed": reviewed}
        log_event(conn, who, "review.mark", payload, undoable=undoable)
        return True


def mark_rest_reviewed(project: ProjectContext, coder: str, excerpt_ids: list[int]) -> list[int]:
    """Mark excerpts reviewed ("the rest has no codes") in one undoable step; the ids marked."""
    with project.store.write() as conn:
        for excerpt_id in excerpt_ids:
            _excerpt_bounds(conn, excerpt_id)
        who = ensure_coder(conn, coder)
        marked = [e for e in excerpt_ids if set_review(conn, who, e, reviewed=True)]
        if marked:
            log_event(conn, who, "review.rest", {"excerpts": marked}, undoable=True)
        return marked


def check_rating(project: ProjectContext, attribute: str, value: str | None) -> str | None:
    """Validate a rating value against the attribute's kind and levels; returns it normalised."""
    try:
        spec = project.codebook.attribute(attribute)
    except KeyError:
        raise NotFoundError(f"unknown case attribute {attribute!r}") from None
    if value is None:
        return None
    value = value.strip()
    if spec.kind in ("nominal", "ordinal") and spec.level(value) is None:
        # a level's label (in any language, any case) means that level: "Kvinne" -> female
        by_label = {
            label.casefold(): level.id for level in spec.levels for label in level.label.values()
        }
        if value.casefold() not in by_label:
            allowed = ", ".join(level.id for level in spec.levels)
            raise CoderError(f"{value!r} is not a level of {attribute} ({allowed})")
        value = by_label[value.casefold()]
    if spec.kind == "interval":
        value = value.replace(",", ".")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise CoderError(f"{attribute} needs a number, not {value!r}")
    return value


def _check_case(conn: Connection, case_id: str) -> None:
    if conn.execute(select(cases.c.id).where(cases.c.id == case_id)).one_or_none() is None:
        raise NotFoundError(f"unknown case {case_id!r}")


def set_rating(
    project: ProjectContext, coder: str, case_id: str, attribute: str, value: str | None
) -> bool:
    """Set (or with None clear) this coder's rating of a case attribute; True when it changed."""
    value = check_rating(project, attribute, value)
    with project.store.write() as conn:
        _check_case(conn, case_id)
        who = ensure_coder(conn, coder)
        key = and_(
            case_ratings.c.case_id == case_id,
            case_ratings.c.attribute == attribute,
            case_ratings.c.coder_id == who,
        )
        before = conn.execute(select(case_ratings.c.value).where(key)).scalar_one_or_none()
        if before == value:
            return False
        write_rating(conn, who, case_id, attribute, value)
        payload = {CASE: case_id, "attribute": attribute, "before": before, "after": value}
        log_event(conn, who, "rating.set", payload, undoable=True)
        return True


def write_rating(
    conn: Connection, who: int, case_id: str, attribute: str, value: str | None
) -> None:
    """Store or clear one rating (no event)."""
    key = and_(
        case_ratings.c.case_id == case_id,
        case_ratings.c.attribute == attribute,
        case_ratings.c.coder_id == who,
    )
    conn.execute(delete(case_ratings).where(key))
    if value is not None:
        conn.execute(
            insert(case_ratings).values(
                case_id=case_id, attribute=attribute, coder_id=who, value=value, rated_at=now()
            )
        )


def add_memo(
    project: ProjectContext,
    coder: str,
    text: str,
    *,
    excerpt_id: int | None = None,
    code_id: str | None = None,
    case_id: str | None = None,
) -> int:
    """Write a memo on an excerpt, a code, a case, or (none given) the project; returns its id."""
    if not text.strip():
        raise CoderError("a memo cannot be empty")
    if sum(target is not None for target in (excerpt_id, code_id, case_id)) > 1:
        raise CoderError("a memo belongs to one excerpt, code or case")
    if code_id is not None and not project.codebook.has_code(code_id):
        raise NotFoundError(f"unknown code {code_id!r}")
    with project.store.write() as conn:
        if excerpt_id is not None:
            _excerpt_bounds(conn, excerpt_id)
        if case_id is not None:
            _check_case(conn, case_id)
        who = ensure_coder(conn, coder)
        at, uid = now(), new_uid()
        row = {"excerpt_id": excerpt_id, "code_id": code_id, "case_id": case_id, "text": text}
        result = conn.execute(
            insert(memos).values(coder_id=who, created_at=at, updated_at=at, uid=uid, **row)
        )
        memo_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        payload = _memo_payload(memo_id, uid, excerpt_id, code_id, case_id, text, at)
        log_event(conn, who, "memo.add", payload, undoable=True)
        return memo_id


def _memo_payload(
    memo_id: int,
    uid: str,
    excerpt_id: int | None,
    code_id: str | None,
    case_id: str | None,
    text: str,
    created_at: str,
) -> dict[str, Any]:
    """A memo event's payload: what undo needs to restore or remove the memo.

    ``memo_uid`` is the memo's identity in every copy of the project; ``memo`` its local id.
    """
    return {
        "memo": memo_id,
        "memo_uid": uid,
        EXCERPT: excerpt_id,
        CODE: code_id,
        CASE: case_id,
        "text": text,
        "created_at": created_at,
    }


def _own_memo(conn: Connection, coder: str, memo_id: int) -> tuple[int, Any]:
    who = known_coder(conn, coder)
    row = conn.execute(select(memos).where(memos.c.id == memo_id)).one_or_none()
    if who is None or row is None or row.coder_id != who:
        raise NotFoundError(f"no memo {memo_id} by {coder}")
    return who, row


def edit_memo(project: ProjectContext, coder: str, memo_id: int, text: str) -> bool:
    """Replace a memo's text; True when it changed."""
    if not text.strip():
        raise CoderError("a memo cannot be empty; delete it instead")
    with project.store.write() as conn:
        who, row = _own_memo(conn, coder, memo_id)
        if row.text == text:
            return False
        conn.execute(update(memos).where(memos.c.id == memo_id).values(text=text, updated_at=now()))
        payload = {"memo": memo_id, "memo_uid": row.uid, "before": row.text, "after": text}
        log_event(conn, who, "memo.edit", payload, undoable=True)
        return True


def delete_memo(project: ProjectContext, coder: str, memo_id: int) -> None:
    """Delete a memo (undo restores it)."""
    with project.store.write() as conn:
        who, row = _own_memo(conn, coder, memo_id)
        conn.execute(delete(memos).where(memos.c.id == memo_id))
        payload = _memo_payload(
            memo_id, row.uid, row.excerpt_id, row.code_id, row.case_id, row.text, row.created_at
        )
        log_event(conn, who, "memo.delete", payload, undoable=True)
