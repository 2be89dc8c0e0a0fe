"""Parsing REFI-QDA XML (``project.qde`` or a ``.qdc``) safely into a ``RefiDocument``.

The XML is parsed with defusedxml: entity declarations (the "billion laughs" expansion) and
external entities or DTDs are refused, never expanded or fetched. Elements are matched by
local name, so files with a missing or misspelt namespace (a known quirk) still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coder.errors import CoderError
from coder.refi.document import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiDocument,
    RefiLink,
    RefiNote,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from coder.refi.read.identity import check_unique
from coder.refi.read.safe_zip import HostileFileError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

UNSUPPORTED_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
"""Source elements coder cannot import (it codes text)."""


def parse_xml(data: bytes, where: str) -> Element:
    """The root element of ``data``; hostile or broken XML raises a CoderError naming ``where``."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeTree
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    try:
        root: Element = SafeTree.fromstring(data, forbid_dtd=False)
    except EntitiesForbidden:
        raise HostileFileError(
            f"{where}: refused: the XML declares entities (used for entity-expansion and "
            "external-entity attacks); REFI-QDA files never need them; nothing imported"
        ) from None
    except (ExternalReferenceForbidden, DTDForbidden):
        raise HostileFileError(
            f"{where}: refused: the XML refers to an external document type or entity; "
            "nothing was fetched and nothing imported"
        ) from None
    except ParseError as exc:
        raise CoderError(f"{where}: not well-formed XML ({exc})") from None
    return root


