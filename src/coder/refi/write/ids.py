"""Deterministic REFI-QDA GUIDs: uuid5 of a project namespace and what the element stands for.

The same project exported twice gives the same GUIDs, so another tool that imports a second
export recognises the codes, users, sources and selections it already has.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

PROJECT_URN = "urn:coder:project:"
"""Prefix of the name whose uuid5 (in the URL namespace) is a project's GUID namespace."""


@dataclass(frozen=True, slots=True)
class RefiIds:
    """GUIDs for the elements of one project's REFI-QDA export."""

    namespace: uuid.UUID
    """The project's namespace: uuid5 of ``urn:coder:project:<project name>``."""

    @classmethod
    def for_project(cls, name: str) -> RefiIds:
        """The GUIDs of the project called ``name`` (its name in coder.toml)."""
        return cls(uuid.uuid5(uuid.NAMESPACE_URL, PROJECT_URN + name))

    def _guid(self, kind: str, *parts: object) -> str:
        key = kind + ":" + "\x1f".join(str(part) for part in parts)
        return str(uuid.uuid5(self.namespace, key))

    def code(self, code_id: str) -> str:
        """A code, by its stable id."""
        return self._guid("code", code_id)

    def user(self, name: str) -> str:
        """A coder, by name."""
        return self._guid("user", name)

    def source(self, transcript_id: str) -> str:
        """A transcript."""
        return self._guid("source", transcript_id)

    def selection(self, transcript_id: str, start: int, end: int, coder: str) -> str:
        """One coder's selection of the range ``[start, end)`` of a transcript."""
        return self._guid("selection", transcript_id, start, end, coder)

    def coding(self, transcript_id: str, start: int, end: int, coder: str, code_id: str) -> str:
        """One coder's coding of one range with one code."""
        return self._guid("coding", transcript_id, start, end, coder, code_id)

    def case(self, case_id: str) -> str:
        """A case (participant)."""
        return self._guid("case", case_id)

    def variable(self, attribute: str) -> str:
        """A case attribute (the value from cases.csv)."""
        return self._guid("variable", attribute)

    def rating(self, attribute: str, coder: str) -> str:
        """One coder's ratings of a case attribute, as a variable of its own."""
        return self._guid("rating", attribute, coder)

    def note(self, memo_id: int) -> str:
        """A memo."""
        return self._guid("note", memo_id)

    def link(self, memo_id: int) -> str:
        """The link that ties a case memo to its case (cases cannot hold a NoteRef)."""
        return self._guid("link", memo_id)
