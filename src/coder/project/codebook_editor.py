"""``CodebookEditor``: add, edit, move, merge, split and retire codes of an open project.

What the coding screen and ``coder codebook add|edit|move|merge|split|retire`` call. Each change
reads the codebook file (refusing when it changed on disk since the project loaded it: that is
a conflict to report, never to overwrite), edits it as a round-trip document (comments and
layout kept), bumps the version, validates the result like any codebook, and then, in one
database transaction, moves the codings a merge or split moves, logs an undoable
``codebook.<kind>`` event and writes the file atomically. The project then holds the new
codebook.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from coder.codebook.codebook_file import CodebookConflictError, CodebookFile
from coder.codebook.document import Bump, CodebookDocument
from coder.domain.codebook import PROSE_FIELDS, Code
from coder.domain.keys import coding_keys
from coder.errors import CoderError, NotFoundError

if TYPE_CHECKING:
    from coder.project.project import Project

HOTKEY_POOL = "123456789abcdefghijklmnopqrstvwxyzBCDEFGHIJLOPQRSTVWXYZ"
"""Keys a new code may get, in order of preference."""
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a", "ß": "ss"})


def slug(text: str) -> str:
    """A code-id part from a label: ``Ny jobb på Nav`` -> ``ny_jobb_pa_nav``."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:40] or "code"


