"""Command palette entries, named ``area: verb``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coder.tui.app import CoderApp


class CoderCommands(Provider):
    """Commands for the current screen plus one ``transcript: open`` per transcript."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from coder.store.queries import list_transcripts
        from coder.tui.screens.coding_screen import CodingScreen

        app = cast("CoderApp", self.app)
        screen = self.screen  # the screen the palette was opened from
        found: list[tuple[str, Callable[[], object], str]] = [
            ("app: help", app.action_help, "Every key binding"),
            ("app: quit", app.exit, "Leave coder (everything is saved already)"),
            ("search: text in all transcripts", partial(app.run_action, "search"), "Find text"),
            ("coder: switch to another coder", app.switch_coder, "Code under another name"),
            ("reports: open", app.open_reports, "Frequencies, co-occurrence, by robustness"),
            ("retrieve: segments coded with codes", app.open_retrieval, "A and B, A not B, A or B"),
        ]
        if app.lead:
            found.append(
                ("agreement: open report", app.open_agreement, "Per-code agreement, consensus")
            )
        if isinstance(screen, CodingScreen):
            found += [
                ("coding: next unreviewed", partial(screen.action_unreviewed, 1), "Jump ahead"),
                ("coding: previous unreviewed", partial(screen.action_unreviewed, -1), "Jump back"),
                ("coding: undo", screen.action_undo, "Undo your last change"),
                ("coding: redo", screen.action_redo, "Redo what you undid"),
                ("coding: code a span", screen.action_span, "Select part of the excerpt"),
                ("memo: write on this excerpt", screen.action_memo, "Your memo"),
                ("rating: rate this participant", screen.action_rate, "Case attributes"),
                ("transcript: back to the list", screen.action_home, "Home screen"),
            ]
        for info in list_transcripts(app.project):
            found.append(
                (
                    f"transcript: open {info.id}",
                    partial(app.open_transcript, info.id),
                    f"case {info.case_id or '—'}, {info.excerpts} excerpts",
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
