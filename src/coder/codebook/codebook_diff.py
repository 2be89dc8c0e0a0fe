"""``CodebookDiff``: what changed between two versions of a codebook, as plain data.

``diff(old, new)`` is pure (two ``Codebook`` objects in, a ``CodebookDiff`` out, no I/O). It lists
codes added and removed, renamed (a label changed: ids are stable, labels are not), moved in the
tree, merged (``merged_into``), split (``split_into``) and retired, and the definitions
(description, use when, don't use when, per language) that changed; attributes added and
removed. ``coder codebook diff`` prints it; a merge of coders' work reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from coder.domain.codebook import PROSE_FIELDS, Code, Codebook


@dataclass(frozen=True, slots=True)
class Renamed:
    """A code whose label changed in at least one language."""

    code: str
    """The code id (unchanged)."""
    before: Mapping[str, str]
    """Labels per language before."""
    after: Mapping[str, str]
    """Labels per language after."""


@dataclass(frozen=True, slots=True)
class Moved:
    """A code that got another parent."""

    code: str
    """The code id."""
    before: str | None
    """The old parent (None: a root)."""
    after: str | None
    """The new parent."""


@dataclass(frozen=True, slots=True)
class Redirected:
    """A code merged or split into others (retired, its codings moved)."""

    code: str
    """The retired code."""
    into: tuple[str, ...]
    """The code(s) its codings went to."""


@dataclass(frozen=True, slots=True)
class DefinitionChange:
    """A prose field of a code that changed, in one language (or the plain text: ``""``)."""

    code: str
    """The code id."""
    field: str
    """``description``, ``use_when`` or ``dont_use_when``."""
    language: str
    """The language of the text, ``""`` for a plain (one-language) text."""
    before: str
    """The text before (``""``: there was none)."""
    after: str
    """The text after."""


@dataclass(frozen=True, slots=True)
class CodebookDiff:
    """The differences from ``old`` to ``new``; empty lists when nothing of a kind changed."""

    old_version: str
    """The first codebook's version."""
    new_version: str
    """The second codebook's version."""
    added: tuple[str, ...] = ()
    """Codes only in the new codebook."""
    removed: tuple[str, ...] = ()
    """Codes only in the old codebook (their codings would be orphaned)."""
    renamed: tuple[Renamed, ...] = ()
    """Codes with another label."""
    moved: tuple[Moved, ...] = ()
    """Codes with another parent."""
    merged: tuple[Redirected, ...] = ()
    """Codes newly merged into another."""
    split: tuple[Redirected, ...] = ()
    """Codes newly split into others."""
    retired: tuple[str, ...] = ()
    """Codes newly retired (not merged, not split)."""
    unretired: tuple[str, ...] = ()
    """Codes retired before and active again."""
    definitions: tuple[DefinitionChange, ...] = ()
    """Changed definition texts."""
    attributes_added: tuple[str, ...] = ()
    """Case attributes only in the new codebook."""
    attributes_removed: tuple[str, ...] = ()
    """Case attributes only in the old codebook."""

    @property
    def empty(self) -> bool:
        """Whether the two codebooks have the same codes, tree and definitions."""
        return not any(
            getattr(self, name)
            for name in self.to_dict()
            if name not in ("old_version", "new_version")
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, dicts, strings), e.g. for JSON."""
        plain: dict[str, Any] = _lists(asdict(self))
        return plain

    def lines(self) -> list[str]:
        """A readable listing, one change a line."""
        out = [f"codebook {self.old_version} -> {self.new_version}"]
        if self.empty:
            return [*out, "  no changes to codes, tree or definitions"]
        out += [f"  added: {code}" for code in self.added]
        out += [f"  removed: {code}" for code in self.removed]
        for item in self.renamed:
            changed = [
                f"{lang}: {item.before.get(lang, '')!r} -> {item.after.get(lang, '')!r}"
                for lang in dict.fromkeys([*item.before, *item.after])
                if item.before.get(lang) != item.after.get(lang)
            ]
            out.append(f"  renamed: {item.code} ({'; '.join(changed)})")
        out += [
            f"  moved: {m.code} ({m.before or '(root)'} -> {m.after or '(root)'})"
            for m in self.moved
        ]
        out += [f"  merged: {m.code} into {', '.join(m.into)}" for m in self.merged]
        out += [f"  split: {m.code} into {', '.join(m.into)}" for m in self.split]
        out += [f"  retired: {code}" for code in self.retired]
        out += [f"  active again: {code}" for code in self.unretired]
        for change in self.definitions:
            where = f"{change.field}" + (f" [{change.language}]" if change.language else "")
            verb = "added" if not change.before else "removed" if not change.after else "changed"
            out.append(f"  definition {verb}: {change.code} {where}")
        out += [f"  attribute added: {a}" for a in self.attributes_added]
        out += [f"  attribute removed: {a}" for a in self.attributes_removed]
        return out


def _lists(value: Any) -> Any:
    """Tuples as lists, all the way down."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(item) for item in value]
    return value


