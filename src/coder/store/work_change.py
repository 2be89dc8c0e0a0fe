"""``WorkChange``: what merging one coder's work did to each table (added, changed, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class TableChange:
    """How one table of one coder changed in a merge."""

    added: int = 0
    """Rows new to the target."""
    changed: int = 0
    """Rows present on both sides with different values."""
    removed: int = 0
    """Rows the target had and the incoming work no longer has."""
    unchanged: int = 0
    """Rows equal on both sides."""

    def to_dict(self) -> dict[str, int]:
        """Plain counts."""
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
        }


@dataclass(slots=True)
class WorkChange:
    """Per table, what merging one coder's work did."""

    tables: dict[str, TableChange] = field(default_factory=dict)
    """Table name -> its changes (``codings`` ... ``events``)."""

    @property
    def touched(self) -> bool:
        """Whether anything was written."""
        return any(t.added or t.changed or t.removed for t in self.tables.values())
