"""The new project's codebook YAML, made from REFI-QDA codes and variables.

Codes exported by coder come back exactly (id, labels, indicators, patterns, hotkey from the
data line; definition, "Use when", "Don't use when" and examples from the text). Codes from
other tools get ids from their names under their parent's id (``risk.lav_inntekt``), their
name as the label in the project language, and their description. Colours with alpha
(``#RRGGBBAA``) lose the alpha; short ``#RGB`` colours are widened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from coder.domain.codebook import Codebook
from coder.errors import CoderError
from coder.refi.description import CodeSections, DescriptionText
from coder.refi.document import RefiCode, RefiDocument
from coder.refi.load.names import ID_LIMIT, slug, unique
from coder.refi.load.variables import ID_RE, AttributePlanner

LANG_RE = re.compile(r"^[a-z]{2,3}$")
_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})(?:[0-9a-fA-F]{2})?")
_SHORT_COLOUR = re.compile(r"#?([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])")


def colour(raw: str | None) -> str | None:
    """A REFI colour as ``#rrggbb``: alpha dropped, ``#rgb`` widened; None when unreadable."""
    if raw is None:
        return None
    value = raw.strip()
    if match := _COLOUR.fullmatch(value):
        return "#" + match.group(1)
    if match := _SHORT_COLOUR.fullmatch(value):
        return "#" + "".join(part * 2 for part in match.groups())
    return None


def codebook_meta(doc: RefiDocument) -> dict[str, Any]:
    """The codebook fields coder exported: from the project's data line, else the first code's."""
    data = DescriptionText.parse(doc.description).data or {}
    meta = data.get("codebook")
    if not isinstance(meta, dict) and doc.codes:
        meta = (DescriptionText.parse(doc.codes[0].description).data or {}).get("codebook")
    return meta if isinstance(meta, dict) else {}


def _per_language(value: Any, languages: Sequence[str], skip: str) -> dict[str, str]:
    """The valid {language: text} entries of a data line's prose, without ``skip``."""
    if not isinstance(value, dict):
        return {}
    return {
        lang: text.strip()
        for lang, text in value.items()
        if lang in languages and lang != skip and isinstance(text, str) and text.strip()
    }


