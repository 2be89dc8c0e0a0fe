"""Small projects for the lead's features (agreement, consensus) and TUI walk helpers.

``agreement_project(folder)``: two transcripts (t1: 6 participant turns, t2: 4), cases c1/c2.
``adjudication_project(folder)``: six codable excerpts of t1 that ada and bo both reviewed;
they disagree on ``CODE`` at units 1, 2, 4 and on ``OTHER`` at 1, 2, 5.
``two_coders(folder)`` (the TUI demo project): ada and bo review excerpts 3, 5, 7, 9 of ung01
and disagree on two of them. ``open_coding`` and ``settle`` wait for the app's workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed
from coder.store.queries import load_excerpts
from support.backends import Backend

CODE = "risk.ses"
OTHER = "risk.family"


def interview(turns: int) -> str:
    """A Norwegian interview with ``turns`` interviewer and participant turns each."""
    return (
        "\n\n".join(
            f"Intervjuer: Hvordan var det på skolen, del {n}?\n\n"
            f"Deltaker: Det var vanskelig med skolen og familien, del {n}."
            for n in range(1, turns + 1)
        )
        + "\n"
    )


def agreement_project(
    folder: Path, backend: Backend | None = None
) -> tuple[Project, dict[str, list[int]]]:
    """Two transcripts, t1 (6 participant turns, case c1) and t2 (4, c2); codable ids."""
    init_project(folder)
    if backend is not None:
        backend.attach(folder)
    project = Project.open(folder)
    for name, turns, case in (("t1", 6, "c1"), ("t2", 4, "c2")):
        path = folder / "transcripts" / f"{name}.txt"
        path.write_text(interview(turns), encoding="utf-8")
        import_transcript(project, path, case_id=case)
    ids = {tid: [e.id for e in load_excerpts(project, tid) if e.codable] for tid in ("t1", "t2")}
    return project, ids


def adjudication_project(folder: Path, backend: Backend | None = None) -> tuple[Project, list[int]]:
    """t1's six codable excerpts, reviewed by ada and bo, with the disagreements above."""
    project, ids = agreement_project(folder, backend)
    units = ids["t1"]
    plan = {"ada": {CODE: [0, 1, 2], OTHER: [1]}, "bo": {CODE: [0, 4], OTHER: [2, 5]}}
    for coder, by_code in plan.items():
        for code_id, positions in by_code.items():
            for position in positions:
                apply_code(project, coder, units[position], code_id)
        for unit in units:
            mark_reviewed(project, coder, unit)
    return project, units


def two_coders(folder: Path) -> list[int]:
    """ada and bo review excerpts 3, 5, 7, 9 of ung01 and disagree on two of them."""
    with Project.open(folder) as project:
        ids = [e.id for e in load_excerpts(project, "ung01") if e.seq in (3, 5, 7, 9)]
        for coder in ("ada", "bo"):
            for excerpt_id in ids:
                mark_reviewed(project, coder, excerpt_id)
        apply_code(project, "ada", ids[0], "disconnect.relational")
        apply_code(project, "bo", ids[0], "disconnect.relational")
        apply_code(project, "ada", ids[1], "disconnect.relational")  # bo did not
        apply_code(project, "bo", ids[2], "disconnect.relational")  # ada did not
    return ids


async def settle(app: Any) -> None:
    """Wait for the app's workers and animations."""
    await app.workers.wait_for_complete()
    for _ in range(3):
        await app._animator.wait_until_complete()


async def open_coding(app: Any, pilot: Any, transcript: str = "ung01") -> Any:
    """From home, filter to a transcript and open it; wait for the worker to load it."""
    from coder.tui.screens.coding_screen import CodingScreen
    from coder.tui.screens.home_screen import HomeScreen

    assert isinstance(app.screen, HomeScreen)
    await pilot.press(*transcript)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.session is not None
    return screen
