"""Every key binding of the TUI, with an id users can remap in coder.toml ``[keymap]``.

Plain data (no textual): the codebook and coder.toml validators use it to refuse code hotkeys
and remapped keys that would collide with the app's own keys.
"""

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
    KeySpec("app.quit", "ctrl+q", "quit", "Quit", show=False),
    KeySpec("app.retrieve", "ctrl+g", "retrieve", "Retrieve codings", show=False),
)

HOME_KEYS = (
    KeySpec("home.open", "enter", "open", "Open"),
    KeySpec("home.filter", "slash", "focus_filter", "Filter", show=False),
    KeySpec("home.search", "ctrl+f", "search", "Search text"),
    KeySpec("home.reports", "ctrl+t", "reports", "Reports"),
)

CODING_KEYS = (
    KeySpec("coding.next", "j,down", "move(1)", "Next"),
    KeySpec("coding.prev", "k,up", "move(-1)", "Previous", show=False),
    KeySpec("coding.page_down", "pagedown", "move(10)", "Page down", show=False),
    KeySpec("coding.page_up", "pageup", "move(-10)", "Page up", show=False),
    KeySpec("coding.first", "home", "move_to_end(-1)", "First", show=False),
    KeySpec("coding.last", "end", "move_to_end(1)", "Last", show=False),
    KeySpec("coding.next_unreviewed", "n", "unreviewed(1)", "Unreviewed"),
    KeySpec("coding.prev_unreviewed", "N", "unreviewed(-1)", "Prev unreviewed", show=False),
    KeySpec("coding.reviewed_next", "space", "reviewed_next", "Reviewed, next", show=False),
    KeySpec("coding.unreview", "backspace", "unreview", "Unmark reviewed", show=False),
    KeySpec(
        "coding.rest_reviewed",
        "ctrl+e",
        "rest_reviewed",
        "The rest has no codes (asks first)",
        show=False,
    ),
    KeySpec("coding.scroll_down", "shift+down,J", "scroll_excerpt(1)", "Scroll text", show=False),
    KeySpec("coding.scroll_up", "shift+up,K", "scroll_excerpt(-1)", "Scroll text up", show=False),
    KeySpec("coding.focus_tree", "tab", "focus_tree", "Codes", show=False),
    KeySpec("coding.span", "s", "span", "Span"),
    KeySpec("coding.memo", "m", "memo", "Memo"),
    KeySpec("coding.memos", "M", "memo_list", "All your memos", show=False),
    KeySpec("coding.read", "T", "read_transcript", "Read the whole transcript", show=False),
    KeySpec("coding.undo", "u", "undo", "Undo"),
    KeySpec("coding.redo", "ctrl+r", "redo", "Redo", show=False),
    KeySpec("coding.search", "slash", "search", "Search"),
    KeySpec(
        "coding.new_code",
        "ctrl+n",
        "new_code",
        "New code (in span mode: in vivo)",
        show=False,
    ),
    KeySpec(
        "coding.change_code",
        "ctrl+b",
        "change_code",
        "Change the code under the cursor",
        show=False,
    ),
    KeySpec("coding.rate", "r", "rate", "Rate"),
    KeySpec("coding.home", "escape", "home", "Home", show=False),
    KeySpec("suggest.accept", "a", "accept_suggestion", "Accept", show=False),
    KeySpec("suggest.accept_all", "A", "accept_all", "Accept all above threshold", show=False),
    KeySpec("suggest.reject", "x", "reject_suggestion", "Reject suggestion", show=False),
    KeySpec("suggest.uncertain", "ctrl+u", "most_uncertain", "Most uncertain next", show=False),
)

SPAN_KEYS = (
    KeySpec("span.extend", "right", "span_end(1)", "Extend"),
    KeySpec("span.shrink", "left", "span_end(-1)", "Shrink"),
    KeySpec("span.start_right", "shift+right", "span_start(1)", "Start →"),
    KeySpec("span.start_left", "shift+left", "span_start(-1)", "Start ←"),
    KeySpec("span.sentence", "ctrl+right,down", "span_sentence(1)", "Extend by a sentence"),
    KeySpec("span.sentence_back", "ctrl+left,up", "span_sentence(-1)", "Shrink by a sentence"),
    KeySpec("span.to_end", "end", "span_to_end", "To the end of the excerpt"),
    KeySpec("span.from_start", "home", "span_from_start", "From its first word"),
    KeySpec("span.cancel", "escape", "span_cancel", "Leave span mode"),
)

