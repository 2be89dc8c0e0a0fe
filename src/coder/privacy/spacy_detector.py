"""``SpacyDetector``: entities of an installed spaCy pipeline (coder.toml ``[suggest] pipeline``).

Only a pipeline the user installed (a package or a folder with ``config.cfg``) is loaded; nothing
is downloaded, and without one this detector is simply absent. Entity labels map to categories:
PER/PERSON -> NAVN, LOC/GPE -> STED, ORG -> SKOLE when it names a school, else INSTITUSJON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coder.errors import CoderError
from coder.privacy.categories import Category
from coder.privacy.found import Found

if TYPE_CHECKING:
    from spacy.language import Language

_LABELS = {
    "PER": Category.NAVN,
    "PERSON": Category.NAVN,
    "LOC": Category.STED,
    "GPE": Category.STED,
    "GPE_LOC": Category.STED,
    "ORG": Category.INSTITUSJON,
    "GPE_ORG": Category.INSTITUSJON,
    "FAC": Category.STED,
}
_SCHOOL = re.compile(r"(skole|skolen|gymnas|vgs|videregående|school)\b", re.I)


class SpacyDetector:
    """Entities found by a loaded pipeline."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name

    @classmethod
    def load(cls, name: str) -> SpacyDetector:
        """Load an installed pipeline; ``CoderError`` when it is not installed or has no NER."""
        from coder.suggest.pipeline import installed_pipeline

        if not installed_pipeline(name):
            raise CoderError(
                f"coder.toml [suggest] pipeline {name!r} is not installed (a package name or a "
                "folder with config.cfg); nothing is downloaded"
            )
        import spacy

        try:
            nlp = spacy.load(name)
        except (OSError, ValueError) as exc:
            raise CoderError(
                f"coder.toml [suggest] pipeline {name!r} cannot be loaded: {exc}"
            ) from None
        if not any("ner" in p or "ruler" in p for p in nlp.pipe_names):
            raise CoderError(f"spaCy pipeline {name!r} finds no entities (it has no ner component)")
        return cls(nlp, name)

    def find_all(self, texts: Iterable[str]) -> list[list[Found]]:
        """Hits for each text, in order."""
        results: list[list[Found]] = []
        for doc in self.nlp.pipe(texts, batch_size=8):
            hits: list[Found] = []
            for ent in doc.ents:
                category = _LABELS.get(ent.label_)
                if category is None:
                    continue
                if category is Category.INSTITUSJON and _SCHOOL.search(ent.text):
                    category = Category.SKOLE
                hits.append(Found(ent.start_char, ent.end_char, category, f"spacy:{ent.label_}"))
            results.append(hits)
        return results
