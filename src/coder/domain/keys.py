"""Every key binding of the TUI, with an id users can remap in coder.toml ``[keymap]``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One remappable binding."""

    id: str
    """Stable binding id, e.g. ``coding.next``."""
    keys: str
    """Default keys, comma separated (Textual key names)."""
    action: str
    """Textual action name."""
    description: str
    """What it does, for the footer and help."""
    show: bool = True
    """Whether the footer shows it."""


APP_KEYS = (
    KeySpec("app.help", "question_mark", "help", "Help"),
    KeySpec("app.quit", "ctrl+q", "quit", "Quit"),
)

HOME_KEYS = (
    KeySpec("home.open", "enter", "open", "Open"),
    KeySpec("home.filter", "slash", "focus_filter", "Filter"),
    KeySpec("home.search", "ctrl+f", "search", "Search text"),
)

CODING_KEYS = (
    KeySpec("coding.next", "j,down", "move(1)", "Next"),
    KeySpec("coding.prev", "k,up", "move(-1)", "Previous"),
    KeySpec("coding.page_down", "pagedown", "move(10)", "Page down", show=False),
    KeySpec("coding.page_up", "pageup", "move(-10)", "Page up", show=False),
    KeySpec("coding.first", "home", "move_to_end(-1)", "First", show=False),
    KeySpec("coding.last", "end", "move_to_end(1)", "Last", show=False),
    KeySpec("coding.next_unreviewed", "n", "unreviewed(1)", "Next unreviewed"),
    KeySpec("coding.prev_unreviewed", "N", "unreviewed(-1)", "Prev unreviewed", show=False),
    KeySpec("coding.focus_tree", "tab", "focus_tree", "Codes", show=False),
    KeySpec("coding.span", "s", "span", "Span"),
    KeySpec("coding.memo", "m", "memo", "Memo"),
    KeySpec("coding.undo", "u", "undo", "Undo"),
    KeySpec("coding.redo", "ctrl+r", "redo", "Redo"),
    KeySpec("coding.search", "slash", "search", "Search"),
    KeySpec("coding.rate", "r", "rate", "Rate"),
    KeySpec("coding.home", "escape", "home", "Home"),
)

SPAN_KEYS = (
    KeySpec("span.extend", "right", "span_end(1)", "Extend"),
    KeySpec("span.shrink", "left", "span_end(-1)", "Shrink"),
    KeySpec("span.start_right", "shift+right", "span_start(1)", "Start →"),
    KeySpec("span.start_left", "shift+left", "span_start(-1)", "Start ←"),
    KeySpec("span.cancel", "escape", "span_cancel", "Leave span mode"),
)

ALL_KEYS = APP_KEYS + HOME_KEYS + CODING_KEYS + SPAN_KEYS
"""Every binding, for help and keymap validation."""


def unknown_binding_ids(keymap: dict[str, str]) -> list[str]:
    """Binding ids in a user keymap that do not exist (likely typos)."""
    known = {spec.id for spec in ALL_KEYS}
    return sorted(binding for binding in keymap if binding not in known)
