"""A REFI-QDA project or codebook as read from its XML, before it is mapped onto coder's terms."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RefiUser:
    """A ``<User>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name (or id, when it has no name)."""


@dataclass(frozen=True, slots=True)
class RefiCode:
    """A ``<Code>`` with its children."""

    guid: str
    """Its GUID."""
    name: str
    """Its name."""
    codable: bool
    """``isCodable``."""
    color: str | None
    """``color`` as written (may carry alpha)."""
    description: str
    """``<Description>`` text."""
    children: tuple[RefiCode, ...] = ()
    """Child codes, in file order."""
    note_refs: tuple[str, ...] = ()
    """GUIDs of notes on this code."""


@dataclass(frozen=True, slots=True)
class RefiVariable:
    """A ``<Variable>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name."""
    type: str
    """``typeOfVariable``: Text, Boolean, Integer, Float, Date or DateTime."""
    description: str
    """``<Description>`` text."""


@dataclass(frozen=True, slots=True)
class RefiCase:
    """A ``<Case>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name."""
    values: tuple[tuple[str, str], ...] = ()
    """(variable GUID, value as text) pairs."""
    source_refs: tuple[str, ...] = ()
    """GUIDs of its sources."""
    selection_refs: int = 0
    """Number of ``SelectionRef`` (not supported; counted for a warning)."""


@dataclass(frozen=True, slots=True)
class RefiCoding:
    """A ``<Coding>``."""

    guid: str
    """Its GUID."""
    code: str
    """GUID of the code (``CodeRef``)."""
    user: str | None
    """GUID of the ``creatingUser``, if given."""
    note_refs: tuple[str, ...] = ()
    """GUIDs of notes on this coding."""


@dataclass(frozen=True, slots=True)
class RefiSelection:
    """A ``<PlainTextSelection>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name (often the selected text)."""
    start: int
    """``startPosition``."""
    end: int
    """``endPosition``."""
    user: str | None
    """GUID of the ``creatingUser``, if given."""
    codings: tuple[RefiCoding, ...] = ()
    """Its codings."""
    note_refs: tuple[str, ...] = ()
    """GUIDs of notes on the selection."""
    description: str = ""
    """``<Description>``: where QualCoder and others keep the coding's memo."""
    created: str | None = None
    """``creationDateTime``."""


@dataclass(frozen=True, slots=True)
class RefiSource:
    """A ``<TextSource>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name."""
    description: str
    """``<Description>`` text."""
    path: str | None
    """``plainTextPath``."""
    content: str | None
    """``<PlainTextContent>``."""
    selections: tuple[RefiSelection, ...] = ()
    """Its selections."""
    whole_codings: int = 0
    """Codings of the whole source (not supported; counted for a warning)."""
    note_refs: tuple[str, ...] = ()
    """GUIDs of notes on the source."""


@dataclass(frozen=True, slots=True)
class RefiNote:
    """A ``<Note>``."""

    guid: str
    """Its GUID."""
    name: str
    """Its name (a title)."""
    path: str | None
    """``plainTextPath``."""
    content: str | None
    """``<PlainTextContent>``."""
    user: str | None
    """GUID of the ``creatingUser``."""
    created: str | None
    """``creationDateTime``."""


@dataclass(frozen=True, slots=True)
class RefiLink:
    """A ``<Link>`` between two elements."""

    origin: str | None
    """``originGUID``."""
    target: str | None
    """``targetGUID``."""


@dataclass(frozen=True, slots=True)
class RefiDocument:
    """A whole project (or, with ``kind == "codebook"``, a codebook)."""

    kind: str
    """``project`` or ``codebook``."""
    name: str
    """Project name (empty for a codebook)."""
    description: str
    """Project ``<Description>``."""
    users: tuple[RefiUser, ...] = ()
    """Users."""
    codes: tuple[RefiCode, ...] = ()
    """Root codes."""
    variables: tuple[RefiVariable, ...] = ()
    """Variables."""
    cases: tuple[RefiCase, ...] = ()
    """Cases."""
    sources: tuple[RefiSource, ...] = ()
    """Text sources."""
    notes: tuple[RefiNote, ...] = ()
    """Notes."""
    links: tuple[RefiLink, ...] = ()
    """Links."""
    note_refs: tuple[str, ...] = ()
    """Notes on the project as a whole."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Elements not imported (PDF, picture, audio, video sources), by element name."""
    skipped_codings: dict[str, int] = field(default_factory=dict)
    """Codings inside the skipped sources, by element name."""
    sets: tuple[str, ...] = ()
    """Names of ``<Set>``s (coder has no sets)."""
    graphs: tuple[str, ...] = ()
    """Names of ``<Graph>``s (coder has no graphs)."""
