"""The spaCy pipeline for suggestions: a trained pipeline if installed, else blank + stemming.

``load_pipeline(language, name)`` returns ``spacy.load(name)`` when ``name`` (coder.toml's
``[suggest] pipeline``) is an installed package or a pipeline folder; otherwise
``spacy.blank(language)`` with a ``sentencizer``. Either way the pipeline ends with
``coder_stemmer_v1``, a registered factory that writes each token's stem to ``token.norm_``, so
indicators and the classifier see ``mobbingen`` and ``mobbet`` as one word. Nothing here touches
the network: ``spacy.load`` only reads what is installed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import CoderError
from coder.suggest.stemmer import Stemmer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

STEMMER_FACTORY = "coder_stemmer_v1"
"""Registered name (and version) of the stemming component."""
STEMMER_NAME = "coder_stemmer"
"""Name of the component inside a pipeline."""


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """Which pipeline a suggester runs, for metadata and the UI."""

    language: str
    """The language the pipeline tokenises."""
    source: str
    """``trained`` (``spacy.load``) or ``blank`` (``spacy.blank`` + sentencizer + stemmer)."""
    name: str
    """The pipeline's name: the package or folder, or ``blank:<lang>``."""
    components: tuple[str, ...]
    """Component names in order."""
    requested: str | None = None
    """What coder.toml asked for, when it was not installed (blank was used instead)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "language": self.language,
            "source": self.source,
            "name": self.name,
            "components": list(self.components),
            "requested": self.requested,
        }


class StemmerComponent:
    """Pipeline component: ``token.norm_`` = Snowball stem of the lower-cased word."""

    def __init__(self, language: str) -> None:
        self.stemmer = Stemmer(language)
        """The stemmer, with its per-pipeline cache."""

    def __call__(self, doc: Doc) -> Doc:
        stem = self.stemmer.stem
        for token in doc:
            if not token.is_space:
                token.norm_ = stem(token.text)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterable[Doc]:
        """Stem a stream of docs."""
        for doc in docs:
            yield self(doc)


def register_components() -> None:
    """Register ``coder_stemmer_v1`` with spaCy (idempotent)."""
    from spacy.language import Language

    if Language.has_factory(STEMMER_FACTORY):
        return

    def make_stemmer(nlp: Language, name: str, language: str | None) -> StemmerComponent:
        return StemmerComponent(language or str(nlp.lang))

    Language.factory(STEMMER_FACTORY, default_config={"language": None}, func=make_stemmer)


def installed_pipeline(name: str) -> bool:
    """Whether ``name`` is an installed spaCy pipeline package or a pipeline folder."""
    from pathlib import Path

    import spacy.util

    return spacy.util.is_package(name) or (Path(name).expanduser() / "config.cfg").is_file()


def load_pipeline(language: str, name: str | None = None) -> tuple[Language, PipelineInfo]:
    """The pipeline for ``language``: ``spacy.load(name)`` if installed, else blank + stemmer."""
    import spacy

    register_components()
    requested: str | None = None
    if name and installed_pipeline(name):
        try:
            nlp = spacy.load(name)
        except (OSError, ValueError) as exc:
            raise CoderError(
                f"coder.toml [suggest] pipeline {name!r} cannot be loaded: {exc}"
            ) from None
        source = "trained"
        label = name
    else:
        requested = name or None
        try:
            nlp = spacy.blank(language)
        except ImportError as exc:
            from coder.domain.language import tokenizer_languages

            if language not in tokenizer_languages():
                raise CoderError(
                    f"spaCy has no language {language!r} (coder.toml language)"
                ) from None
            raise CoderError(
                f"spaCy's tokenizer for {language!r} (coder.toml language) needs a package "
                f"that is not installed: {exc}"
            ) from None
        nlp.add_pipe("sentencizer")
        source = "blank"
        label = f"blank:{language}"
    if STEMMER_NAME not in nlp.pipe_names:
        nlp.add_pipe(STEMMER_FACTORY, name=STEMMER_NAME, config={"language": language})
    info = PipelineInfo(language, source, label, tuple(nlp.pipe_names), requested)
    return nlp, info