class CodebookDraft:
    """Builds the codebook; ``code_ids`` maps code GUIDs to the ids given."""

    def __init__(
        self,
        doc: RefiDocument,
        *,
        name: str,
        language: str,
        coded: set[str],
        warnings: list[str],
    ) -> None:
        meta = codebook_meta(doc)
        languages = [lang for lang in meta.get("languages", []) if isinstance(lang, str)]
        languages = [lang for lang in languages if LANG_RE.match(lang)] or [language]
        name_language = meta.get("name_language")
        self.language = name_language if name_language in languages else languages[0]
        self.languages = languages
        self.name = str(meta.get("name") or name or "Imported codebook").strip()
        self.version = str(meta.get("version") or "1.0.0")
        self._coded = coded
        self._warnings = warnings
        self.code_ids: dict[str, str] = {}
        self._codes: list[dict[str, Any]] = []
        self._taken: set[str] = set()
        self._hotkeys: set[str] = set()
        for code in doc.codes:
            self._add(code, None)
        self.attributes = AttributePlanner(self.languages, self.language, warnings)
        self.attributes.plan(doc.variables, doc.cases)
        self._meta_attributes = meta.get("attributes") if doc.kind == "codebook" else None

    def _add(self, code: RefiCode, parent: str | None, parent_name: str = "") -> None:
        described = DescriptionText.parse(code.description)
        data = described.data or {}
        sections = CodeSections.parse(described.text)
        given = code.name.strip()
        suffix = f" ({parent_name})"
        if not data and parent_name and given.endswith(suffix) and len(given) > len(suffix):
            given = given[: -len(suffix)]  # coder named it apart from a namesake on export
        wanted = data.get("id")
        if isinstance(wanted, str) and ID_RE.match(wanted) and wanted not in self._taken:
            code_id = wanted
        else:
            leaf = slug(given or code.guid, "code")
            base = f"{parent}.{leaf}" if parent else leaf
            code_id = unique(base[:ID_LIMIT], self._taken)
        self._taken.add(code_id)
        if code.guid:
            self.code_ids[code.guid] = code_id
        name = given or code_id
        labels = {
            lang: text.strip()
            for lang, text in (data.get("label") or {}).items()
            if lang in self.languages and isinstance(text, str) and text.strip()
        }
        if data.get("name_is_label", True) or not labels:
            labels[self.language] = name
        codable = code.codable
        if not codable and code.guid in self._coded:
            codable = True
            self._warnings.append(
                f"code {name!r} is not codable (isCodable=false) but has codings; made it codable"
            )
        entry: dict[str, Any] = {"id": code_id}
        if parent:
            entry["parent"] = parent
        entry["label"] = {lang: labels[lang] for lang in self.languages if lang in labels}
        if not codable:
            entry["codable"] = False
        found = data.get("texts")
        texts: dict[str, Any] = found if isinstance(found, dict) else {}
        for key in ("description", "use_when", "dont_use_when"):
            others = _per_language(texts.get(key), self.languages, self.language)
            if getattr(sections, key) and others:
                entry[key] = {self.language: getattr(sections, key)} | others
            elif getattr(sections, key):
                entry[key] = getattr(sections, key)
        if sections.examples:
            entry["examples"] = [{"quote": e.quote, "source": e.source} for e in sections.examples]
        indicators = data.get("indicators")
        if isinstance(indicators, dict):
            kept = {
                lang: [w.strip() for w in words if isinstance(w, str) and w.strip()]
                for lang, words in indicators.items()
                if lang in self.languages and isinstance(words, list)
            }
            if any(kept.values()):
                entry["indicators"] = {lang: words for lang, words in kept.items() if words}
        patterns = data.get("patterns")
        if isinstance(patterns, list) and all(
            isinstance(p, list) and all(isinstance(t, dict) for t in p) for p in patterns
        ):
            entry["patterns"] = patterns
        shown = colour(code.color)
        if code.color is not None and shown is None:
            self._warnings.append(f"code {name!r}: colour {code.color!r} not understood; dropped")
        if shown:
            entry["color"] = shown
        hotkey = data.get("hotkey")
        if (
            isinstance(hotkey, str)
            and len(hotkey) == 1
            and hotkey.isprintable()
            and not hotkey.isspace()
            and codable
            and hotkey not in self._hotkeys
        ):
            entry["hotkey"] = hotkey
            self._hotkeys.add(hotkey)
        self._codes.append(entry)
        for child in code.children:
            self._add(child, code_id, code.name.strip())

    def data(self) -> dict[str, Any]:
        """The codebook as YAML-ready data."""
        if self._meta_attributes:
            attributes = self._planned_from_meta(self._meta_attributes)
        else:
            attributes = self.attributes.entries()
        result: dict[str, Any] = {
            "codebook": {"name": self.name, "version": self.version, "languages": self.languages},
            "codes": self._codes,
        }
        if attributes:
            result["attributes"] = attributes
        return result

    def _planned_from_meta(self, items: Sequence[Any]) -> list[dict[str, Any]]:
        from coder.refi.document import RefiVariable

        variables = [
            RefiVariable(f"meta:{index}", "", "Text", DescriptionText("", item).render())
            for index, item in enumerate(items)
            if isinstance(item, dict)
        ]
        planner = AttributePlanner(self.languages, self.language, self._warnings)
        planner.plan(variables, ())
        return planner.entries()

    def yaml_text(self) -> str:
        """The codebook file's text (block scalars for text with line breaks)."""
        import yaml

        class Dumper(yaml.SafeDumper):
            """Writes multi-line strings as ``|`` blocks."""

        def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
            style = "|" if "\n" in value else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        head = "# Made by `coder import-refi` from a REFI-QDA file.\n"
        body = yaml.dump(self.data(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
        return head + body

    def check(self, text: str, file: str) -> Codebook:
        """Validate the YAML with the project's loader (it must never fail; if it does, say so)."""
        from coder.codebook import parse_codebook

        try:
            return parse_codebook(text, file)
        except CoderError as exc:
            raise CoderError(f"the codebook made from {file} is not valid:\n{exc}") from None
