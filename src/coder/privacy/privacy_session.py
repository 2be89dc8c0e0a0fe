"""``PrivacySession``: one project with its key open: scan, decide, apply, re-identify.

Opening checks that the key belongs to the project (the key stores a project id, the project
records the id of its key) before anything is read or written, so a missing key, a wrong
passphrase or another project's key changes nothing. ``apply`` rewrites the database in one
transaction (``coder.store.privacy``), then discards what was derived from the identifying text:
the suggestion models (they retrain on the pseudonymised text) and the database backups.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.privacy.detector import Detector, ScanReport
from coder.privacy.entry_matcher import EntryMatcher
from coder.privacy.key_file import KeyFile, key_location
from coder.privacy.privacy_key import PrivacyKey, Status

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.store.privacy import PseudonymiseCounts


@dataclass(frozen=True, slots=True)
class ApplyReport:
    """What ``apply`` did."""

    counts: PseudonymiseCounts
    """Rows changed in the database."""
    entries: int
    """Accepted key entries applied."""
    pending: int
    """Entries still waiting for review (not applied)."""
    discarded: tuple[str, ...]
    """Derived files removed (models, backups), relative to the project."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` (no identifying words)."""
        return self.counts.to_dict() | {
            "entries": self.entries,
            "pending": self.pending,
            "discarded": list(self.discarded),
        }


def codebook_words(project: Project) -> set[str]:
    """Every word of the codebook's labels, indicators and code ids (never flagged as names)."""
    words: set[str] = set()
    for code in project.codebook.codes:
        texts = [*code.label.values(), code.id.replace(".", " ").replace("_", " ")]
        texts += [phrase for phrases in code.indicators.values() for phrase in phrases]
        for text in texts:
            words.update(re.findall(r"[^\W\d_][\w'-]*", text))
    for attribute in project.codebook.attributes:
        for text in [
            *attribute.label.values(),
            *(v for lv in attribute.levels for v in lv.label.values()),
        ]:
            words.update(re.findall(r"[^\W\d_][\w'-]*", text))
    return words


class PrivacySession:
    """A project and its privacy key, checked to belong together."""

    def __init__(
        self, project: Project, key_file: KeyFile, key: PrivacyKey, passphrase: str | None
    ) -> None:
        self.project = project
        self.key_file = key_file
        self.key = key
        self._passphrase = passphrase

    @classmethod
    def open(
        cls, project: Project, passphrase: str | None, *, create: bool = False
    ) -> PrivacySession:
        """Open (or, with ``create``, make) the project's key; refuse another project's key."""
        from coder.store.privacy import link_privacy_key, privacy_project_id

        key_file = KeyFile(key_location(project.root, project.settings.privacy_key))
        linked = privacy_project_id(project)
        if not key_file.exists:
            if not create or linked is not None:
                detail = (
                    f"; this project was pseudonymised with key id {linked}, and re-identification "
                    "needs that file: restore it from where you keep it"
                    if linked
                    else "; run `coder privacy scan` to create it"
                )
                raise CoderError(
                    f"privacy key not found: {key_file.path}{detail}. Nothing was changed."
                )
            key = PrivacyKey.new(project.settings.name)
            key_file.write(key, passphrase)
            try:
                link_privacy_key(project, key.project_id)
            except BaseException:
                key_file.path.unlink(missing_ok=True)
                raise
            return cls(project, key_file, key, passphrase)
        key = key_file.read(passphrase)
        if linked != key.project_id:
            mine = (
                f"this project's key has id {linked}" if linked else "this project has no key yet"
            )
            raise CoderError(
                f"{key_file.path} is the privacy key of another project ({key.project_name!r}, "
                f"key id {key.project_id}); {mine}. Point coder.toml [privacy] key or "
                "CODER_PRIVACY_KEY to this project's key. Nothing was changed."
            )
        return cls(project, key_file, key, passphrase)

    def save(self, snapshot: PrivacyKey | None = None) -> None:
        """Write the key (or a snapshot of it) back: atomically, 0600, sealed again if it was."""
        self.key_file.write(snapshot or self.key, self._passphrase)

    def detector(self) -> Detector:
        """The detectors for this project (with the spaCy pipeline if one is configured)."""
        spacy = None
        if self.project.settings.pipeline:
            from coder.privacy.spacy_detector import SpacyDetector

            spacy = SpacyDetector.load(self.project.settings.pipeline)
        return Detector(self.key, codebook_words(self.project), spacy)

    def texts(self) -> dict[str, str]:
        """Transcript id -> current text."""
        from coder.store.privacy import transcript_texts

        return transcript_texts(self.project)

    def scan(self) -> tuple[ScanReport, int]:
        """Detect; new candidates go into the key as pending. Returns the report and the count."""
        detector = self.detector()
        report = detector.scan(self.texts())
        added = detector.propose(report)
        if added:
            self.save()
        return report, added

    def apply(self) -> ApplyReport:
        """Pseudonymise the database with the accepted entries."""
        from coder.store.privacy import pseudonymise

        accepted = self.key.with_status(Status.ACCEPTED)
        if not accepted:
            raise CoderError(
                "nothing to apply: the privacy key has no accepted entries (review the candidates "
                "of `coder privacy scan` in the app, or `coder privacy add`). Nothing was changed."
            )
        matcher = EntryMatcher(accepted)
        about = {"key_id": self.key.project_id, "entries": len(accepted)}
        counts = pseudonymise(self.project, matcher.offset_map, matcher.replace, about)
        discarded = self._discard_derived()
        pending = len(self.key.with_status(Status.PENDING))
        return ApplyReport(counts, len(accepted), pending, discarded)

    def _discard_derived(self) -> tuple[str, ...]:
        removed: list[str] = []
        folder = self.project.root / ".coder"
        for name in ("models", "backups"):
            path = folder / name
            if path.exists():
                shutil.rmtree(path)
                removed.append(str(Path(".coder") / name))
        return tuple(removed)

    def reidentify(self, text: str) -> str:
        """``text`` with every placeholder put back (needs the key)."""
        back: dict[str, str] = {}
        for entry in self.key.with_status(Status.ACCEPTED):
            back.setdefault(entry.replacement, entry.text)
        if not back:
            return text
        pattern = re.compile("|".join(re.escape(r) for r in sorted(back, key=len, reverse=True)))
        return pattern.sub(lambda m: back[m.group(0)], text)
