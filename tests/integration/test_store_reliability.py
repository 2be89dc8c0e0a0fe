"""Reliability: SIGKILL in the middle of a 10,000-coding batch, and two processes coding at once."""

from __future__ import annotations

import os
import select
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code
from coder.store.queries import load_excerpts, status
from support.processes import start_python

pytestmark = pytest.mark.slow

TURNS = 400
"""Turns in the bulk transcript: 400 excerpts x 25 codable codes = 10,000 distinct codings."""

WORKER = """
import sys
from pathlib import Path

from coder.project.project import Project
from coder.store.operations import apply_code
from coder.store.queries import load_excerpts

root, coder, total, order = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
project = Project.open(root)
codes = [code.id for code in project.codebook.codable_codes]
pairs = [(excerpt.id, code) for excerpt in load_excerpts(project, "bulk") for code in codes]
if order == "reversed":
    pairs.reverse()
done = 0
for excerpt_id, code in pairs[:total]:
    if apply_code(project, coder, excerpt_id, code):  # one transaction, committed on return
        done += 1
    print(done, flush=True)
"""


@pytest.fixture(scope="module")
def bulk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bulk") / "p"
    init_project(root)
    turns = "\n\n".join(
        f"Deltaker: Dette er tur nummer {n}, om skolen, NAV og å være ensom i bygda."
        for n in range(TURNS)
    )
    path = root / "transcripts" / "bulk.txt"
    path.write_text(turns + "\n", encoding="utf-8")
    with Project.open(root) as project:
        import_transcript(project, path)
        assert len(load_excerpts(project, "bulk")) == TURNS
        assert TURNS * len(project.codebook.codable_codes) >= 10_000
    return root


@pytest.fixture
def bulk(tmp_path: Path, bulk_template: Path) -> Path:
    return Path(shutil.copytree(bulk_template, tmp_path / "p"))


def start_worker(
    root: Path, coder: str, total: int, order: str = "forward"
) -> subprocess.Popen[bytes]:
    return start_python(WORKER, root, coder, str(total), order)


def complete_counts(data: bytes) -> list[int]:
    """The counts on complete lines (a line cut short by the kill is not a report)."""
    *lines, _partial = data.split(b"\n")
    return [int(line) for line in lines if line]


def read_until_count(process: subprocess.Popen[bytes], minimum: int, timeout: float) -> bytes:
    """Everything the worker printed until a complete line reports ``minimum`` or more."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    received = b""
    while True:
        counts = complete_counts(received)
        if counts and counts[-1] >= minimum:
            return received
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"the worker reported {counts[-1:] or 0} before the deadline")
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                error = process.stderr.read().decode() if process.stderr else ""
                raise AssertionError(f"the worker ended early: {error}")
            received += chunk


def codings_and_events(db: Path, coder: str) -> tuple[int, int]:
    connection = sqlite3.connect(db)
    try:
        codings = connection.execute(
            "SELECT count(*) FROM codings JOIN coders ON coders.id = codings.coder_id"
            " WHERE coders.name = ?",
            (coder,),
        ).fetchone()[0]
        events = connection.execute(
            "SELECT count(*) FROM events JOIN coders ON coders.id = events.coder_id"
            " WHERE coders.name = ? AND events.kind = 'coding.apply'",
            (coder,),
        ).fetchone()[0]
    finally:
        connection.close()
    return int(codings), int(events)


def integrity(db: Path) -> tuple[str, list[object]]:
    connection = sqlite3.connect(db)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    return str(check), orphans


def test_sigkill_mid_batch_loses_no_committed_coding(bulk: Path) -> None:
    db = bulk / ".coder" / "coder.db"
    worker = start_worker(bulk, "kari", 10_000)
    try:
        received = read_until_count(worker, 2_000, timeout=120)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.stdout is not None
        received += worker.stdout.read()  # reports already in the pipe when it died
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        for stream in (worker.stdout, worker.stderr):
            if stream is not None:
                stream.close()
    assert worker.returncode == -signal.SIGKILL
    last = complete_counts(received)[-1]
    assert 2_000 <= last < 10_000
    codings, events = codings_and_events(db, "kari")
    # every reported commit is there; at most one more committed before its report was printed
    assert last <= codings <= last + 1
    assert events == codings  # each coding committed together with its event, never alone
    assert integrity(db) == ("ok", [])
    with Project.open(bulk) as project:
        assert status(project)["coders"]["kari"]["codings"] == codings
        excerpt = load_excerpts(project, "bulk")[-1]
        assert apply_code(project, "kari", excerpt.id, "risk.school")


def test_two_processes_coding_at_once_lose_nothing(bulk: Path) -> None:
    db = bulk / ".coder" / "coder.db"
    workers = {
        "kari": start_worker(bulk, "kari", 2_000),
        "ola": start_worker(bulk, "ola", 2_000),  # the same excerpts and codes, other coder
    }
    outputs: dict[str, tuple[bytes, bytes]] = {}
    try:
        for name, worker in workers.items():
            outputs[name] = worker.communicate(timeout=180)
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    for name, worker in workers.items():
        out, err = outputs[name]
        assert worker.returncode == 0, err.decode()
        assert complete_counts(out)[-1] == 2_000
        assert codings_and_events(db, name) == (2_000, 2_000)
    assert integrity(db) == ("ok", [])
    with Project.open(bulk) as project:
        counts = {name: c["codings"] for name, c in status(project)["coders"].items()}
    assert counts == {"kari": 2_000, "ola": 2_000}
