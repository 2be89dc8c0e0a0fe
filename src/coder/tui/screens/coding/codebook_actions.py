"""``CodebookActions``: the codebook changing while coding: new codes, in vivo, changes, reloads.

ctrl+n opens the new-code form (label per language, parent, description; applied at once if
asked); in span mode it creates an in-vivo code named by the selected words and codes the
span with it. The change goes through ``CodebookEditor`` (YAML written back, version bumped,
undoable). ctrl+b changes the code under the tree cursor (labels, definitions, parent; merge,
split with a pick per coding, retire). Every few seconds the screen checks the codebook file:
a file edited by hand is reloaded (the tree, hotkeys and definitions follow); an invalid one
is reported and the codebook in use is kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coder.errors import CoderError
from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.screens.new_code_screen import NewCodeRequest
from coder.tui.widgets.code_tree import CodeTree
from coder.tui.widgets.definition_panel import DefinitionPanel
from coder.tui.widgets.excerpt_list import ExcerptList
from coder.tui.widgets.excerpt_view import ExcerptView
from coder.tui.widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from coder.tui.screens.code_edit_screen import CodeChange

RELOAD_SECONDS = 2.0
"""How often the coding screen looks at the codebook file for changes made by hand."""
IN_VIVO_CHARS = 60
"""At most this much of the selected words becomes an in-vivo code's label."""


def in_vivo_label(words: str) -> str:
    """The selected words as a label: one line, quotes and edge punctuation trimmed."""
    text = re.sub(r"\s+", " ", words).strip().strip("«»\"'“”‘’()[],.;:!?…- ")
    if len(text) > IN_VIVO_CHARS:
        text = text[:IN_VIVO_CHARS].rsplit(" ", 1)[0] + "…"
    return text


