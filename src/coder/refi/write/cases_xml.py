"""Case attributes and ratings as REFI-QDA ``<Variables>``, and the ``<Cases>`` that hold them.

Each codebook attribute is one variable (the value from cases.csv). Each coder's ratings of an
attribute are one more variable, ``<label> (<coder>)``, so ratings stay per coder, as agreement
needs them. Nominal, ordinal and text attributes are ``Text`` (the level id); interval ones are
``Integer`` when every value is a whole number, else ``Float``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from coder.domain.codebook import AttributeSpec, Codebook
from coder.refi.description import RoundTrip
from coder.refi.write.codes_xml import attribute_data
from coder.refi.write.ids import RefiIds
from coder.refi.write.xml_writer import XmlWriter
from coder.store.refi_snapshot import RefiSnapshot

VariableKey = tuple[str, str | None]
"""(attribute id, coder name) for a rating variable, (attribute id, None) for the fact."""


def _number_type(values: list[str]) -> str:
    try:
        return "Integer" if all(str(int(v)) == v.strip() for v in values) else "Float"
    except ValueError:
        return "Float"


def decimal_text(value: str) -> str | None:
    """``value`` as an ``xsd:decimal`` (no exponent), or None when it is no finite number."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return format(number, "f") if number.is_finite() else None


@dataclass(frozen=True, slots=True)
class Variable:
    """One exported variable."""

    guid: str
    """Its GUID."""
    name: str
    """Its name: the attribute's label (and the coder, for ratings)."""
    kind: str
    """REFI ``typeOfVariable``: Text, Integer or Float."""
    description: str
    """Its description, for people."""
    data: dict[str, Any]
    """coder's data about it (kept in the file's ``RoundTrip``)."""


@dataclass(slots=True)
class CaseXmlWriter:
    """Writes ``<Variables>`` and ``<Cases>``; collects warnings about what it left out."""

    codebook: Codebook
    """The project's codebook (its attributes)."""
    ids: RefiIds
    """The project's GUIDs."""
    language: str
    """Label language for names."""
    warnings: list[str] = field(default_factory=list)
    """What was not exported, and why."""
    variables: dict[VariableKey, Variable] = field(default_factory=dict)
    """The variables written, by key."""
    cases: int = 0
    """Cases written."""
    round_trip: RoundTrip = field(default_factory=RoundTrip)
    """Where the variables' data for coder goes."""

    def write_variables(self, xml: XmlWriter, reader: RefiSnapshot) -> None:
        """Plan the variables from the codebook and the stored values; write ``<Variables>``."""
        facts, ratings = reader.attributes(), reader.ratings()
        known = {spec.id: spec for spec in self.codebook.attributes}
        for spec in self.codebook.attributes:
            values = [attrs[spec.id] for attrs in facts.values() if spec.id in attrs]
            data = attribute_data(spec)
            if spec.description:
                data["description"] = spec.description
            self.variables[(spec.id, None)] = Variable(
                self.ids.variable(spec.id),
                spec.label_in(self.language),
                self._kind(spec, values),
                self._attribute_text(spec),
                data,
            )
        for case_id, attrs in sorted(facts.items()):
            for name in sorted(set(attrs) - set(known)):
                self.warnings.append(
                    f"case {case_id!r}: attribute {name!r} is not in the codebook; not exported"
                )
        for attribute, coder in sorted({(a, c) for _, a, c, _ in ratings}):
            if attribute not in known:
                self.warnings.append(
                    f"{coder}'s ratings of {attribute!r}: not in the codebook; not exported"
                )
                continue
            spec = known[attribute]
            label = spec.label_in(self.language)
            values = [v for _, a, c, v in ratings if a == attribute and c == coder]
            data = {"rating": attribute, "coder": coder}
            self.variables[(attribute, coder)] = Variable(
                self.ids.rating(attribute, coder),
                f"{label} ({coder})",
                self._kind(spec, values),
                f"{coder}'s rating of {label}.",
                data,
            )
        if not self.variables:
            return
        xml.start("Variables")
        for variable in self.variables.values():
            attrs = {"guid": variable.guid, "name": variable.name}
            xml.start("Variable", attrs | {"typeOfVariable": variable.kind})
            if variable.description:
                xml.text("Description", variable.description)
            xml.end()
            self.round_trip.keep(variable.guid, variable.data)
        xml.end()

    def _kind(self, spec: AttributeSpec, values: list[str]) -> str:
        return _number_type(values) if spec.kind == "interval" else "Text"

    def _attribute_text(self, spec: AttributeSpec) -> str:
        parts = [spec.description] if spec.description else []
        if spec.levels:
            lines = [f"- {level.id}: {level.label_in(self.language)}" for level in spec.levels]
            parts.append("\n".join(["Levels:", *lines]))
        return "\n\n".join(parts)

    def write_cases(self, xml: XmlWriter, reader: RefiSnapshot) -> None:
        """``<Cases>``: each case with its values (facts, then ratings) and its transcripts."""
        case_ids = reader.cases()
        if not case_ids:
            return
        sources: dict[str, list[str]] = defaultdict(list)
        for row in reader.transcripts():
            if row.case_id is not None:
                sources[row.case_id].append(row.id)
        values: dict[str, dict[VariableKey, str]] = defaultdict(dict)
        for case_id, attrs in reader.attributes().items():
            for name, value in attrs.items():
                values[case_id][(name, None)] = value
        for case_id, attribute, coder, value in reader.ratings():
            values[case_id][(attribute, coder)] = value
        xml.start("Cases")
        for case_id in case_ids:
            xml.start("Case", {"guid": self.ids.case(case_id), "name": case_id})
            mine = values.get(case_id, {})
            for key, variable in self.variables.items():
                if key in mine:
                    self._value(xml, variable, mine[key], f"case {case_id!r}, {variable.name}")
            for transcript_id in sources.get(case_id, []):
                xml.empty("SourceRef", {"targetGUID": self.ids.source(transcript_id)})
            xml.end()
        xml.end()
        self.cases = len(case_ids)

    def _value(self, xml: XmlWriter, variable: Variable, value: str, where: str) -> None:
        if variable.kind == "Text":
            element, text = "TextValue", value
        elif variable.kind == "Integer":
            element, text = "IntegerValue", str(int(value))
        else:
            converted = decimal_text(value)
            if converted is None:
                self.warnings.append(f"{where}: {value!r} is not a finite number; left out")
                return
            element, text = "FloatValue", converted
        xml.start("VariableValue")
        xml.empty("VariableRef", {"targetGUID": variable.guid})
        xml.text(element, text)
        xml.end()