class CodebookEditor:
    """Codebook changes by one person (``coder``) on one open project."""

    def __init__(self, project: Project, coder: str) -> None:
        self.project = project
        """The open project; its ``codebook`` is replaced after each change."""
        self.coder = coder
        """Who makes the changes (their undo stack holds them)."""

    def code(self, code_id: str) -> Code:
        """The code with this id; NotFoundError naming the codebook when there is none."""
        try:
            return self.project.codebook.code(code_id)
        except KeyError:
            raise NotFoundError(
                f"unknown code {code_id!r} (not in {self.project.settings.codebook})"
            ) from None

    def active_code(self, code_id: str, role: str) -> Code:
        """The code, refused (as ``role``) when it is retired or a group heading."""
        code = self.code(code_id)
        if code.retired:
            raise CoderError(f"{role} {code_id!r} is retired")
        if not code.codable:
            raise CoderError(f"{role} {code_id!r} is a group heading and cannot hold codings")
        return code

    def new_id(self, label: str, parent: str | None) -> str:
        """A fresh code id from a label, under the parent's id; never one used before."""
        from coder.store.code_proposals import taken_code_ids

        base = f"{parent}.{slug(label)}" if parent else slug(label)
        taken = {code.id for code in self.project.codebook.codes} | taken_code_ids(self.project)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        return candidate

    def free_hotkey(self) -> str | None:
        """The first key of ``HOTKEY_POOL`` no code and no coding-screen binding uses."""
        used = {code.hotkey for code in self.project.codebook.codes if code.hotkey}
        taken = set(coding_keys(dict(self.project.settings.keymap)))
        return next((key for key in HOTKEY_POOL if key not in used and key not in taken), None)

    def _change(
        self,
        kind: str,
        what: str,
        edit: Callable[[CodebookDocument], None],
        payload: dict[str, Any],
        *,
        bump: Bump = "minor",
        moves: Mapping[int, str] | None = None,
        accepts: int | None = None,
    ) -> None:
        from coder.codebook.loader import parse_codebook
        from coder.store.codebook_changes import record_change

        project = self.project
        path = project.codebook_path
        file = CodebookFile.read(path)
        if file.sha != project.codebook_sha:
            raise CodebookConflictError(
                f"{path}: the codebook file changed on disk since it was loaded (edited by hand "
                "or in another session); reload it first. Your change was not made."
            )
        document = CodebookDocument(file.text, str(path))
        edit(document)
        version = document.bump_version(bump)
        text = document.text()
        book = parse_codebook(text, str(path), project.settings.limits)
        written: list[CodebookFile] = []
        record_change(
            project,
            self.coder,
            kind,
            payload
            | {
                "what": what,
                "file": str(path),
                "version_before": project.codebook.version,
                "version_after": version,
                "yaml_before": file.text,
                "yaml_after": text,
            },
            known=(code.id for code in book.codes),
            moves=moves,
            write_file=lambda: written.append(file.write(text)),
            accepts=accepts,
        )
        project.set_codebook(book, written[0].sha)

    def add(
        self,
        label: Mapping[str, str],
        *,
        code_id: str | None = None,
        parent: str | None = None,
        description: str = "",
        hotkey: str | None = None,
        auto_hotkey: bool = True,
        accepts: int | None = None,
    ) -> Code:
        """Add a code (label per language; the id made from the first label unless given);
        it gets ``hotkey`` or, with ``auto_hotkey``, a free one while any is left. ``accepts``:
        the code proposal it accepts (``code_id`` is then the proposal's)."""
        label = {lang: text.strip() for lang, text in label.items() if text.strip()}
        if not label:
            raise CoderError("a new code needs a label")
        if parent is not None:
            self.code(parent)
        first = next(iter(label.values()))
        code_id = code_id or self.new_id(first, parent)
        if (self.project.file_codebook or self.project.codebook).has_code(code_id):
            raise CoderError(f"code id {code_id!r} exists already (ids are never reused)")
        key = hotkey if hotkey is not None else (self.free_hotkey() if auto_hotkey else None)

        def edit(document: CodebookDocument) -> None:
            document.add_code(code_id, label, parent=parent, description=description, hotkey=key)

        self._change(
            "add",
            f"new code {code_id}",
            edit,
            {"code": code_id, "parent": parent, "proposal": accepts},
            accepts=accepts,
        )
        return self.project.codebook.code(code_id)

    def edit(
        self,
        code_id: str,
        *,
        labels: Mapping[str, str] | None = None,
        texts: Mapping[str, str] | None = None,
        language: str | None = None,
    ) -> None:
        """Change labels (language -> text) and prose fields (``description``, ``use_when``,
        ``dont_use_when`` -> text, in ``language`` when the file writes them per language)."""
        self.code(code_id)
        labels, texts = dict(labels or {}), dict(texts or {})
        unknown = sorted(set(texts) - set(PROSE_FIELDS))
        if unknown:
            raise CoderError(
                f"unknown field(s) {', '.join(unknown)}: use {', '.join(PROSE_FIELDS)}"
            )
        if not labels and not texts:
            raise CoderError("nothing to change: give a label or a definition field")
        for lang, text in labels.items():
            if not text.strip():
                raise CoderError(f"the {lang} label cannot be empty")

        def edit(document: CodebookDocument) -> None:
            for lang, text in labels.items():
                document.set_label(code_id, lang, text)
            for name, text in texts.items():
                document.set_prose(code_id, name, text, language)

        fields = [*(f"label.{lang}" for lang in labels), *texts]
        self._change(
            "edit", f"edit of {code_id}", edit, {"code": code_id, "fields": fields}, bump="patch"
        )

    def move(self, code_id: str, parent: str | None) -> None:
        """Give a code another parent (``None``: make it a root)."""
        code = self.code(code_id)
        if parent is not None:
            self.code(parent)
            ancestor: str | None = parent
            while ancestor is not None:
                if ancestor == code_id:
                    raise CoderError(f"cannot move {code_id} under its own descendant {parent}")
                ancestor = self.project.codebook.code(ancestor).parent
        if code.parent == parent:
            raise CoderError(f"{code_id} is already under {parent or '(the root)'}")
        self._change(
            "move",
            f"move of {code_id}",
            lambda document: document.set_key(code_id, "parent", parent),
            {"code": code_id, "before": code.parent, "after": parent},
        )

    def retire(self, code_id: str) -> None:
        """Hide a code from coding and suggestions; it and its codings stay for history."""
        code = self.code(code_id)
        if code.retired:
            raise CoderError(f"{code_id} is retired already")
        self._change(
            "retire",
            f"retiring {code_id}",
            lambda document: document.retire(code_id),
            {"code": code_id},
        )

    def merge(self, source: str, target: str) -> int:
        """Merge ``source`` into ``target``: every coding moves (one already on the target is
        kept once), ``source`` is retired with ``merged_into``. Returns the codings moved."""
        from coder.store.codebook_changes import codings_of_code

        if source == target:
            raise CoderError("a code cannot be merged into itself")
        self.code(source)
        self.active_code(target, "merge target")
        found = codings_of_code(self.project, source)
        self._change(
            "merge",
            f"merge of {source} into {target}",
            lambda document: document.retire(source, merged_into=target),
            {"code": source, "into": target},
            moves={coding.id: target for coding in found},
        )
        return len(found)

    def split(
        self,
        source: str,
        into: Sequence[str],
        *,
        assign: Mapping[int, str] | None = None,
        rest: str | None = None,
    ) -> int:
        """Split ``source`` into ``into`` (existing active codes): each coding goes to the code
        ``assign`` names for it (coding id -> code), the others to ``rest``; with neither, every
        coding must be assigned. ``source`` is retired with ``split_into``. Returns the moved."""
        from coder.store.codebook_changes import codings_of_code

        self.code(source)
        targets = list(dict.fromkeys(into))
        if not targets:
            raise CoderError("a split needs the codes to split into")
        for target in targets:
            if target == source:
                raise CoderError("a code cannot be split into itself")
            self.active_code(target, "split target")
        assign = dict(assign or {})
        if rest is not None and rest not in targets:
            raise CoderError(f"{rest!r} is not one of the codes split into ({', '.join(targets)})")
        stray = sorted({code for code in assign.values() if code not in targets})
        if stray:
            raise CoderError(f"assigned to {', '.join(stray)}, which the split does not name")
        found = codings_of_code(self.project, source)
        moves = {c.id: assign.get(c.id, rest) for c in found if assign.get(c.id, rest)}
        unassigned = [coding for coding in found if coding.id not in moves]
        if unassigned:
            listed = ", ".join(f"excerpt {c.excerpt_id} ({c.coder})" for c in unassigned[:10])
            more = f" and {len(unassigned) - 10} more" if len(unassigned) > 10 else ""
            raise CoderError(
                f"{len(unassigned)} coding(s) of {source} have no code to go to: {listed}{more}. "
                "Assign each one, or name where the rest go. Nothing was changed."
            )
        self._change(
            "split",
            f"split of {source}",
            lambda document: document.retire(source, split_into=targets),
            {"code": source, "into": targets},
            moves={coding: str(target) for coding, target in moves.items()},
        )
        return len(moves)