def local(tag: object) -> str:
    """An element's name without its namespace."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> Iterator[Element]:
    """Direct children called ``name`` (any namespace)."""
    return (child for child in element if local(child.tag) == name)


def child(element: Element, name: str) -> Element | None:
    """The first direct child called ``name``."""
    return next(children(element, name), None)


def child_text(element: Element, name: str) -> str | None:
    """Text of the first direct child called ``name`` (None when there is no such child)."""
    found = child(element, name)
    return None if found is None else (found.text or "")


def listed(element: Element, container: str, name: str) -> Iterator[Element]:
    """Children called ``name`` of the child called ``container`` (``<Users><User>``)."""
    found = child(element, container)
    return iter(()) if found is None else children(found, name)


def _code_ref(coding: Element) -> str:
    found = child(coding, "CodeRef")
    return "" if found is None else found.get("targetGUID", "")


def _refs(element: Element, name: str) -> tuple[str, ...]:
    return tuple(r.get("targetGUID", "") for r in children(element, name) if r.get("targetGUID"))


class RefiReader:
    """Turns a parsed REFI-QDA document into a ``RefiDocument``."""

    def __init__(self, where: str) -> None:
        self._where = where

    def read(self, root: Element) -> RefiDocument:
        """Read a ``<Project>`` or a ``<CodeBook>``; every code and source has its own GUID."""
        try:
            document = self._read(root)
        except RecursionError:
            raise CoderError(
                f"{self._where}: refused: elements nested too deeply (codes inside codes, "
                "about a thousand levels or more); no tool writes that; nothing imported"
            ) from None
        check_unique(document, self._where)
        return document

    def _read(self, root: Element) -> RefiDocument:
        kind = local(root.tag)
        if kind == "CodeBook":
            codes_element = child(root, "Codes")
            codes = () if codes_element is None else self._codes(codes_element)
            return RefiDocument("codebook", "", "", codes=codes)
        if kind != "Project":
            raise CoderError(
                f"{self._where}: not a REFI-QDA project or codebook (root element <{kind}>)"
            )
        book = child(root, "CodeBook")
        codes_element = None if book is None else child(book, "Codes")
        skipped: dict[str, int] = {}
        skipped_codings: dict[str, int] = {}
        sources: list[RefiSource] = []
        container = child(root, "Sources")
        for element in () if container is None else container:
            name = local(element.tag)
            if name == "TextSource":
                sources.append(self._source(element))
            elif name in UNSUPPORTED_SOURCES:
                skipped[name] = skipped.get(name, 0) + 1
                lost = sum(1 for found in element.iter() if local(found.tag) == "Coding")
                skipped_codings[name] = skipped_codings.get(name, 0) + lost
        return RefiDocument(
            kind="project",
            name=root.get("name", ""),
            description=child_text(root, "Description") or "",
            users=tuple(
                RefiUser(u.get("guid", ""), u.get("name") or u.get("id") or "")
                for u in listed(root, "Users", "User")
            ),
            codes=() if codes_element is None else self._codes(codes_element),
            variables=tuple(
                RefiVariable(
                    v.get("guid", ""),
                    v.get("name", ""),
                    v.get("typeOfVariable", "Text"),
                    child_text(v, "Description") or "",
                )
                for v in listed(root, "Variables", "Variable")
            ),
            cases=tuple(self._case(c) for c in listed(root, "Cases", "Case")),
            sources=tuple(sources),
            notes=tuple(self._note(n) for n in listed(root, "Notes", "Note")),
            links=tuple(
                RefiLink(link.get("originGUID"), link.get("targetGUID"))
                for link in listed(root, "Links", "Link")
            ),
            note_refs=_refs(root, "NoteRef"),
            skipped=skipped,
            skipped_codings=skipped_codings,
            sets=tuple(s.get("name") or s.get("guid") or "" for s in listed(root, "Sets", "Set")),
            graphs=tuple(
                g.get("name") or g.get("guid") or "" for g in listed(root, "Graphs", "Graph")
            ),
        )

    def _codes(self, element: Element) -> tuple[RefiCode, ...]:
        return tuple(self._code(code) for code in children(element, "Code"))

    def _code(self, element: Element) -> RefiCode:
        codable = element.get("isCodable", "true").strip().lower() not in ("false", "0")
        return RefiCode(
            guid=element.get("guid", ""),
            name=element.get("name", ""),
            codable=codable,
            color=element.get("color"),
            description=child_text(element, "Description") or "",
            children=self._codes(element),
            note_refs=_refs(element, "NoteRef"),
        )

    def _case(self, element: Element) -> RefiCase:
        values: list[tuple[str, str]] = []
        for value in children(element, "VariableValue"):
            ref = child(value, "VariableRef")
            if ref is None or not ref.get("targetGUID"):
                continue
            found = next((c for c in value if local(c.tag).endswith("Value")), None)
            if found is not None:
                values.append((ref.get("targetGUID", ""), (found.text or "").strip()))
        return RefiCase(
            guid=element.get("guid", ""),
            name=element.get("name", ""),
            values=tuple(values),
            source_refs=_refs(element, "SourceRef"),
            selection_refs=len(_refs(element, "SelectionRef")),
        )

    def _int(self, element: Element, name: str, owner: str) -> int:
        raw = element.get(name)
        try:
            return int(str(raw).strip())
        except ValueError:
            raise CoderError(
                f"{self._where}: {owner}: {name} must be a whole number, not {raw!r}"
            ) from None

    def _source(self, element: Element) -> RefiSource:
        name = element.get("name") or element.get("guid") or ""
        selections = []
        for sel in children(element, "PlainTextSelection"):
            owner = f"selection {sel.get('guid', '?')} in source {name!r}"
            codings = tuple(
                RefiCoding(
                    guid=coding.get("guid", ""),
                    code=_code_ref(coding),
                    user=coding.get("creatingUser"),
                    note_refs=_refs(coding, "NoteRef"),
                )
                for coding in children(sel, "Coding")
            )
            selections.append(
                RefiSelection(
                    guid=sel.get("guid", ""),
                    name=sel.get("name", ""),
                    start=self._int(sel, "startPosition", owner),
                    end=self._int(sel, "endPosition", owner),
                    user=sel.get("creatingUser"),
                    codings=codings,
                    note_refs=_refs(sel, "NoteRef"),
                    description=child_text(sel, "Description") or "",
                    created=sel.get("creationDateTime"),
                )
            )
        return RefiSource(
            guid=element.get("guid", ""),
            name=name,
            description=child_text(element, "Description") or "",
            path=element.get("plainTextPath"),
            content=child_text(element, "PlainTextContent"),
            selections=tuple(selections),
            whole_codings=sum(1 for _ in children(element, "Coding")),
            note_refs=_refs(element, "NoteRef"),
        )

    def _note(self, element: Element) -> RefiNote:
        return RefiNote(
            guid=element.get("guid", ""),
            name=element.get("name", ""),
            path=element.get("plainTextPath"),
            content=child_text(element, "PlainTextContent"),
            user=element.get("creatingUser"),
            created=element.get("creationDateTime"),
        )
