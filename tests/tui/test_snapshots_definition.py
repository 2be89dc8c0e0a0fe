"""Snapshots of the definition panel and the status line after coding, at 120x40 and 80x24.

Update after an intended change with:
pytest tests/tui/test_snapshots_definition.py --snapshot-update (review the diff first).
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from coder.tui.app import make_app


async def apply_mobbing(pilot: Pilot[None]) -> None:
    await pilot.press(*"ung01", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j", "7")  # excerpt 5: Mobbing (hotkey 7)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_definition_after_applying_120x40(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Look for: the right column's lower half shows the Mobbing definition marked
    "(applied)": its label in both languages and its id on top, then Use when, Don't use and
    the Example in full, with no scrollbar needed for them; the description follows, dimmed.
    The status line starts with "applied … › Mobbing to excerpt 5 (u undoes)", whole, and
    keeps the position on the right. The excerpt list rows show more than 25 characters."""
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 40), run_before=apply_mobbing
    )


def test_definition_after_applying_80x24(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Look for: at 80x24 the definition still spans the right column (about 50 columns),
    so Use when reads as lines of words, and scrolls for the rest; the status line shows the
    whole "applied … to excerpt 5 (u undoes)" message and drops the position rather than
    cutting a label."""
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(80, 24), run_before=apply_mobbing
    )
