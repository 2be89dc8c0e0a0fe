"""``CodebookDocument``: the codebook YAML as a round-trip document, edited in place.

Every change the app or ``coder codebook add|edit|move|merge|split|retire`` makes is written back
through this class, which keeps what a person wrote: comments, key order, flow or block style,
quotes and block scalars (``>-``, ``|``) of everything it does not touch (ruamel.yaml's round-trip
mode). A text it replaces keeps the style of the text it had; a new long text is a folded block
scalar. The caller validates the result with ``parse_codebook`` before anything is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from coder.errors import CoderError

Bump = Literal["major", "minor", "patch"]
"""Which part of a dotted version a change increments."""
LONG_TEXT = 70
"""Texts longer than this (or with a line break) become block scalars."""
_NUMERIC = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


def bumped(version: str, part: Bump) -> str:
    """The next version, as many parts as it had (at least up to ``part``): ``1.0.0`` -> ``1.1.0``
    (minor) or ``1.0.1`` (patch), ``2.3`` -> ``2.4`` (minor); other strings get their trailing
    number incremented (``2024-v3`` -> ``2024-v4``) or ``.1`` appended."""
    match = _NUMERIC.match(version.strip())
    if match:
        given = [int(group) for group in match.groups() if group is not None]
        index = {"major": 0, "minor": 1, "patch": 2}[part]
        numbers = given + [0] * (index + 1 - len(given))
        numbers = [*numbers[:index], numbers[index] + 1, *([0] * (len(numbers) - index - 1))]
        return ".".join(str(n) for n in numbers)
    trailing = re.search(r"(\d+)$", version)
    if trailing:
        return version[: trailing.start()] + str(int(trailing.group(1)) + 1)
    return f"{version}.1"


def _yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a flow list or a plain scalar a person wrapped (or did not)
    yaml.allow_unicode = True
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # spaCy patterns keep their braces
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _styled(text: str, like: Any = None) -> Any:
    """``text`` as a scalar in the style of ``like`` (the text it replaces), or block when long."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if isinstance(like, str) and like.endswith("\n") and not text.endswith("\n"):
        text += "\n"  # keep the block's chomping (``|`` rather than ``|-``)
    if "\n" in text.strip():
        return LiteralScalarString(text)
    if isinstance(like, LiteralScalarString):
        return LiteralScalarString(text)
    if isinstance(like, FoldedScalarString) or (like is None and len(text) > LONG_TEXT):
        return FoldedScalarString(text)
    return text


def _wrap_folded(value: Any) -> Any:
    """Give a new folded scalar line breaks near 90 columns (its breaks read as spaces)."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if not isinstance(value, FoldedScalarString) or getattr(value, "fold_pos", None):
        return value
    positions, line_start = [], 0
    for match in re.finditer(" ", str(value)):
        if match.start() - line_start > 88:
            positions.append(match.start())
            line_start = match.start() + 1
    value.fold_pos = positions  # type: ignore[attr-defined]
    return value


def _detach_trailing(entry: Any) -> Any:
    """Take the comment (and blank lines) after an entry's last key off it; returns it."""
    keys = list(entry.keys())
    return entry.ca.items.pop(keys[-1], None) if keys else None


def _attach_trailing(entry: Any, token: Any) -> None:
    """Put a comment taken with ``_detach_trailing`` after the entry's (new) last key."""
    keys = list(entry.keys())
    if token is not None and keys:
        entry.ca.items[keys[-1]] = token


def _blank_line() -> Any:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return [None, None, CommentToken("\n\n", CommentMark(0), None), None]


