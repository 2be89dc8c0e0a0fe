"""Schema 2 -> 3: memos and events get global uids; memo events name their memo's uid."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from coder.project.project import Project
from coder.store.database import create_v1
from coder.store.history import undo
from coder.store.queries import find_memos

V2_ROWS = [
    "INSERT INTO cases (id, created_at) VALUES ('ung01', 't0')",
    "INSERT INTO transcripts (id, case_id, source_name, sha256, format, encoding, language,"
    " text, imported_at) VALUES ('ung01', 'ung01', 'ung01.txt', 'abc', 'txt', 'utf-8', 'nb',"
    " 'Deltaker: Jeg følte meg ensom på skolen.', 't0')",
    'INSERT INTO excerpts (id, transcript_id, seq, start, "end", speaker, role, codable,'
    " text_sha) VALUES (1, 'ung01', 1, 10, 40, 'Deltaker', 'participant', 1, 'x')",
    "INSERT INTO coders (id, name, kind, created_at) VALUES (1, 'åse', 'human', 't0')",
    "INSERT INTO memos (id, coder_id, excerpt_id, text, created_at, updated_at)"
    " VALUES (1, 1, 1, 'Ensomhet', 't0', 't0')",
    "INSERT INTO events (coder_id, at, kind, undoable, payload) VALUES (1, 't0', 'memo.add', 1,"
    ' \'{"memo": 1, "excerpt": 1, "code": null, "case": null, "text": "Ensomhet",'
    ' "created_at": "t0"}\')',
    "INSERT INTO events (coder_id, at, kind, undoable, payload) VALUES (1, 't1', 'memo.add', 1,"
    ' \'{"memo": 2, "excerpt": 1, "code": null, "case": null, "text": "Borte",'
    ' "created_at": "t1"}\')',
    "INSERT INTO events (coder_id, at, kind, undoable, payload) VALUES (1, 't2', 'memo.delete',"
    ' 1, \'{"memo": 2, "excerpt": 1, "code": null, "case": null, "text": "Borte",'
    ' "created_at": "t1"}\')',
]


def make_v2_database(root: Path) -> None:
    """A version-2 database (no uid columns) with a memo and a deleted memo's events."""
    path = root / ".coder" / "coder.db"
    path.parent.mkdir()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        create_v1(conn)
        for statement in (
            "DROP INDEX ux_memos_uid",
            "DROP INDEX ux_events_uid",
            "ALTER TABLE memos DROP COLUMN uid",
            "ALTER TABLE events DROP COLUMN uid",
            "CREATE TABLE positions (coder_id INTEGER NOT NULL, transcript_id TEXT NOT NULL,"
            " excerpt_seq INTEGER NOT NULL, updated_at TEXT NOT NULL,"
            " PRIMARY KEY (coder_id, transcript_id))",
            "PRAGMA user_version = 2",
            *V2_ROWS,
        ):
            conn.execute(text(statement))
    engine.dispose()


def test_migration_gives_every_memo_and_event_a_uid_and_memo_events_their_memo(
    new_project: Path,
) -> None:
    make_v2_database(new_project)
    with Project.open(new_project) as project, project.store.engine.connect() as conn:
        memo_uid = conn.execute(text("SELECT uid FROM memos")).scalar_one()
        rows = conn.execute(text("SELECT uid, kind, payload FROM events ORDER BY id")).all()
    assert len(memo_uid) == 32
    uids = [row[0] for row in rows]
    assert all(uids) and len(set(uids)) == len(uids)
    memo_events = [json.loads(row[2]) for row in rows if row[1].startswith("memo.")]
    assert memo_events[0]["memo_uid"] == memo_uid
    deleted = {e["memo_uid"] for e in memo_events[1:]}
    assert len(deleted) == 1 and memo_uid not in deleted  # one uid for the deleted memo


def test_undo_of_a_migrated_memo_delete_brings_the_memo_back_with_its_uid(
    new_project: Path,
) -> None:
    make_v2_database(new_project)
    with Project.open(new_project) as project:
        step = undo(project, "åse")
        assert step is not None and step.kind == "memo.delete"
        assert sorted(m["text"] for m in find_memos(project)) == ["Borte", "Ensomhet"]
        with project.store.engine.connect() as conn:
            restored = conn.execute(text("SELECT id, uid FROM memos WHERE text = 'Borte'")).one()
            payload = conn.execute(
                text("SELECT payload FROM events WHERE kind = 'memo.delete'")
            ).scalar_one()
        assert restored.id == 2 and restored.uid == json.loads(payload)["memo_uid"]
