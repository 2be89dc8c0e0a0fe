"""``Detector``: every detector over every transcript, grouped into candidates for review.

Sources, in order of trust: the key's own entries (the lead's list of names and places, and what
was decided before), patterns with checksums (``PatternDetector``), an installed spaCy pipeline's
entities (``SpacyDetector``), and capitalised mid-sentence words (``CapitalisedDetector``). Where
hits overlap the more trusted one wins. A candidate is one text (in any case) with all its
occurrences, so one decision covers them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coder.privacy.capitalised_detector import CapitalisedDetector, lower_vocabulary
from coder.privacy.categories import Category
from coder.privacy.entry_matcher import EntryMatcher
from coder.privacy.found import Found
from coder.privacy.pattern_detector import PatternDetector
from coder.privacy.privacy_key import PrivacyKey, Status
from coder.privacy.spacy_detector import SpacyDetector


@dataclass(slots=True)
class Candidate:
    """One text flagged somewhere, with every place it was flagged."""

    text: str
    """The words (as first seen)."""
    category: Category
    """The guessed kind."""
    source: str
    """The detector that found it first."""
    places: list[tuple[str, int, int]] = field(default_factory=list)
    """(transcript id, start, end) of each hit."""
    votes: dict[Category, int] = field(default_factory=dict)
    """How often each category was guessed (the most frequent one wins)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        transcripts = sorted({place[0] for place in self.places})
        return {
            "text": self.text,
            "category": self.category.value,
            "source": self.source,
            "occurrences": len(self.places),
            "transcripts": transcripts,
        }


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What a scan found."""

    known: dict[str, int]
    """Key entries already decided (accepted or rejected) -> occurrences found."""
    candidates: list[Candidate]
    """New or still pending texts, most frequent first."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "known_entries_found": sum(1 for n in self.known.values() if n),
            "known_occurrences": sum(self.known.values()),
            "candidates": [c.to_dict() for c in self.candidates],
        }


def _overlaps(hit: Found, taken: Iterable[Found]) -> bool:
    return any(hit.start < t.end and t.start < hit.end for t in taken)


class Detector:
    """Runs the detectors for one project and one key."""

    def __init__(
        self,
        key: PrivacyKey,
        known_words: Iterable[str] = (),
        spacy: SpacyDetector | None = None,
    ) -> None:
        self.key = key
        self.known_words = tuple(known_words)
        self.spacy = spacy
        self.patterns = PatternDetector()

    def find(self, texts: Mapping[str, str]) -> dict[str, list[Found]]:
        """Hits per transcript id, never overlapping, most trusted source first."""
        decided = EntryMatcher(self.key.entries)
        capitalised = CapitalisedDetector(self.known_words, lower_vocabulary(texts.values()))
        ids = list(texts)
        entities = self.spacy.find_all(texts[i] for i in ids) if self.spacy else [[] for _ in ids]
        result: dict[str, list[Found]] = {}
        for transcript_id, spacy_hits in zip(ids, entities, strict=True):
            text = texts[transcript_id]
            hits = [
                Found(o.start, o.end, o.entry.category, f"key:{o.entry.status.value}")
                for o in decided.finditer(text)
            ]
            for layer in (self.patterns.find(text), spacy_hits, capitalised.find(text)):
                hits.extend(hit for hit in layer if not _overlaps(hit, hits))
            result[transcript_id] = sorted(hits, key=lambda h: h.start)
        return result

    def scan(self, texts: Mapping[str, str]) -> ScanReport:
        """Group hits into candidates; decided entries are counted, not proposed again."""
        known: dict[str, int] = {
            e.text: 0 for e in self.key.entries if e.status is not Status.PENDING
        }
        groups: dict[str, Candidate] = {}
        for transcript_id, hits in self.find(texts).items():
            text = texts[transcript_id]
            for hit in hits:
                words = " ".join(hit.text_in(text).split())
                entry = self.key.get(words)
                if entry is not None and entry.status is not Status.PENDING:
                    known[entry.text] = known.get(entry.text, 0) + 1
                    continue
                folded = words.casefold()
                if folded not in groups:
                    category = entry.category if entry else hit.category
                    source = entry.source if entry else hit.source
                    groups[folded] = Candidate(words, category, source)
                group = groups[folded]
                group.places.append((transcript_id, hit.start, hit.end))
                group.votes[hit.category] = group.votes.get(hit.category, 0) + 1
                if entry is None:
                    group.category = max(group.votes, key=lambda c: group.votes[c])
        candidates = sorted(groups.values(), key=lambda c: (-len(c.places), c.text.casefold()))
        return ScanReport(known, candidates)

    def propose(self, report: ScanReport) -> int:
        """Put new candidates into the key as pending; returns how many were new."""
        return sum(self.key.propose(c.text, c.category, c.source) for c in report.candidates)