class CodebookDocument:
    """A codebook file's text, parsed for round-trip editing; ``text()`` gives it back."""

    def __init__(self, text: str, file: str = "<codebook>") -> None:
        from ruamel.yaml.error import YAMLError

        self.file = file
        """Where the text came from, for messages."""
        self._yaml = _yaml(_indents(text))
        try:
            self._data = self._yaml.load(text)
        except YAMLError as exc:
            raise CoderError(f"{file}: not valid YAML: {exc}") from None
        if not isinstance(self._data, dict) or not isinstance(self._data.get("codes"), list):
            raise CoderError(f"{file}: expected a mapping with 'codebook' and a list of 'codes'")

    def text(self) -> str:
        """The document as YAML text."""
        out = io.StringIO()
        self._yaml.dump(self._data, out)
        return out.getvalue()

    @property
    def version(self) -> str:
        """The ``codebook.version`` string (``0.0.0`` when absent)."""
        return str(self._data.get("codebook", {}).get("version", "0.0.0"))

    def set_version(self, version: str) -> None:
        """Write ``codebook.version``, keeping its quoting style."""
        meta = self._data.setdefault("codebook", {})
        old = meta.get("version")
        meta["version"] = type(old)(version) if isinstance(old, str) else version

    def bump_version(self, part: Bump) -> str:
        """Increment the version; returns the new one."""
        new = bumped(self.version, part)
        self.set_version(new)
        return new

    def _entries(self) -> list[Any]:
        codes: list[Any] = self._data["codes"]
        return codes

    def entry(self, code_id: str) -> Any:
        """The mapping of one code; CoderError when the file has no such code."""
        for item in self._entries():
            if isinstance(item, dict) and str(item.get("id")) == code_id:
                return item
        raise CoderError(f"{self.file}: no code {code_id!r}")

    @contextmanager
    def _editing(self, code_id: str) -> Iterator[Any]:
        """One code's mapping to change; the comment after it stays after it."""
        entry = self.entry(code_id)
        token = _detach_trailing(entry)
        try:
            yield entry
        finally:
            _attach_trailing(entry, token)

    def _insert_at(self, parent: str | None) -> int:
        """Where a new child of ``parent`` goes: after the parent's last descendant (or the end)."""
        if parent is None:
            return len(self._entries())
        family, last = {parent}, None
        for index, item in enumerate(self._entries()):
            if not isinstance(item, dict):
                continue
            if str(item.get("id")) == parent:
                last = index
            elif item.get("parent") is not None and str(item.get("parent")) in family:
                family.add(str(item.get("id")))
                last = index
        return len(self._entries()) if last is None else last + 1

    def add_code(
        self,
        code_id: str,
        label: Mapping[str, str],
        *,
        parent: str | None = None,
        description: str = "",
        hotkey: str | None = None,
        codable: bool = True,
    ) -> None:
        """Add a code after its parent's family; ``label`` per language, in order."""
        from ruamel.yaml.comments import CommentedMap

        entry = CommentedMap()
        entry["id"] = code_id
        if parent is not None:
            entry["parent"] = parent
        labels = CommentedMap((lang, text.strip()) for lang, text in label.items())
        labels.fa.set_flow_style()
        entry["label"] = labels
        if not codable:
            entry["codable"] = False
        if description.strip():
            entry["description"] = _wrap_folded(_styled(description.strip()))
        if hotkey is not None:
            entry["hotkey"] = _double_quoted(hotkey)
        at = self._insert_at(parent)
        before = self._entries()[at - 1] if at > 0 else None
        if isinstance(before, dict):
            # the comment after the previous code (a blank line, a section heading) moves below
            # the new code; the previous code keeps a blank line
            _attach_trailing(entry, _detach_trailing(before))
            _attach_trailing(before, _blank_line())
        self._entries().insert(at, entry)

    def set_label(self, code_id: str, language: str, text: str) -> None:
        """Set one language's label."""
        labels = self.entry(code_id).setdefault("label", {})
        labels[language] = text.strip()

    def set_prose(self, code_id: str, name: str, text: str, language: str | None) -> None:
        """Set a prose field (description, use_when, dont_use_when); per language when the file
        writes it per language (or ``language`` is given and the field is new); "" removes it."""
        with self._editing(code_id) as entry:
            self._set_prose(entry, name, text.strip(), language)

    @staticmethod
    def _set_prose(entry: Any, name: str, text: str, language: str | None) -> None:
        from ruamel.yaml.comments import CommentedMap

        old = entry.get(name)
        if isinstance(old, dict):
            lang = language or next(iter(old), None) or "en"
            if text:
                old[lang] = _wrap_folded(_styled(text, old.get(lang)))
            else:
                old.pop(lang, None)
                if not old:
                    del entry[name]
        elif not text:
            entry.pop(name, None)
        elif language is not None and old is None:
            entry[name] = CommentedMap([(language, _wrap_folded(_styled(text)))])
        else:
            entry[name] = _wrap_folded(_styled(text, old))

    def set_key(self, code_id: str, key: str, value: Any) -> None:
        """Set (``None``: remove) a plain key such as ``parent``, ``hotkey``, ``color``."""
        with self._editing(code_id) as entry:
            if value is None:
                entry.pop(key, None)
            elif key not in entry and key == "parent":
                entry.insert(1, key, value)
            else:
                entry[key] = _double_quoted(str(value)) if key in ("hotkey", "color") else value

    def retire(
        self, code_id: str, *, merged_into: str | None = None, split_into: Sequence[str] = ()
    ) -> None:
        """Mark a code retired (its hotkey freed), optionally merged into or split into others."""
        from ruamel.yaml.comments import CommentedSeq

        with self._editing(code_id) as entry:
            entry.pop("hotkey", None)
            entry["retired"] = True
            if merged_into is not None:
                entry["merged_into"] = merged_into
            if split_into:
                targets = CommentedSeq(split_into)
                targets.fa.set_flow_style()
                entry["split_into"] = targets

    def without_version(self) -> str:
        """The text with the version blanked: equal for two files that differ only in version."""
        copy = CodebookDocument(self.text(), self.file)
        copy.set_version("")
        return copy.text()


def _indents(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, dash offset) indentation as the file writes it, from its lines: the
    first key nested under a top-level key, and the first list item (a parse of its own would
    double the time of reading a codebook)."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    mapping, sequence, offset = 2, 2, 0
    for above, below in zip(lines, lines[1:], strict=False):
        if not above[0].isspace() and above.rstrip().endswith(":"):
            stripped = below.lstrip()
            if not stripped.startswith("-"):
                mapping = len(below) - len(stripped)
                break
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith("- "):
            offset = len(line) - len(stripped)
            rest = stripped[1:]
            sequence = offset + 1 + len(rest) - len(rest.lstrip())
            break
    return mapping, sequence, offset


def _double_quoted(text: str) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)