READING_KEYS = (
    KeySpec("reading.code", "enter", "code_here", "Code this excerpt"),
    KeySpec("reading.next", "j,down", "move(1)", "Next"),
    KeySpec("reading.prev", "k,up", "move(-1)", "Previous", show=False),
    KeySpec("reading.page_down", "pagedown,space", "page(1)", "Page down", show=False),
    KeySpec("reading.page_up", "pageup", "page(-1)", "Page up", show=False),
    KeySpec("reading.first", "home", "edge(-1)", "First", show=False),
    KeySpec("reading.last", "end", "edge(1)", "Last", show=False),
    KeySpec("reading.current", "c", "back_to_current", "Where you were"),
    KeySpec("reading.scroll_down", "shift+down,J", "scroll_rows(3)", "Scroll", show=False),
    KeySpec("reading.scroll_up", "shift+up,K", "scroll_rows(-3)", "Scroll up", show=False),
    KeySpec("reading.back", "escape", "back", "Back, not moving"),
)

NEW_CODE_KEYS = (
    KeySpec("new_code.save", "ctrl+s", "save", "Create"),
    KeySpec("new_code.cancel", "escape", "cancel", "Cancel"),
)

CODE_EDIT_KEYS = (
    KeySpec("code_edit.save", "ctrl+s", "save", "Save labels, definitions, parent"),
    KeySpec("code_edit.merge", "ctrl+g", "merge", "Merge into the ticked code"),
    KeySpec("code_edit.split", "ctrl+l", "split", "Split into the ticked codes"),
    KeySpec("code_edit.retire", "ctrl+t", "retire", "Retire (hidden from coding, kept)"),
    KeySpec("code_edit.cancel", "escape", "cancel", "Cancel"),
)

SPLIT_KEYS = (
    *(
        KeySpec(f"split.pick_{n}", str(n), f"pick({n})", f"To split target {n}", show=False)
        for n in range(1, 10)
    ),
    KeySpec("split.save", "ctrl+s", "save", "Split"),
    KeySpec("split.cancel", "escape", "cancel", "Cancel"),
)

TREE_KEYS = (KeySpec("tree.leave", "escape", "leave", "Back to the excerpts", show=False),)

MEMO_KEYS = (
    KeySpec("memo.save", "ctrl+s", "save", "Save"),
    KeySpec("memo.close", "escape", "save", "Save and close"),
    KeySpec("memo.discard", "ctrl+g", "cancel", "Discard changes"),
)

MEMO_LIST_KEYS = (
    KeySpec("memos.project", "p", "project_memo", "Project memo"),
    KeySpec("memos.case", "c", "case_memo", "Case memo"),
    KeySpec("memos.code", "d", "code_memo", "Memo on the code shown"),
    KeySpec("memos.close", "escape", "close", "Close"),
)

REPORT_KEYS = (
    KeySpec("reports.frequencies", "f", "show('frequencies')", "Frequencies"),
    KeySpec("reports.cooccurrence", "c", "show('cooccurrence')", "Co-occurrence"),
    KeySpec("reports.crosstab", "t", "show('crosstab')", "By robustness"),
    KeySpec("reports.matrix", "m", "show('matrix')", "Case x code matrix"),
    KeySpec("reports.export", "e", "export", "Export CSV"),
    KeySpec("reports.back", "escape", "back", "Back"),
)

RETRIEVE_KEYS = (
    KeySpec("retrieve.whose", "ctrl+o", "whose", "Whose codings (lead)"),
    KeySpec("retrieve.export", "ctrl+s", "export", "Export .md and .csv"),
    KeySpec("retrieve.back", "escape", "back", "Back"),
)

AGREEMENT_KEYS = (
    KeySpec("agreement.open", "enter", "adjudicate", "Walk disagreements"),
    KeySpec("agreement.walk_all", "w", "walk_all", "Walk all codes"),
    KeySpec("agreement.recompute", "R", "recompute", "Recompute"),
    KeySpec("agreement.back", "escape", "back", "Back"),
)

