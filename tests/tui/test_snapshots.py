"""Snapshot tests at fixed terminal sizes (textual is pinned; review a diff before updating).

Update after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from coder.tui.app import make_app


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def open_ung01(pilot: Pilot[None]) -> None:
    await pilot.press(*"ung01", "enter")
    await settle(pilot)


async def coded(pilot: Pilot[None]) -> None:
    await open_ung01(pilot)
    await pilot.press("1", "7", "j", "4", "5", "j")
    await settle(pilot)


def test_home(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(100, 24), run_before=settle
    )


def test_coding_screen_80x24(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(80, 24), run_before=coded
    )


def test_coding_screen_large(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(140, 40), run_before=coded
    )


def test_coding_screen_light_theme(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await coded(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 32), run_before=light
    )


def test_span_mode(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    async def span(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("s", "right", "right", "right")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 32), run_before=span
    )


def test_rating_picker(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    async def rate(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 40), run_before=rate
    )


def test_help(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    async def help_(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 40), run_before=help_
    )
