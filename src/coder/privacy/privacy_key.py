"""``PrivacyKey``: the mapping from identifying words to placeholders, and the review decisions.

The key is the only place the identifying words live once a project is pseudonymised: the lead's
own list of names and places, the candidates detection found (pending until reviewed), what was
accepted (with its placeholder) and what was rejected (never proposed again). Entries are matched
by their text in any case, so a decision applies to every occurrence in every transcript. The key
records the id of the project it belongs to. Pure: reading and writing the file is ``key_file``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from coder.errors import CoderError
from coder.privacy.categories import PLACEHOLDER, Category

FORMAT = "coder-privacy-key"
VERSION = 1


class Status(StrEnum):
    """Where an entry stands in review."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One identifying word or phrase."""

    text: str
    """The words as they appear in the transcripts (matched in any case)."""
    category: Category
    """What it is."""
    status: Status
    """Pending review, accepted (pseudonymised) or rejected (left alone)."""
    replacement: str = ""
    """The placeholder (``[NAVN-3]``) or chosen replacement; set when accepted."""
    source: str = "manual"
    """Who found it: ``list``, ``manual``, ``pattern:fnr``, ``capitalised``, ``spacy:PER``."""

    def to_dict(self) -> dict[str, str]:
        """The entry as stored in the key file."""
        return {
            "text": self.text,
            "category": self.category.value,
            "status": self.status.value,
            "replacement": self.replacement,
            "source": self.source,
        }


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class PrivacyKey:
    """The key of one project: entries by folded text, placeholder counters per category."""

    def __init__(self, project_id: str, project_name: str) -> None:
        self.project_id = project_id
        self.project_name = project_name
        self._entries: dict[str, KeyEntry] = {}

    @classmethod
    def new(cls, project_name: str) -> PrivacyKey:
        """A fresh key with a new random project id."""
        return cls(uuid.uuid4().hex, project_name)

    @property
    def entries(self) -> list[KeyEntry]:
        """Every entry, in the order added."""
        return list(self._entries.values())

    def with_status(self, status: Status) -> list[KeyEntry]:
        """Entries with ``status``."""
        return [entry for entry in self._entries.values() if entry.status is status]

    def get(self, text: str) -> KeyEntry | None:
        """The entry for ``text`` (any case), or None."""
        return self._entries.get(_fold(text))

    def propose(self, text: str, category: Category, source: str) -> bool:
        """Add a pending candidate unless the text is known already; True when added."""
        text = " ".join(text.split())
        if not text or _fold(text) in self._entries:
            return False
        self._entries[_fold(text)] = KeyEntry(text, category, Status.PENDING, "", source)
        return True

    def accept(
        self, text: str, category: Category, *, replacement: str = "", source: str = "manual"
    ) -> KeyEntry:
        """Accept ``text`` (adding it if new): it gets a placeholder, or ``replacement``."""
        text = " ".join(text.split())
        if not text:
            raise CoderError("an empty text cannot be a key entry")
        old = self._entries.get(_fold(text))
        if (
            replacement
            and _fold(replacement) in self._entries
            and not PLACEHOLDER.fullmatch(replacement)
        ):
            raise CoderError(f"the replacement {replacement!r} is itself a key entry")
        if not replacement:
            keep = old is not None and old.replacement and old.category is category
            replacement = old.replacement if keep and old else self._next_placeholder(category)
        entry = KeyEntry(
            old.text if old else text,
            category,
            Status.ACCEPTED,
            replacement,
            old.source if old else source,
        )
        self._entries[_fold(text)] = entry
        return entry

    def reject(self, text: str) -> KeyEntry:
        """Reject a known entry: it is left in the text and never proposed again."""
        old = self._require(text)
        entry = replace(old, status=Status.REJECTED, replacement="")
        self._entries[_fold(text)] = entry
        return entry

    def remove(self, text: str) -> None:
        """Forget an entry (used when a span is extended: the longer text replaces it)."""
        self._require(text)
        del self._entries[_fold(text)]

    def _require(self, text: str) -> KeyEntry:
        entry = self._entries.get(_fold(text))
        if entry is None:
            raise CoderError(f"{text!r} is not in the privacy key")
        return entry

    def _next_placeholder(self, category: Category) -> str:
        pattern = re.compile(rf"\[{re.escape(category.value)}-(\d+)\]")
        used = [
            int(match.group(1))
            for entry in self._entries.values()
            if (match := pattern.fullmatch(entry.replacement))
        ]
        return category.placeholder(max(used, default=0) + 1)

    def copy(self) -> PrivacyKey:
        """An independent copy (entries are immutable, so a shallow one)."""
        twin = PrivacyKey(self.project_id, self.project_name)
        twin._entries = dict(self._entries)
        return twin

    def replacements(self) -> dict[str, str]:
        """Accepted entry text -> replacement."""
        return {e.text: e.replacement for e in self.with_status(Status.ACCEPTED)}

    def to_dict(self) -> dict[str, Any]:
        """The key as stored in the file (before any encryption)."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "project": {"id": self.project_id, "name": self.project_name},
            "entries": [entry.to_dict() for entry in self._entries.values()],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> PrivacyKey:
        """Read the stored form; ``CoderError`` naming ``where`` on anything malformed."""
        try:
            if data.get("format") != FORMAT:
                raise CoderError(f"{where}: not a coder privacy key")
            if int(data.get("version", 0)) > VERSION:
                raise CoderError(
                    f"{where}: written by a newer coder (key version {data['version']})"
                )
            key = cls(str(data["project"]["id"]), str(data["project"].get("name", "")))
            for number, item in enumerate(data.get("entries", []), start=1):
                entry = KeyEntry(
                    str(item["text"]),
                    Category.parse(str(item["category"])),
                    Status(str(item["status"])),
                    str(item.get("replacement", "")),
                    str(item.get("source", "manual")),
                )
                if entry.status is Status.ACCEPTED and not entry.replacement:
                    raise CoderError(f"{where}: entry {number} is accepted but has no replacement")
                key._entries[_fold(entry.text)] = entry
        except CoderError:
            raise
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise CoderError(
                f"{where}: damaged privacy key ({type(exc).__name__}: {exc})"
            ) from None
        return key