def _texts(code: Code, name: str) -> dict[str, str]:
    """A prose field as language -> text (``""`` for a plain text)."""
    per_language = code.texts.get(name)
    if per_language:
        return dict(per_language)
    text = str(getattr(code, name))
    return {"": text} if text else {}


def _definition_changes(before: Code, after: Code) -> list[DefinitionChange]:
    changes = []
    for name in PROSE_FIELDS:
        old, new = _texts(before, name), _texts(after, name)
        if old.keys() != new.keys() and set(old) | set(new) >= {""}:
            # plain <-> per-language: compare the default-language texts only
            old = {"": str(getattr(before, name))}
            new = {"": str(getattr(after, name))}
        for lang in dict.fromkeys([*old, *new]):
            if old.get(lang, "") != new.get(lang, ""):
                changes.append(
                    DefinitionChange(after.id, name, lang, old.get(lang, ""), new.get(lang, ""))
                )
    return changes


def diff(old: Codebook, new: Codebook) -> CodebookDiff:
    """The differences from ``old`` to ``new`` (pure; codes in ``new``'s tree order)."""
    before = {code.id: code for code in old.codes}
    after = {code.id: code for _, code in new.walk()}
    common = [code_id for code_id in after if code_id in before]
    renamed, moved, merged, split, retired, unretired = [], [], [], [], [], []
    definitions: list[DefinitionChange] = []
    for code_id in common:
        was, now = before[code_id], after[code_id]
        if dict(was.label) != dict(now.label):
            renamed.append(Renamed(code_id, dict(was.label), dict(now.label)))
        if was.parent != now.parent:
            moved.append(Moved(code_id, was.parent, now.parent))
        if now.merged_into and now.merged_into != was.merged_into:
            merged.append(Redirected(code_id, (now.merged_into,)))
        elif now.split_into and now.split_into != was.split_into:
            split.append(Redirected(code_id, now.split_into))
        elif now.retired and not was.retired:
            retired.append(code_id)
        if was.retired and not now.retired:
            unretired.append(code_id)
        definitions += _definition_changes(was, now)
    for code_id in after:
        now = after[code_id]
        if code_id not in before and now.merged_into:
            merged.append(Redirected(code_id, (now.merged_into,)))
    old_attributes = {spec.id for spec in old.attributes}
    new_attributes = {spec.id for spec in new.attributes}
    return CodebookDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(code_id for code_id in after if code_id not in before),
        removed=tuple(code.id for _, code in old.walk() if code.id not in after),
        renamed=tuple(renamed),
        moved=tuple(moved),
        merged=tuple(merged),
        split=tuple(split),
        retired=tuple(retired),
        unretired=tuple(unretired),
        definitions=tuple(definitions),
        attributes_added=tuple(s.id for s in new.attributes if s.id not in old_attributes),
        attributes_removed=tuple(s.id for s in old.attributes if s.id not in new_attributes),
    )
