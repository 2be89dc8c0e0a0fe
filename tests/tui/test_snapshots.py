"""Snapshot tests at fixed terminal sizes (textual is pinned; review a diff before updating).

Update after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from coder.tui.app import make_app


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()  # what the last key started (a screen, its workers) has begun
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]  # shown, not half a blink
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
    """Home at 100x24: the filter box, then ung01 and ung03 with case, 0/20 reviewed, an empty
    progress bar and robustness "—"; the status line names coder kari; footer ^f, ^t, ^p."""
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(100, 24), run_before=settle
    )


def test_coding_screen_80x24(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Coding at the smallest size, after codes 1+7 on excerpt 3 and 4+5 on 5: both marked ✓ with
    their hotkeys in the list, the cursor on 7 ("ung01 7/41 · 2/20 reviewed"), text, suggestions
    and code tree side by side with nothing overlapping; long lines end in "…"."""
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(80, 24), run_before=coded
    )


def test_coding_screen_large(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The same coded state at 140x40: the room goes to the excerpt text (whole paragraphs, the next
    turn shown below) and the code tree, whose counts show Mobbing 1 and Relasjonelle forhold 1."""
    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(140, 40), run_before=coded
    )


def test_coding_screen_light_theme(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The coded state in textual-light: the ✓ marks, hotkeys, cursor row and code colours must stay
    readable on the light background (compare with test_coding_screen_large for content)."""

    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await coded(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 32), run_before=light
    )


def test_span_mode(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Span mode on excerpt 3 (s, then → three times): the span is highlighted in the text, the
    status line starts "SPAN: ←/→ end, shift+←/→ start" and the footer lists only span keys."""

    async def span(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("s", "right", "right", "right")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 32), run_before=span
    )


def test_rating_picker(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The rating dialog (r) over excerpt 3: "Rate participant ung01 (your ratings only)", each
    attribute with its kind and "now: —", levels numbered in nb (1. Stødig, 2. Vaklende,
    3. Skjelvende) with their definitions, "clear this rating", and the Tab/Enter/Esc hint."""

    async def rate(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 40), run_before=rate
    )


def test_help(snap_compare, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Help (?) over the coding screen: "Keys (remap in coder.toml by binding id)", one table per
    area (Everywhere, Home, Coding, ...) with keys, what they do and the binding id, in a frame."""

    async def help_(pilot: Pilot[None]) -> None:
        await open_ung01(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(
        make_app(project_dir, coder="kari"), terminal_size=(120, 40), run_before=help_
    )
