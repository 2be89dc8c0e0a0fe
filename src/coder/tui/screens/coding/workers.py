"""``Workers``: what the coding screen runs off the UI thread (loading, suggesting, retraining)."""

from __future__ import annotations

from textual import work

from coder.errors import CoderError
from coder.tui.screens.coding.base import CodingScreenBase
from coder.tui.session import CodingSession


def freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's view.

    A full collection otherwise walks every object of textual, spaCy and the loaded transcript
    and pauses a keystroke for 40-70 ms; frozen objects are long-lived anyway.
    """
    import gc

    gc.freeze()  # no collect() first: that would be the very pause this avoids


class Workers(CodingScreenBase):
    """Thread workers; each hands its result back with ``call_from_thread``."""

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8)
        self.app.pop_screen()

    @work(thread=True, exclusive=True, group="load")
    def load_session(self) -> None:
        """Load the transcript in a worker (large transcripts take more than 100 ms)."""
        app = self.coder_app
        assert app.coder is not None
        try:
            session = CodingSession.open(app.project, app.coder, self.transcript_id)
            from coder.store.coder_view import coder_memo_texts, coder_rejections

            memos = coder_memo_texts(app.project, app.coder, self.transcript_id)
            rejected = coder_rejections(app.project, app.coder, self.transcript_id)
        except CoderError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self.loaded, session, memos, rejected)

    @work(thread=True, exclusive=True, group="suggest")
    def suggest_ahead(self, index: int) -> None:
        """Suggestions for the current excerpt, then the next few (never on the UI thread)."""
        session, service = self.session, self.suggestions
        if session is None or service is None:
            return
        app = self.coder_app
        current = session.excerpts[index]
        try:
            loaded = service.ready
            service.compute([current])
            if not loaded:
                freeze_heap()  # spaCy's and the model's objects live as long as the screen
            app.call_from_thread(self._suggestions_ready, current.id)
            service.record_shown(current.id)
            service.compute(session.excerpts[index + 1 : index + 9])
        except Exception as exc:  # no pipeline, a broken model: say so, keep coding
            service.error = f"unavailable ({exc})"
            app.call_from_thread(self._suggestions_ready, current.id)

    def _suggestions_ready(self, excerpt_id: int) -> None:
        if self.session is not None and self.session.current.id == excerpt_id:
            self.redraw()

    @work(thread=True, exclusive=True, group="train")
    def retrain(self) -> None:
        """Retrain the model in the background after enough new codings."""
        service = self.suggestions
        if service is None or not service.ready:
            return
        try:
            if service.retrain_if_due() and self.session is not None:
                self.coder_app.call_from_thread(self.redraw, "suggestion model retrained")
                self.suggest_ahead(self.session.index)
        except Exception as exc:
            self.coder_app.call_from_thread(
                self.notify, f"retraining failed: {exc}", severity="warning"
            )

    @work(thread=True, exclusive=True, group="uncertain")
    def find_uncertain(self) -> None:
        """Jump to the unreviewed excerpt the model is least sure about."""
        service, session = self.suggestions, self.session
        if service is None or session is None:
            return
        excerpt_id = service.most_uncertain(session.transcript_id)
        if excerpt_id is None:
            self.coder_app.call_from_thread(self.redraw, "no unreviewed excerpt left")
        else:
            self.coder_app.call_from_thread(self.go_to_excerpt, excerpt_id)