ADJUDICATE_KEYS = (
    KeySpec("adjudicate.apply", "y", "decide(True)", "Yes, apply"),
    KeySpec("adjudicate.reject", "d", "decide(False)", "Don't apply"),
    KeySpec("adjudicate.next", "j,down", "step(1)", "Next"),
    KeySpec("adjudicate.prev", "k,up", "step(-1)", "Previous"),
    KeySpec("adjudicate.undecided", "space", "next_undecided", "Next undecided"),
    KeySpec("adjudicate.note", "n", "note", "Note"),
    KeySpec("adjudicate.back", "escape", "back", "Back"),
)

PRIVACY_KEYS = (
    KeySpec("privacy.accept", "y,enter", "accept", "Accept"),
    KeySpec("privacy.reject", "n", "reject", "Reject"),
    KeySpec("privacy.category", "c", "cycle_category", "Category"),
    KeySpec("privacy.extend_right", "greater_than_sign", "extend(1)", "Extend →"),
    KeySpec("privacy.extend_left", "less_than_sign", "extend(-1)", "Extend ←"),
    KeySpec("privacy.add", "a", "add", "Add missed"),
    KeySpec("privacy.replacement", "r", "choose_replacement", "Own replacement"),
    KeySpec("privacy.next", "j,down", "step(1)", "Next"),
    KeySpec("privacy.prev", "k,up", "step(-1)", "Previous", show=False),
    KeySpec("privacy.occurrence", "tab", "next_occurrence", "Next place", show=False),
    KeySpec("privacy.back", "escape", "back", "Save and leave"),
)

RATING_CONSENSUS_KEYS = (
    KeySpec("rating_consensus.next", "j,down", "step(1)", "Next"),
    KeySpec("rating_consensus.prev", "k,up", "step(-1)", "Previous"),
    KeySpec("rating_consensus.undecided", "space", "next_undecided", "Next undecided"),
    KeySpec("rating_consensus.clear", "backspace", "clear", "Clear"),
    KeySpec("rating_consensus.note", "n", "note", "Note"),
    KeySpec("rating_consensus.back", "escape", "back", "Back"),
)

ALL_KEYS = (
    APP_KEYS
    + HOME_KEYS
    + CODING_KEYS
    + SPAN_KEYS
    + TREE_KEYS
    + READING_KEYS
    + NEW_CODE_KEYS
    + CODE_EDIT_KEYS
    + SPLIT_KEYS
    + MEMO_KEYS
    + MEMO_LIST_KEYS
    + REPORT_KEYS
    + RETRIEVE_KEYS
    + AGREEMENT_KEYS
    + ADJUDICATE_KEYS
    + PRIVACY_KEYS
    + RATING_CONSENSUS_KEYS
)
"""Every binding, for help and keymap validation."""

_NAMES = {"question_mark": "?", "slash": "/", "space": " "}


def key_characters(keys: str) -> set[str]:
    """The single characters a comma-separated key list types (``j,down`` -> ``{"j"}``)."""
    found = set()
    for key in keys.split(","):
        key = _NAMES.get(key.strip(), key.strip())
        if len(key) == 1:
            found.add(key)
    return found


def coding_keys(keymap: dict[str, str] | None = None) -> dict[str, KeySpec]:
    """Character -> binding on the coding screen (where code hotkeys live), after ``keymap``."""
    keymap = keymap or {}
    taken: dict[str, KeySpec] = {}
    for spec in APP_KEYS + CODING_KEYS:
        for char in key_characters(keymap.get(spec.id, spec.keys)):
            taken[char] = spec
    return taken


RESERVED_HOTKEYS = frozenset(coding_keys())
"""Characters the coding screen uses with the default keys: code hotkeys cannot use them."""


def unknown_binding_ids(keymap: dict[str, str]) -> list[str]:
    """Binding ids in a user keymap that do not exist (likely typos)."""
    known = {spec.id for spec in ALL_KEYS}
    return sorted(binding for binding in keymap if binding not in known)


def closest_binding_id(name: str) -> str | None:
    """The known binding id most like ``name``, for a "did you mean" hint."""
    import difflib

    found = difflib.get_close_matches(name, [spec.id for spec in ALL_KEYS], n=1, cutoff=0.6)
    return found[0] if found else None
