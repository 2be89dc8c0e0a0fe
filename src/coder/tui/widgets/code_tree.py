"""The codebook tree: hotkeys, labels in the project language and this coder's counts."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from coder.domain.codebook import Code, Codebook
from coder.domain.keys import TREE_KEYS
from coder.tui.bindings import bindings
from coder.tui.widgets.chips import chip_style


class CodeTree(Tree[str]):
    """Every code not retired, groups expanded; the node data is the code id."""

    DEFAULT_CSS = """
    CodeTree { background: $surface; padding: 0 1; overflow-x: hidden; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(TREE_KEYS)

    def __init__(self, codebook: Codebook, language: str, *, id: str | None = None) -> None:
        super().__init__(codebook.name, id=id)
        self.codebook = codebook
        self.language = language
        self.show_root = False
        self.guide_depth = 2
        self.counts: Counter[str] = Counter()
        self.applied: set[str] = set()
        self._code_nodes: dict[str, TreeNode[str]] = {}

    def on_mount(self) -> None:
        self.build()

    def build(self) -> None:
        """Fill the tree from the codebook."""
        self.clear()
        self._code_nodes.clear()
        parents: dict[str | None, TreeNode[str]] = {None: self.root}
        for _, code in self.codebook.walk():
            parent = parents[code.parent]
            if code.retired:  # hidden from coding; its children (if any) hang one level up
                parents[code.id] = parent
                continue
            has_children = bool(self.codebook.children(code.id))
            node = parent.add(
                self._label(code), data=code.id, expand=True, allow_expand=has_children
            )
            parents[code.id] = node
            self._code_nodes[code.id] = node
        first = next((code for code in self.codebook.active_codes), None)
        if first is not None:  # no scrolling: the tree starts at its top, whatever its size
            node = self._code_nodes[first.id]
            self.call_after_refresh(lambda: setattr(self, "cursor_line", node.line))

    def _label(self, code: Code) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        on = code.id in self.applied
        if code.hotkey:
            label.append(f" {code.hotkey} ", chip_style(self.codebook, code.id))
            label.append("●" if on else " ", Style(bold=True))
        elif code.codable:
            label.append("   " + ("●" if on else " "))
        style = Style(bold=not code.codable)
        label.append(code.label_in(self.language), style)
        count = self.counts.get(code.id, 0)
        if code.codable and count:
            label.append(f"  {count}", Style(dim=True))
        return label

    def set_counts(self, counts: Counter[str]) -> None:
        """Show this coder's count per code."""
        self.counts = Counter(counts)
        for code_id, node in self._code_nodes.items():
            node.set_label(self._label(self.codebook.code(code_id)))

    def update_count(self, code_id: str, count: int) -> None:
        """Update one code's count."""
        self.counts[code_id] = count
        node = self._code_nodes.get(code_id)
        if node is not None:
            node.set_label(self._label(self.codebook.code(code_id)))

    def set_applied(self, applied: set[str]) -> None:
        """Mark the codes applied to the current excerpt (only changed nodes are redrawn)."""
        changed = self.applied ^ applied
        self.applied = set(applied)
        for code_id in changed:
            node = self._code_nodes.get(code_id)
            if node is not None:
                node.set_label(self._label(self.codebook.code(code_id)))

    def action_leave(self) -> None:
        """Escape: back to the excerpt list."""
        from coder.tui.widgets.excerpt_list import ExcerptList

        self.screen.query_one(ExcerptList).focus()

    @property
    def highlighted_code(self) -> Code | None:
        """The code under the tree cursor."""
        node = self.cursor_node
        if node is None or node.data is None:
            return None
        return self.codebook.code(node.data)

    def select_code(self, code_id: str) -> None:
        """Move the tree cursor to a code."""
        node = self._code_nodes.get(code_id)
        if node is not None:
            self.move_cursor(node)
