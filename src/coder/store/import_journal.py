"""Rollback bookkeeping for an import that commits in batches: all rows or none, to the user.

A big ``codings import`` commits in short batches so that coders working at the same time
never wait long for the write lock. Every row it writes carries the import's own timestamp
(``created_at`` / ``reviewed_at``), so the rows of one import can always be found again. A
journal file in ``.coder/imports/`` names that timestamp and the coders; it is written (and
synced) before the first batch commits and removed after the last one. The importing process
holds an exclusive ``flock`` on it for as long as it runs.

- When a batch fails (bad data found late, a full disk, Ctrl-C), ``rollback`` deletes what the
  earlier batches committed and the journal is removed: nothing is left.
- When the process is killed, the journal stays; the next import (or ``recover``) finds it
  unlocked, rolls the rows back and removes it. A journal still locked belongs to a running
  import and is left alone.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.engine import Engine

from coder.store.database import writer
from coder.store.schema import case_ratings, coders, codings, events, memos, reviews

FOLDER = "imports"
"""Sub-folder of ``.coder/`` holding the journals of running imports."""


class ImportJournal:
    """The journal of one batched import; ``close`` (or ``rollback``) ends it."""

    def __init__(self, database: Path, at: str) -> None:
        folder = database.parent / FOLDER
        folder.mkdir(mode=0o700, exist_ok=True)
        self.at = at
        self.path = folder / f"codings-{secrets.token_hex(8)}.json"
        self._fd: int | None = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self.coder_ids: list[int] = []
        self.new_coders: list[int] = []

    def record(self, coder_ids: list[int], new_coders: list[int]) -> None:
        """Write (and sync) what a rollback needs, before the first batch commits."""
        assert self._fd is not None
        self.coder_ids, self.new_coders = list(coder_ids), list(new_coders)
        data = {"kind": "codings", "at": self.at, "coders": coder_ids, "new_coders": new_coders}
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(data).encode(), 0)
        os.fsync(self._fd)

    def rollback(self, engine: Engine) -> None:
        """Delete every row the import committed, then end the journal."""
        undo(engine, self.at, self.coder_ids, self.new_coders)
        self.close()

    def close(self) -> None:
        """End the journal: the import finished (or was rolled back)."""
        self.path.unlink(missing_ok=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def undo(engine: Engine, at: str, coder_ids: list[int], new_coders: list[int]) -> None:
    """Delete the rows an import stamped ``at`` wrote, and the coders it created if unused."""
    with writer(engine).begin() as conn:
        conn.execute(
            delete(codings).where(codings.c.created_at == at, codings.c.coder_id.in_(coder_ids))
        )
        conn.execute(
            delete(reviews).where(reviews.c.reviewed_at == at, reviews.c.coder_id.in_(coder_ids))
        )
        conn.execute(delete(memos).where(memos.c.created_at == at, memos.c.coder_id.in_(coder_ids)))
        unused = [
            ~exists(select(table.c.coder_id).where(table.c.coder_id == coders.c.id))
            for table in (codings, reviews, memos, case_ratings, events)
        ]
        conn.execute(delete(coders).where(coders.c.id.in_(new_coders), *unused))


def recover(engine: Engine, database: Path) -> list[str]:
    """Roll back imports a killed process left half done; returns the journals handled."""
    folder = database.parent / FOLDER
    done: list[str] = []
    for path in sorted(folder.glob("codings-*.json")) if folder.is_dir() else []:
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue  # finished meanwhile
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a running import holds it
            data: dict[str, Any] = {}
            raw = os.read(fd, 1 << 20)
            if raw:
                data = json.loads(raw)
            if data.get("at"):
                undo(engine, str(data["at"]), list(data["coders"]), list(data["new_coders"]))
            path.unlink(missing_ok=True)
            done.append(path.name)
        finally:
            os.close(fd)
    return done