class CodebookActions(CodingScreenBase):
    """ctrl+n: a new code (in span mode: in vivo); the codebook file watched for changes."""

    _reload_problem: str | None = None

    def watch_codebook(self) -> None:
        """Start looking at the codebook file every ``RELOAD_SECONDS``; tell a lead about
        waiting code proposals."""
        self.set_interval(RELOAD_SECONDS, self.check_codebook_file)
        app = self.coder_app
        if app.lead:
            from coder.store.code_proposals import list_proposals

            waiting = len(list_proposals(app.project))
            if waiting:
                self.notify(
                    f"{waiting} code proposal(s) wait for you: `coder codebook proposals` "
                    "lists them; accept, merge or reject each",
                    timeout=10,
                )

    def show_own_proposals(self) -> None:
        """A coder (not in lead mode) sees their own open code proposals as codes."""
        app = self.coder_app
        app.project.show_proposals_of(None if app.lead else app.coder)

    def _right(self) -> str:
        from coder.project.codebook_rights import codebook_right, refusal

        app = self.coder_app
        assert app.coder is not None
        right = codebook_right(app.project, app.coder, lead=app.lead)
        if right == "none":
            self.notify(refusal(app.project), severity="warning", timeout=8)
        return right

    def action_new_code(self) -> None:
        from coder.tui.screens.new_code_screen import NewCodeScreen

        session = self.session
        if session is None:
            return
        right = self._right()
        if right == "none":
            return
        app = self.coder_app
        book = app.project.codebook
        if self.span is not None:
            start, end = self.span.range
            offset = session.current.start
            label = in_vivo_label(session.current.text[start - offset : end - offset])
            if not label:
                self.redraw("the selection has no words to name a code by")
                return
            language = app.language if app.language in book.languages else book.language
            self.create_code(NewCodeRequest({language: label}, None, "", True, right == "propose"))
            return
        highlighted = self.query_one(CodeTree).highlighted_code
        parent = None
        if highlighted is not None:
            parent = highlighted.id if not highlighted.codable else highlighted.parent
        where = "excerpt" if session.current.codable else "transcript"
        self.app.push_screen(
            NewCodeScreen(
                book, app.language, parent=parent, where=where, proposal=right == "propose"
            ),
            self.create_code,
        )

    def create_code(self, request: NewCodeRequest | None) -> None:
        """Create the code the form (or the span) asked for, and apply it if asked."""
        from coder.project.codebook_editor import CodebookEditor

        session = self.session
        if request is None or session is None:
            self.redraw("no new code")
            return
        app = self.coder_app
        assert app.coder is not None
        try:
            if request.proposal:
                from coder.project.code_proposals import propose_code

                code = propose_code(
                    app.project, app.coder, request.labels, request.parent, request.description
                )
            else:
                code = CodebookEditor(app.project, app.coder).add(
                    request.labels, parent=request.parent, description=request.description
                )
        except CoderError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.redraw("the code was not created")
            return
        self.codebook_changed()
        self.query_one(CodeTree).select_code(code.id)
        key = f" (key {code.hotkey})" if code.hotkey else " (no free key left)"
        what = "proposed" if request.proposal else "created"
        if request.apply and session.current.codable:
            self.toggle_code(code.id)
            self.redraw(f"{what} {self.code_name(code.id)}{key} and applied it (u undoes)")
        else:
            self.redraw(f"{what} {self.code_name(code.id)}{key}")

    def codebook_changed(self) -> None:
        """Show the project's (new) codebook everywhere on the screen."""
        book = self.coder_app.project.codebook
        for widget in (
            self.query_one(CodeTree),
            self.query_one(ExcerptList),
            self.query_one(ExcerptView),
            self.query_one(DefinitionPanel),
            self.query_one(SuggestionPanel),
        ):
            widget.codebook = book
        tree = self.query_one(CodeTree)
        tree.build()
        if self.session is not None:
            tree.set_counts(self.session.code_counts)
        self.query_one(ExcerptList).refresh()
        self.redraw()

    def check_codebook_file(self) -> bool:
        """Reload the codebook if its file changed on disk; True when it was reloaded."""
        project = self.coder_app.project
        try:
            changed = project.reload_codebook()
        except CoderError as exc:
            problem = str(exc)
            if problem != self._reload_problem:  # say it once, not every two seconds
                self._reload_problem = problem
                self.notify(
                    f"the codebook file changed but cannot be used; still using version "
                    f"{project.codebook.version}:\n{problem}",
                    severity="error",
                    timeout=15,
                )
            return False
        self._reload_problem = None
        if changed:
            self.codebook_changed()
            self.redraw(f"codebook reloaded from the file (version {project.codebook.version})")
        return changed

    def action_change_code(self) -> None:
        from coder.store.codebook_changes import count_codings
        from coder.tui.screens.code_edit_screen import CodeEditScreen

        code = self.query_one(CodeTree).highlighted_code
        if code is None:
            self.redraw("move the tree cursor (Tab) to the code to change")
            return
        if self._right() != "change":
            if self._right() == "propose":
                self.notify("coders propose new codes (ctrl+n); changing codes is the lead's")
            return
        app = self.coder_app
        count = count_codings(app.project, code.id)
        screen = CodeEditScreen(app.project.codebook, code, app.language, count)
        self.app.push_screen(screen, self.apply_change)

    def apply_change(self, change: CodeChange | None) -> None:
        """Make a change the code form asked for (a split first asks where codings go)."""
        from coder.project.codebook_editor import CodebookEditor

        if change is None:
            self.redraw("nothing changed")
            return
        app = self.coder_app
        assert app.coder is not None
        if change.kind == "split":
            self._ask_split(change)
            return
        editor = CodebookEditor(app.project, app.coder)
        try:
            if change.kind == "edit":
                if change.labels or change.texts:
                    editor.edit(
                        change.code,
                        labels=change.labels,
                        texts=change.texts,
                        language=change.language,
                    )
                if change.parent is not False:
                    editor.move(change.code, change.parent)
                done = f"changed {self.code_name(change.code)}"
            elif change.kind == "merge":
                moved = editor.merge(change.code, change.targets[0])
                done = f"merged {change.code} into {change.targets[0]} ({moved} coding(s))"
            else:
                editor.retire(change.code)
                done = f"retired {change.code}"
        except CoderError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.redraw("the codebook was not changed")
            return
        self._after_change(done)

    def _after_change(self, done: str) -> None:
        session = self.session
        if session is not None:
            for excerpt in session.excerpts:  # codings may have moved between codes
                session.reload_excerpt(excerpt.id)
        self.codebook_changed()
        version = self.coder_app.project.codebook.version
        self.redraw(f"{done}; codebook version {version} (u undoes)")

    def _ask_split(self, change: CodeChange) -> None:
        from coder.store.codebook_changes import codings_of_code
        from coder.store.queries import excerpt_text
        from coder.tui.screens.split_screen import SplitScreen

        app = self.coder_app
        book = app.project.codebook
        found = codings_of_code(app.project, change.code)
        rows = [(c.id, c.coder, excerpt_text(app.project, c.excerpt_id)) for c in found]
        targets = {code: book.code(code).label_in(app.language) for code in change.targets}

        def split(chosen: dict[int, str] | None) -> None:
            from coder.project.codebook_editor import CodebookEditor

            if chosen is None:
                self.redraw("nothing split")
                return
            assert app.coder is not None
            try:
                moved = CodebookEditor(app.project, app.coder).split(
                    change.code, change.targets, assign=chosen
                )
            except CoderError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                self.redraw("the codebook was not changed")
                return
            self._after_change(f"split {change.code} ({moved} coding(s) moved)")

        self.app.push_screen(SplitScreen(change.code, targets, rows), split)
