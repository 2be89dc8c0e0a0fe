"""``CoderApp``: one project, one coder; screens for home, coding and the dialogs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import BindingType

from coder.domain.coders import check_name
from coder.domain.keys import APP_KEYS
from coder.project.live_session import LiveSession
from coder.project.project import Project
from coder.tui.bindings import bindings
from coder.tui.commands import CoderCommands
from coder.tui.local_state import remember_coder, remembered_coder

if TYPE_CHECKING:
    from coder.privacy.privacy_session import PrivacySession


class CoderApp(App[None]):
    """The coding app. Build it with ``make_app``."""

    CSS_PATH = "app.tcss"
    TITLE = "coder"
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_KEYS)
    COMMANDS = App.COMMANDS | {CoderCommands}

    def __init__(
        self,
        project: Project,
        coder: str | None = None,
        *,
        resume: bool = True,
        lead: bool = False,
        agreement: bool = False,
        shared: bool = False,
        privacy: PrivacySession | None = None,
    ) -> None:
        super().__init__()
        self.privacy = privacy
        """An open privacy key: the app is the pseudonymisation review (coder privacy review)."""
        self.project = project
        self.coder: str | None = check_name(coder) if coder else None
        self.resume = resume
        self.lead = lead or agreement
        """Lead mode shows every coder's work (agreement); coders work blind without it."""
        self.agreement = agreement
        self.shared = shared
        """On a shared machine (``coder serve``) the name is asked each time, never remembered."""
        self.live: LiveSession | None = None
        """This app's live-session marker (``.coder/live/``), removed at exit."""
        self.sub_title = project.settings.name
        self.set_keymap(dict(project.settings.keymap))

    @property
    def language(self) -> str:
        """Label language for codes and attributes: the project's, where the codebook has
        labels in it, else the codebook's first."""
        return self.project.codebook.label_language(self.project.settings.language)

    def on_mount(self) -> None:
        if self.privacy is not None:
            from coder.tui.screens.privacy_screen import PrivacyScreen

            self.push_screen(PrivacyScreen(self.privacy))
            return
        if self.agreement:
            self.open_agreement()
            return
        remembered = None if self.shared else remembered_coder(self.project.root)
        if self.coder is None:
            self.coder = remembered
        if self.coder is None:
            from coder.tui.screens.name_screen import NameScreen

            self.push_screen(NameScreen(), self._named)
        else:
            # `--coder NAME` is for this session; it becomes the default only on first use
            self._start(remember=remembered is None)

    def _named(self, name: str | None) -> None:
        if not name:
            self.exit()
            return
        self.coder = name
        self._start(remember=True)

    def switch_coder(self) -> None:
        """Ask for another name and start over as that coder (it becomes the default)."""
        from coder.tui.screens.name_screen import NameScreen

        def switched(name: str | None) -> None:
            if not name:
                return
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.coder = name
            self._start(remember=True)

        self.push_screen(NameScreen(), switched)

    def _start(self, *, remember: bool) -> None:
        """Start at home, the last transcript highlighted: Enter resumes it.

        Never straight into the coding screen: keys typed while the app starts (a filter, a
        name) would land there as code hotkeys.
        """
        from coder.tui.screens.home_screen import HomeScreen

        assert self.coder is not None
        self.project.store.coder_id(self.coder)
        self._claim_live_session(self.coder)
        if remember and not self.shared:
            remember_coder(self.project.root, self.coder)
        self.title = f"coder · {self.coder}"
        self.push_screen(HomeScreen(resume=self.resume))

    def _claim_live_session(self, coder: str) -> None:
        """Mark this coder's session live; warn when another one is open already."""
        other = LiveSession.find(self.project.root, coder)
        if self.live is not None:
            self.live.release()
        self.live = LiveSession.claim(self.project.root, coder)
        if other is not None:
            self.notify(
                f"{coder} already has coder open on this project ({other.describe()}). "
                "Both are safe: every action is checked against the database, but each "
                "screen shows the other's work only after reopening. Close one of them.",
                title="Open twice",
                severity="warning",
                timeout=30,
            )

    def open_transcript(
        self, transcript_id: str, excerpt_id: int | None = None, *, found: str | None = None
    ) -> None:
        """Open the coding screen on a transcript (optionally at one excerpt, with the words
        a search ``found`` there highlighted)."""
        from coder.tui.screens.coding_screen import CodingScreen

        screen = self.screen
        if isinstance(screen, CodingScreen):
            if screen.transcript_id == transcript_id:
                if excerpt_id is not None:
                    screen.show_found(excerpt_id, found)
                    screen.go_to_excerpt(excerpt_id)
                    screen.redraw()
                return
            self.pop_screen()
        coding = CodingScreen(transcript_id, excerpt_id)
        if excerpt_id is not None:
            coding.show_found(excerpt_id, found)
        self.push_screen(coding)

    def open_agreement(self) -> None:
        """The lead's agreement screen (lead mode only: it shows every coder's work)."""
        from coder.tui.screens.agreement_screen import AgreementScreen

        if not self.lead:
            self.notify(
                "agreement is for leads: start with `coder open --lead`", severity="warning"
            )
            return
        self.push_screen(AgreementScreen())

    def open_reports(self) -> None:
        """Frequencies, co-occurrence and crosstab (own codings; every coder in lead mode)."""
        from coder.tui.screens.reports_screen import ReportsScreen

        if not isinstance(self.screen, ReportsScreen):
            self.push_screen(ReportsScreen())

    def open_retrieval(self, expression: str = "", *, case: str | None = None) -> None:
        """Every segment coded with a code or a boolean of codes (own codings; a lead's
        choice of coders in lead mode), optionally of one case."""
        from coder.tui.screens.retrieval_screen import RetrievalScreen

        if self.coder is None:
            return
        self.push_screen(RetrievalScreen(expression, case=case))

    def action_retrieve(self) -> None:
        """ctrl+g: retrieval; on the coding screen with the code tree focused, of that code."""
        from coder.tui.screens.coding_screen import CodingScreen
        from coder.tui.screens.retrieval_screen import RetrievalScreen
        from coder.tui.widgets.code_tree import CodeTree

        screen = self.screen
        if isinstance(screen, RetrievalScreen):
            return
        expression = ""
        if isinstance(screen, CodingScreen):
            tree = screen.query_one(CodeTree)
            node = tree.cursor_node
            if tree.has_focus and node is not None and node.data:
                expression = str(node.data)
        self.open_retrieval(expression)

    def action_help(self) -> None:
        from coder.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.release()
        self.project.close()

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: a private crash log and one line, never a traceback.

        Textual's own handler prints a Rich traceback with local variables, which on this app
        means interview text on the terminal. The app still exits (with code 1), and under
        ``run_test`` the error is still raised to the test.
        """
        from coder.crash_log import CrashLog

        log = CrashLog.write(error, self.project.root)
        self.crash_log: CrashLog | None = log
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(log.message())
        self._close_messages_no_wait()


def make_app(
    project: Project | Path | None = None,
    *,
    coder: str | None = None,
    resume: bool = True,
    lead: bool = False,
    agreement: bool = False,
    shared: bool = False,
) -> CoderApp:
    """The app for a project (an open ``Project``, a folder, or found from the current folder).

    ``lead`` unlocks the agreement screen; ``agreement`` opens straight onto it; ``shared``
    asks the coder's name every time and never remembers it (one app for many people).
    """
    if not isinstance(project, Project):
        project = Project.open(project)
    return CoderApp(project, coder, resume=resume, lead=lead, agreement=agreement, shared=shared)


def make_privacy_app(session: PrivacySession) -> CoderApp:
    """The app opened on the pseudonymisation review of a project whose key is open."""
    return CoderApp(session.project, "lead", lead=True, privacy=session)
