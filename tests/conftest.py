"""Shared fixtures: temporary projects, transcripts written by the test, the CLI, a lock holder."""

from __future__ import annotations

import selectors
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coder.codebook import load_codebook
from coder.domain.codebook import Codebook
from coder.domain.limits import Limits
from coder.project.init import init_project
from coder.project.project import Project
from support import processes
from support.backends import BACKENDS, Backend, store_url

if TYPE_CHECKING:
    from support.postgres import Cluster

REPO = Path(__file__).resolve().parents[1]
"""The repository root, itself the demo project."""

_CODEBOOKS: dict[tuple[bytes, Limits | None], Codebook] = {}
"""(file content, limits) -> the codebook parsed from it (once per test process)."""

INTERVIEW = """\
Intervjuer: Kan du fortelle litt om skolen?

Deltaker: Jeg følte meg ensom på skolen. Det var mye mobbing i gymtimene, særlig i åttende.

Intervjuer: Hva gjorde lærerne?

Deltaker: Ingen voksne så det. Jeg ble borte fra skolen i flere uker, og så sluttet jeg helt.

Intervjuer: Og nå?

Deltaker: Nå går jeg på et kurs hos NAV. Det er bedre, for veilederen min bryr seg om meg.
"""
"""Six excerpts: 1, 3, 5 interviewer turns (not codable), 2, 4, 6 participant turns."""


def _write_transcript(root: Path, name: str, text: str = INTERVIEW) -> Path:
    path = root / "transcripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write_transcript() -> Callable[..., Path]:
    """``write_transcript(root, name, text=INTERVIEW)``: write UTF-8 text into root/transcripts."""
    return _write_transcript


