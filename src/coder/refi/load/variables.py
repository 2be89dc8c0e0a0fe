"""REFI-QDA variables as case attributes, and variable values as attribute values or ratings.

A variable exported by coder carries its attribute (id, kind, labels, levels) or, for a rating
variable, the attribute and coder, in its description's data line. Other variables become
attributes by their type: Text, Date and DateTime -> text, Integer and Float -> interval,
Boolean -> nominal with levels true/false. A value that is no level of a nominal or ordinal
attribute becomes a new level (with a warning); a non-number of an interval one is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coder.refi.description import DescriptionText
from coder.refi.document import RefiCase, RefiVariable
from coder.refi.load.names import slug, unique

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
KINDS = ("nominal", "ordinal", "interval", "text")
_BY_TYPE = {"Integer": "interval", "Float": "interval", "Boolean": "nominal"}


def _texts(value: Any, languages: Sequence[str]) -> dict[str, str]:
    """Valid {language: text} prose from a data line (languages of the codebook only)."""
    if not isinstance(value, dict):
        return {}
    return {
        lang: text.strip()
        for lang, text in value.items()
        if lang in languages and isinstance(text, str) and text.strip()
    }


@dataclass(frozen=True, slots=True)
class VariablePlan:
    """What a variable's values become."""

    attribute: str
    """The case attribute's id."""
    coder: str | None
    """For a rating variable, the coder whose ratings these are; None for the fact."""


def _labels(value: Any, languages: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        str(lang): text.strip()
        for lang, text in value.items()
        if str(lang) in languages and isinstance(text, str) and text.strip()
    }


class AttributePlanner:
    """Case attributes from REFI variables; ``value`` converts a case's value of a variable."""

    def __init__(self, languages: list[str], language: str, warnings: list[str]) -> None:
        self._languages = languages
        self._language = language
        self._warnings = warnings
        self.attributes: dict[str, dict[str, Any]] = {}
        """Attribute id -> its codebook YAML entry, in file order."""
        self.plans: dict[str, VariablePlan] = {}
        """Variable GUID -> what its values become."""
        self._lookup: dict[str, dict[str, str]] = {}

    def plan(self, variables: Sequence[RefiVariable], cases: Sequence[RefiCase]) -> None:
        """Turn the variables into attributes, and add levels for values seen in the cases."""
        ratings: list[tuple[RefiVariable, dict[str, Any]]] = []
        for variable in variables:
            described = DescriptionText.parse(variable.description)
            data = described.data or {}
            if isinstance(data.get("rating"), str) and isinstance(data.get("coder"), str):
                ratings.append((variable, data))
            else:
                self._add(variable, described)
        for variable, data in ratings:
            if data["rating"] in self.attributes:
                self.plans[variable.guid] = VariablePlan(data["rating"], data["coder"])
            else:
                self._add(variable, DescriptionText.parse(variable.description))
        for case in cases:
            for guid, raw in case.values:
                plan = self.plans.get(guid)
                if plan is not None and raw:
                    self._level_for(plan.attribute, raw)

    def _add(self, variable: RefiVariable, described: DescriptionText) -> None:
        data = described.data or {}
        wanted = data.get("id")
        kind = data.get("kind")
        exported = isinstance(wanted, str) and bool(ID_RE.match(wanted)) and kind in KINDS
        if not exported:
            kind = _BY_TYPE.get(variable.type, "text")
        base = str(wanted) if exported else slug(variable.name or variable.guid, "attribute")
        attribute_id = unique(base, self.attributes)
        labels = _labels(data.get("label"), self._languages) if exported else {}
        entry: dict[str, Any] = {
            "id": attribute_id,
            "label": labels or {self._language: variable.name.strip() or attribute_id},
        }
        text = described.text.split("\n\nLevels:", 1)[0]
        text = "" if text.startswith("Levels:") else text
        description = data.get("description") if exported else text
        descriptions = _texts(data.get("descriptions") if exported else None, self._languages)
        if descriptions:
            entry["description"] = descriptions
        elif isinstance(description, str) and description.strip():
            entry["description"] = description.strip()
        entry["kind"] = kind
        levels: list[dict[str, Any]] = []
        if exported and isinstance(data.get("levels"), list):
            for level in data["levels"]:
                if not isinstance(level, dict) or not ID_RE.match(str(level.get("id", ""))):
                    continue
                item = {
                    "id": str(level["id"]),
                    "label": _labels(level.get("label"), self._languages),
                }
                item["label"] = item["label"] or {self._language: item["id"]}
                definitions = _texts(level.get("definitions"), self._languages)
                if definitions:
                    item["definition"] = definitions
                elif isinstance(level.get("definition"), str) and level["definition"].strip():
                    item["definition"] = level["definition"].strip()
                levels.append(item)
        elif variable.type == "Boolean":
            levels = [{"id": v, "label": {self._language: v}} for v in ("true", "false")]
        if kind in ("nominal", "ordinal"):
            entry["levels"] = levels
        self.attributes[attribute_id] = entry
        self._lookup[attribute_id] = {}
        for level in levels:
            self._remember(attribute_id, level)
        self.plans[variable.guid] = VariablePlan(attribute_id, None)

    def _remember(self, attribute_id: str, level: dict[str, Any]) -> None:
        lookup = self._lookup[attribute_id]
        lookup[level["id"].casefold()] = level["id"]
        for label in level["label"].values():
            lookup.setdefault(label.casefold(), level["id"])

    def _level_for(self, attribute_id: str, raw: str) -> str | None:
        entry = self.attributes[attribute_id]
        if entry["kind"] not in ("nominal", "ordinal"):
            return raw
        key = {"1": "true", "0": "false"}.get(raw, raw).casefold()
        found = self._lookup[attribute_id].get(key)
        if found is not None:
            return found
        level_id = unique(
            slug(raw, "level").replace(".", "_"), {lv["id"] for lv in entry["levels"]}
        )
        level = {"id": level_id, "label": {self._language: raw}}
        entry["levels"].append(level)
        self._remember(attribute_id, level)
        self._warnings.append(
            f"attribute {attribute_id!r}: the value {raw!r} is not one of its levels; "
            f"added the level {level_id!r}"
        )
        return level_id

    def entries(self) -> list[dict[str, Any]]:
        """The attributes for the codebook YAML (a nominal one without levels becomes text)."""
        result = []
        for attribute_id, entry in self.attributes.items():
            if entry["kind"] in ("nominal", "ordinal") and not entry.get("levels"):
                self._warnings.append(f"attribute {attribute_id!r} has no levels; made it text")
                entry = {k: v for k, v in entry.items() if k != "levels"} | {"kind": "text"}
                self.attributes[attribute_id] = entry
            result.append(entry)
        return result

    def value(self, variable_guid: str, raw: str, where: str) -> tuple[VariablePlan, str] | None:
        """The plan and the attribute value for one case's value of a variable, or None."""
        plan = self.plans.get(variable_guid)
        if plan is None or not raw:
            return None
        kind = self.attributes[plan.attribute]["kind"]
        if kind == "interval":
            try:
                float(raw.replace(",", "."))
            except ValueError:
                self._warnings.append(f"{where}: {raw!r} is not a number; left out")
                return None
        level = self._level_for(plan.attribute, raw)
        return None if level is None else (plan, level)
