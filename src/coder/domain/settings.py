"""Project settings: one pydantic model of coder.toml, each default and rule written once here.

``ProjectSettings`` mirrors the file table by table (``[project]``, ``[speakers]``,
``[segmentation]``, ``[keymap]``, ``[suggest]``, ``[coding]``, ``[codebook]``); every field's
docstring says what it means. ``coder.project.config`` reads the TOML and turns validation
errors into messages with file, line and field; everything else receives a validated, frozen
``ProjectSettings``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from coder.domain.limits import Limits

DEFAULT_INTERVIEWER = ("I", "Int", "Intervjuer", "Interviewer", "Moderator")
"""Interviewer labels recognised out of the box."""
DEFAULT_PARTICIPANT = (
    "D",
    "Deltaker",
    "Deltakar",
    "Participant",
    r"P\d*",
    r"R\d*",
    "Respondent",
    "Informant",
    "Ungdom",
    "Interviewee",
)
"""Participant labels recognised out of the box."""


class _Table(BaseModel):
    """A table of coder.toml: unknown keys are errors, values never change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class ProjectTable(_Table):
    """``[project]``: what the project is called and where its files are."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    """Project name."""
    language: str = "nb"
    """Transcript language: any language the installed spaCy has a tokenizer for (``nb``,
    ``nn``, ``da``, ``sv``, ``de``, ``en``, ...); also the label language, where the codebook
    has labels in it (else its first language)."""
    codebook: Annotated[str, StringConstraints(min_length=1)]
    """Codebook path, relative to the project folder."""
    transcripts: Annotated[str, StringConstraints(min_length=1)] = "transcripts"
    """Transcript folder, relative to the project folder."""

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        from coder.domain.language import check_language

        return check_language(value)


class SpeakerRules(_Table):
    """``[speakers]``: which line-start labels start a turn, and whose turn it is."""

    interviewer: tuple[str, ...] = DEFAULT_INTERVIEWER
    """Labels (regular expressions, matched whole and case-insensitively) of interviewers."""
    participant: tuple[str, ...] = DEFAULT_PARTICIPANT
    """Labels of participants; add names here (``Sara``)."""

    @field_validator("interviewer", "participant")
    @classmethod
    def _patterns(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        from coder.domain.label_pattern import LabelPattern, LabelPatternError

        for value in values:
            try:
                LabelPattern.compile(value)
            except LabelPatternError as exc:
                raise ValueError(str(exc)) from None
        return values


class SegmentationRules(_Table):
    """``[segmentation]``: how turns become excerpts."""

    max_chars: int = Field(default=1500, ge=100, le=1_000_000)
    """Turns longer than this are split at paragraphs, then line breaks, then sentence ends."""
    code_interviewer: bool = False
    """Whether interviewer turns are offered for coding."""


class SuggestRules(_Table):
    """``[suggest]``: where suggestions come from, and how often the model learns again."""

    pipeline: str | None = None
    """Name of an installed trained spaCy pipeline to use for suggestions."""
    retrain_every: int = Field(default=20, ge=1, le=1_000_000)
    """New coding decisions in the project before the coding screen retrains the model."""


class CodingRules(_Table):
    """``[coding]``: what the coding screen offers."""

    suggestions: bool = True
    """Whether the coding screen shows code suggestions (from the coder's own model)."""


class CodebookRules(_Table):
    """``[codebook]``: who may change the codebook from the app."""

    coders_may_add: bool = False
    """In a team (more than one person codes the project), codebook changes are the lead's
    (``coder open --lead``); with this, coders may propose new codes, which the lead accepts,
    merges into an existing code, or rejects. A coder alone on a project changes it freely."""


class PrivacyRules(_Table):
    """``[privacy]``: where the pseudonymisation key lives."""

    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    """Path of the pseudonymisation key (outside the project)."""


class StoreTable(_Table):
    """``[store]``: where the project database lives (docs/postgresql.md).

    Left out, the database is the SQLite file ``.coder/coder.db``. A URL such as
    ``postgresql+psycopg://host/dbname`` puts it on a PostgreSQL server; the environment variable
    ``CODER_DATABASE_URL`` overrides it. The password never sits here: libpq reads it from
    ``~/.pgpass`` or ``PGPASSWORD``.
    """

    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = None
    """Database URL (``postgresql+psycopg://[user@]host[:port]/dbname``), without a password."""

    @field_validator("url")
    @classmethod
    def _no_password(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if value is not None:
            try:
                password = urlsplit(value).password
            except ValueError as exc:
                raise ValueError(f"not a database URL ({exc})") from None
            if password is not None:
                raise ValueError(
                    "the URL holds a password; coder.toml is shared, so remove it and put the "
                    "password in ~/.pgpass or the PGPASSWORD environment variable"
                )
        return value


class LimitsTable(_Table):
    """``[limits]``: raised size limits of the file readers, in MiB (docs/limits.md).

    A limit left out keeps its default; the defaults and what each limit covers are in
    ``coder.domain.limits.Limits``, the one place they are written.
    """

    transcript_mb: int | None = Field(default=None, ge=1)
    """A text transcript on disk (``Limits.transcript_mb``)."""
    document_mb: int | None = Field(default=None, ge=1)
    """All parts of a .docx or .odt, uncompressed (``Limits.document_mb``)."""
    document_xml_mb: int | None = Field(default=None, ge=1)
    """The XML a .docx or .odt reader parses (``Limits.document_xml_mb``)."""
    codebook_mb: int | None = Field(default=None, ge=1)
    """A codebook YAML file on disk (``Limits.codebook_mb``)."""
    codebook_nodes: int | None = Field(default=None, ge=1)
    """YAML nodes of a codebook, aliases expanded (``Limits.codebook_nodes``)."""
    refi_entry_mb: int | None = Field(default=None, ge=1)
    """One entry of a .qdpx, uncompressed (``Limits.refi_entry_mb``)."""
    refi_total_mb: int | None = Field(default=None, ge=1)
    """All entries of a .qdpx, uncompressed (``Limits.refi_total_mb``)."""
    refi_project_mb: int | None = Field(default=None, ge=1)
    """The project.qde or .qdc XML, uncompressed (``Limits.refi_project_mb``)."""

    def resolved(self) -> Limits:
        """The limits in force: these values over the defaults."""
        return Limits().with_values(self.model_dump(exclude_none=True))


class ProjectSettings(_Table):
    """Everything coder.toml says, validated."""

    project: ProjectTable
    """``[project]``: name, language, codebook and transcript folder."""
    speakers: SpeakerRules = Field(default_factory=SpeakerRules)
    """``[speakers]``: speaker label rules."""
    segmentation: SegmentationRules = Field(default_factory=SegmentationRules)
    """``[segmentation]``: excerpt rules."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """``[keymap]``: binding id -> keys overrides for the TUI."""
    suggest: SuggestRules = Field(default_factory=SuggestRules)
    """``[suggest]``: suggestion rules."""
    coding: CodingRules = Field(default_factory=CodingRules)
    """``[coding]``: coding-screen rules."""
    privacy: PrivacyRules = Field(default_factory=PrivacyRules)
    """``[privacy]``: pseudonymisation rules."""
    store: StoreTable = Field(default_factory=StoreTable)
    """``[store]``: the database URL (PostgreSQL), if not the project's SQLite file."""
    codebook_rules: CodebookRules = Field(default_factory=CodebookRules, alias="codebook")
    """``[codebook]``: who may change the codebook (``codebook`` is the codebook's path)."""
    reader_limits: LimitsTable = Field(default_factory=LimitsTable, alias="limits")
    """``[limits]``: size limits of the file readers, as written (``limits`` has them resolved)."""

    @property
    def name(self) -> str:
        """Project name (``[project] name``)."""
        return self.project.name

    @property
    def language(self) -> str:
        """Transcript language (``[project] language``)."""
        return self.project.language

    @property
    def codebook(self) -> str:
        """Codebook path, relative to the project folder (``[project] codebook``)."""
        return self.project.codebook

    @property
    def transcripts(self) -> str:
        """Transcript folder, relative to the project folder (``[project] transcripts``)."""
        return self.project.transcripts

    @property
    def pipeline(self) -> str | None:
        """Installed spaCy pipeline for suggestions (``[suggest] pipeline``)."""
        return self.suggest.pipeline

    @property
    def privacy_key(self) -> str | None:
        """Path of the pseudonymisation key (``[privacy] key``)."""
        return self.privacy.key

    @property
    def limits(self) -> Limits:
        """Size limits of the file readers (``[limits]`` over the defaults)."""
        return self.reader_limits.resolved()
