"""The code tree as REFI-QDA ``<Code>`` elements, shared by .qdpx projects and .qdc codebooks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coder.codebook.unique_labels import distinct_names
from coder.domain.codebook import AttributeSpec, Code, Codebook
from coder.refi.description import RoundTrip, code_text
from coder.refi.write.ids import RefiIds
from coder.refi.write.xml_writer import XmlWriter


def label_language(codebook: Codebook, preferred: str) -> str:
    """The language whose labels become REFI names: the project's, if the codebook has it."""
    return preferred if preferred in codebook.languages else codebook.language


def code_data(code: Code, language: str, name: str | None = None) -> dict[str, Any]:
    """coder's data for a code: what REFI-QDA has no place for. ``name`` is the name the code
    is exported under when that is not its label (two codes share the label)."""
    data: dict[str, Any] = {"id": code.id}
    others = {lang: text for lang, text in code.label.items() if lang != language}
    if name is not None and name != code.label_in(language) and language in code.label:
        others[language] = code.label[language]
        data["name_is_label"] = False
    if others:
        data["label"] = others
    if language not in code.label:
        data["name_is_label"] = False
    if code.indicators:
        data["indicators"] = {lang: list(words) for lang, words in code.indicators.items()}
    if code.patterns:
        data["patterns"] = list(code.patterns)
    if code.hotkey:
        data["hotkey"] = code.hotkey
    texts = {  # prose in the other languages (the text above the data line is in ``language``)
        name: {lang: text for lang, text in per_language.items() if lang != language}
        for name, per_language in code.texts.items()
    }
    if any(texts.values()):
        data["texts"] = {name: found for name, found in texts.items() if found}
    return data


def attribute_data(spec: AttributeSpec) -> dict[str, Any]:
    """coder's data line for a case attribute: id, kind, labels and levels."""
    data: dict[str, Any] = {"id": spec.id, "kind": spec.kind, "label": dict(spec.label)}
    if spec.levels:
        data["levels"] = [
            {"id": level.id, "label": dict(level.label)}
            | ({"definition": level.definition} if level.definition else {})
            | ({"definitions": dict(level.definitions)} if level.definitions else {})
            for level in spec.levels
        ]
    if spec.descriptions:
        data["descriptions"] = dict(spec.descriptions)
    return data


def codebook_data(codebook: Codebook, language: str, *, attributes: bool) -> dict[str, Any]:
    """The codebook's own fields (and, for a .qdc, its attributes), for a data line."""
    data: dict[str, Any] = {
        "name": codebook.name,
        "version": codebook.version,
        "languages": list(codebook.languages),
        "name_language": language,
    }
    if attributes and codebook.attributes:
        data["attributes"] = [
            attribute_data(spec) | ({"description": spec.description} if spec.description else {})
            for spec in codebook.attributes
        ]
    return data


class CodeTreeWriter:
    """Writes a codebook's codes, parents around their children, with deterministic GUIDs.

    Codes are named by their label; two codes with one label are named apart with their
    parent's label (``distinct_names``), as tools that know codes by name need. Descriptions
    hold only text for people; coder's data about each code goes into ``round_trip``.
    """

    def __init__(
        self, codebook: Codebook, ids: RefiIds, language: str, round_trip: RoundTrip
    ) -> None:
        self._codebook = codebook
        self._ids = ids
        self._language = language
        self._names = distinct_names(codebook, language)
        self._round_trip = round_trip

    def write(
        self,
        xml: XmlWriter,
        *,
        notes: Mapping[str, Sequence[str]] | None = None,
        first_code_extra: dict[str, Any] | None = None,
    ) -> int:
        """Write ``<Codes>``; ``notes`` maps code ids to note GUIDs. Returns the codes written."""
        xml.start("Codes")
        count = 0
        for index, root in enumerate(self._codebook.children(None)):
            extra = first_code_extra if index == 0 else None
            count += self._write_code(xml, root, notes or {}, extra)
        xml.end()
        return count

    def _write_code(
        self,
        xml: XmlWriter,
        code: Code,
        notes: Mapping[str, Sequence[str]],
        extra: dict[str, Any] | None,
    ) -> int:
        name = self._names[code.id]
        data = code_data(code, self._language, name)
        if extra:
            data["codebook"] = extra
        guid = self._ids.code(code.id)
        attrs = {
            "guid": guid,
            "name": name,
            "isCodable": "true" if code.codable else "false",
            "color": code.color,
        }
        xml.start("Code", attrs)
        text = code_text(code, self._language)
        if text:
            xml.text("Description", text)
        self._round_trip.keep(guid, data)
        for note in notes.get(code.id, ()):
            xml.empty("NoteRef", {"targetGUID": note})
        count = 1
        for child in self._codebook.children(code.id):
            count += self._write_code(xml, child, notes, None)
        xml.end()
        return count
