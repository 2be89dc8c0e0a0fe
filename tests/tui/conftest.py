"""A small real project for Pilot tests: two demo interviews, their cases, the review's codebook."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual._wait
from textual.pilot import Pilot

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.cases_import import import_cases
from coder.store.importer import import_transcript

ROOT = Path(__file__).resolve().parents[2]

IDLE_CHECK = 0.02
"""Seconds of each idle check in Pilot's waits: textual's own 0.02. Shorter slices (4 ms were
tried) let keys reach a screen before its input field has focus: the privacy screen's review
test then failed about one run in three."""


@pytest.fixture(autouse=True)
def _quick_idle_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for each key's messages, then checks in shorter slices for a busy app.

    ``Pilot.press(*keys)`` sends every key and then waits until the process looks idle (it
    sleeps a slice, 20 ms in textual, and calls it idle when the slice used under a twentieth
    of it in CPU); it waits for the screen's messages only after the last key. So whether a
    key that opens a dialog has its dialog mounted before the next key arrives was left to
    the 20 ms, and every idle key cost 40 ms (most of a Pilot test's time, over thousands of
    presses). Here each key is pressed on its own and followed by Pilot's wait for the
    screen's messages (an event, not a time), so typing into a dialog a key just opened is
    deterministic; the idle check then uses 4 ms slices. A busy app (a worker computing) is
    waited on as before: the same CPU share decides, up to the same one-second cap, and tests
    that need a worker's result wait for it (``app.workers.wait_for_complete()``).
    """
    press = Pilot.press

    async def press_each(self: Pilot[Any], *keys: str) -> None:
        for key in keys:
            await press(self, key)

    monkeypatch.setattr(Pilot, "press", press_each)
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", IDLE_CHECK)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", IDLE_CHECK / 20)


TRANSCRIPTS = ("ung01", "ung03")

_PIPELINES: dict[tuple[str, str | None], Any] = {}
"""(language, coder.toml pipeline) -> the loaded spaCy pipeline, shared by a process's tests."""


@pytest.fixture(autouse=True)
def _pipeline_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load each spaCy pipeline once per test process, not once per coding screen.

    Every coding screen loads the language pipeline in a worker; loading it again in each
    test kept the process busy while Pilot pressed keys (each press then waits for idle).
    The suggester, its model and the codebook's indicator matcher are still built per app.
    """
    import coder.suggest.analyser as analyser
    from coder.suggest.pipeline import load_pipeline

    def cached(language: str, name: str | None = None) -> Any:
        key = (language, name)
        if key not in _PIPELINES:
            _PIPELINES[key] = load_pipeline(language, name)
        return _PIPELINES[key]

    monkeypatch.setattr(analyser, "load_pipeline", cached)


@pytest.fixture(scope="session")
def _project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test process: the project ``project_dir`` copies."""
    folder = tmp_path_factory.mktemp("tui-template") / "prosjekt"
    _build_project(folder)
    return folder


@pytest.fixture
def project_dir(tmp_path: Path, _project_template: Path, _codebook_once: None) -> Path:
    """ung01 and ung03 imported with their cases (a copy of a project built once)."""
    return Path(shutil.copytree(_project_template, tmp_path / "prosjekt", symlinks=True))


def _build_project(folder: Path) -> None:
    init_project(folder)
    for name in TRANSCRIPTS:
        shutil.copyfile(
            ROOT / "transcripts" / f"{name}.txt", folder / "transcripts" / f"{name}.txt"
        )
    rows = [line for line in (ROOT / "cases.csv").read_text(encoding="utf-8").splitlines()]
    kept = [rows[0], *(row for row in rows[1:] if row.split(",")[0] in TRANSCRIPTS)]
    (folder / "cases.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with Project.open(folder) as project:
        for name in TRANSCRIPTS:
            import_transcript(project, folder / "transcripts" / f"{name}.txt")
        import_cases(project, folder / "cases.csv")


@pytest.fixture
def project(project_dir: Path) -> Iterator[Project]:
    """A second, independent connection: what a restart would see."""
    opened = Project.open(project_dir)
    yield opened
    opened.close()