@pytest.fixture
def interview() -> str:
    """The text of ``small_project``'s transcript (six excerpts, with æøå)."""
    return INTERVIEW


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built once: an empty project and one with ``intervju`` imported; tests get copies."""
    from coder.store.importer import import_transcript

    empty = tmp_path_factory.mktemp("empty") / "p"
    init_project(empty)
    small = tmp_path_factory.mktemp("small") / "p"
    shutil.copytree(empty, small)
    path = _write_transcript(small, "intervju.txt")
    with Project.open(small) as project:
        import_transcript(project, path)
    return {"empty": empty, "small": small}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of a module marked ``backends`` run on SQLite and on PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throw-away PostgreSQL server for this test process (started on first use)."""
    from support.postgres import Cluster, pg_bin

    found = pg_bin()
    if found is None:
        pytest.fail(
            "PostgreSQL is not installed (apt-get install postgresql, as .ci/run does); "
            "leave its tests out with -m 'not postgres'"
        )
    cluster = Cluster(found).start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def _pg_templates(
    pg_cluster: Cluster, _templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Template databases of the ``empty`` and ``small`` projects, built once per session."""
    from coder.store.importer import import_transcript

    made: dict[str, str] = {}
    for name in ("empty", "small"):
        database = f"tmpl_{name}"
        pg_cluster.create_database(database)
        folder = Path(shutil.copytree(_templates["empty"], tmp_path_factory.mktemp(database) / "p"))
        store_url(folder / "coder.toml", pg_cluster.url(database))
        with Project.open(folder) as project:
            if name == "small":
                import_transcript(project, _write_transcript(folder, "intervju.txt"))
        made[name] = database
    return made


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The store backend of this module's tests: SQLite, or (a module marked ``backends``) both.

    Module-scoped, so a module's shared project (a module-scoped fixture) can take it too;
    ``backend.attach(folder)`` or ``backend.init(folder)`` gives a project its own database.
    """
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        yield Backend("sqlite")
        return
    chosen = Backend(
        "postgres", request.getfixturevalue("pg_cluster"), request.getfixturevalue("_pg_templates")
    )
    yield chosen
    chosen.drop()


@pytest.fixture
def _codebook_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse each codebook text once per session in ``Project.open`` (a codebook is immutable).

    Keyed by the file's bytes and the limits, so every copy of the same codebook shares one
    parse; the copy's own path is put back as its ``source``. A file that does not parse is
    parsed (and refused) each time, with its own path in the message.
    """
    import dataclasses

    import coder.project.project as module

    def cached(path: Path, limits: Limits | None = None) -> Codebook:
        try:
            if Path(path).stat().st_size > 1 << 20:  # no test codebook is this big: the limits'
                return load_codebook(path, limits)  # tests get the loader itself
            key = (Path(path).read_bytes(), limits)
        except OSError:
            return load_codebook(path, limits)  # the loader says what is wrong
        if key not in _CODEBOOKS:
            _CODEBOOKS[key] = load_codebook(path, limits)
        return dataclasses.replace(_CODEBOOKS[key], source=str(path))

    monkeypatch.setattr(module, "load_codebook", cached)


@pytest.fixture
def new_project(
    tmp_path: Path, _templates: dict[str, Path], _codebook_once: None, backend: Backend
) -> Path:
    """A freshly initialised, empty project (``coder init``); its folder."""
    return backend.attach(Path(shutil.copytree(_templates["empty"], tmp_path / "p")), "empty")


@pytest.fixture
def small_project(
    tmp_path: Path, _templates: dict[str, Path], _codebook_once: None, backend: Backend
) -> Path:
    """A project with one imported transcript, ``intervju`` (six excerpts, see INTERVIEW)."""
    return backend.attach(Path(shutil.copytree(_templates["small"], tmp_path / "p")), "small")


@pytest.fixture
def project(small_project: Path) -> Iterator[Project]:
    """``small_project``, open."""
    opened = Project.open(small_project)
    yield opened
    opened.close()


@pytest.fixture
def demo_project(new_project: Path) -> Path:
    """A new project holding copies of the demo transcripts and cases.csv (not imported)."""
    for source in sorted((REPO / "transcripts").glob("*.txt")):
        shutil.copyfile(source, new_project / "transcripts" / source.name)
    shutil.copyfile(REPO / "cases.csv", new_project / "cases.csv")
    return new_project


def _excerpt_ids(project: Project, transcript_id: str = "intervju") -> list[int]:
    from coder.store.queries import load_excerpts

    return [excerpt.id for excerpt in load_excerpts(project, transcript_id)]


@pytest.fixture
def excerpt_ids() -> Callable[..., list[int]]:
    """``excerpt_ids(project, transcript_id="intervju")``: excerpt database ids in order."""
    return _excerpt_ids


@pytest.fixture
def run_coder() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_coder(*args, cwd=None)``: ``python -m coder ARGS`` in a subprocess, as a user would."""
    return processes.run_coder


@pytest.fixture
def coder_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process (``coder.cli.run``); returns (exit code, stdout, stderr)."""
    from coder.cli import run

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


class LockHolder:
    """Another process holding ``BEGIN EXCLUSIVE`` on a database until ``release()``."""

    def __init__(self, db: Path) -> None:
        self.process = processes.start_python(LOCKER, db, text=True)
        assert self.process.stdout is not None
        line = read_line(self.process.stdout, deadline=time.monotonic() + 30)
        if line.strip() != "locked":
            self.release()
            raise AssertionError(f"the lock holder failed: {self.process.stderr.read()}")  # type: ignore[union-attr]

    def release(self) -> None:
        """Roll back and end the holder."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def read_line(stream: object, *, deadline: float) -> str:
    """One line from a subprocess pipe, waiting no later than ``deadline`` (monotonic)."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)  # type: ignore[arg-type]
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not selector.select(timeout=remaining):
            raise AssertionError("no output from the subprocess before the deadline")
    return stream.readline()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def hold_lock() -> Iterator[Callable[[Path], LockHolder]]:
    """Start lock holders on databases; every one still held is released at the end."""
    holders: list[LockHolder] = []

    def start(db: Path) -> LockHolder:
        holders.append(LockHolder(db))
        return holders[-1]

    yield start
    for holder in holders:
        holder.release()
