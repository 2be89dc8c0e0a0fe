"""Code retrieval: every segment coded with a code or a boolean of codes, each in its context.

Type a query (``risk.ses and not Mobbing``), Enter runs it; the list shows one segment per line
(transcript, excerpt, speaker, case, rating), the panel beside it the highlighted segment with
the excerpts around it and its coded spans in bold; Enter on a segment opens the coding screen
there (Escape comes back). A coder sees their own codings only; a lead cycles with ctrl+o
through every human coder, each coder, and the consensus layer. ctrl+s writes the list as
Markdown and CSV into the project's ``reports/`` folder. The case x code matrix opens this
screen on one cell (a code, one case).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from coder.domain.keys import RETRIEVE_KEYS
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen

if TYPE_CHECKING:
    from coder.export.coder_selection import CoderSelection
    from coder.export.retrieval import Retrieval, Segment

DIM = Style(dim=True, italic=True)
SPAN = Style(bold=True, underline=True)


class RetrievalScreen(CoderScreen[None]):
    """A query box, the segments found, and the highlighted one in its context."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings(RETRIEVE_KEYS),
        Binding("down", "focus_list", show=False),
    ]

    def __init__(self, expression: str = "", *, case: str | None = None) -> None:
        super().__init__()
        self.expression = expression
        """The query the screen opens with."""
        self.case = case
        """Only this case's segments (the matrix cell opened), else every case."""
        self.retrieval: Retrieval | None = None
        """The last result shown."""
        self.error: str | None = None
        """Why the last query found nothing to show (bad query, unknown code)."""
        self.whose_index = 0
        """Position in ``choices()`` (lead mode)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.expression,
            placeholder="Codes: risk.ses · Mobbing and not risk.family · (A or B) and C",
            id="retrieve-query",
        )
        yield Static("", id="retrieve-status", classes="hint")
        with Horizontal(id="retrieve-body"):
            yield OptionList(id="retrieve-segments")
            with VerticalScroll(id="retrieve-context-box"):
                yield Static("", id="retrieve-context")
        yield Footer()

    def on_mount(self) -> None:
        self._subtitle()
        if self.expression:
            self.run_query(self.expression)
        else:
            self.query_one(Input).focus()
            self._status("type codes (ids or labels) joined by and, or, not; Enter runs")

    def choices(self) -> list[tuple[str, CoderSelection]]:
        """Whose codings can be searched: the coder's own; for a lead, everyone's or one's."""
        from coder.export.coder_selection import CONSENSUS, CoderSelection
        from coder.store.retrieval_reads import coder_records

        app = self.coder_app
        if not app.lead:
            return [(f"your codings ({app.coder})", CoderSelection(names=(app.coder or "",)))]
        records = coder_records(app.project)
        found = [("every human coder", CoderSelection())]
        found += [
            (f"coder {r.name}", CoderSelection(names=(r.name,)))
            for r in records
            if r.kind == "human"
        ]
        if any(r.name == CONSENSUS for r in records):
            found.append(("the consensus layer", CoderSelection(consensus=True)))
        return found

    def _subtitle(self) -> None:
        choices = self.choices()
        whose = choices[self.whose_index % len(choices)][0]
        where = f" · case {self.case}" if self.case else ""
        self.sub_title = f"retrieve · {whose}{where}"

    def _status(self, text: str, *, problem: bool = False) -> None:
        status = self.query_one("#retrieve-status", Static)
        status.set_class(problem, "problem")
        status.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.run_query(event.value)

    @work(thread=True, exclusive=True, group="retrieve")
    def run_query(self, expression: str) -> None:
        """Retrieval reads every coding of the chosen coders: a worker."""
        from coder.errors import CoderError
        from coder.export.retrieval import retrieve

        app = self.coder_app
        selection = self.choices()[self.whose_index % len(self.choices())][1]
        try:
            found = retrieve(app.project, expression, selection, case=self.case, blind=not app.lead)
        except CoderError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._show, found)

    def _failed(self, message: str) -> None:
        self.retrieval = None
        self.error = message
        self.query_one(OptionList).clear_options()
        self.query_one("#retrieve-context", Static).update("")
        self._status(message, problem=True)
        self.query_one(Input).focus()

    def _show(self, found: Retrieval) -> None:
        self.retrieval = found
        self.error = None
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(
            [Option(self._line(segment), id=str(i)) for i, segment in enumerate(found.segments)]
        )
        transcripts = len({segment.transcript_id for segment in found.segments})
        self._status(
            f"{len(found.segments)} segment(s) in {transcripts} transcript(s) · {found.whose} · "
            "↓ to the list, Enter opens the excerpt"
        )
        if found.segments:
            listing.highlighted = 0
            self._show_context(found.segments[0])
            listing.focus()
        else:
            self.query_one("#retrieve-context", Static).update("")

    def _rating(self, segment: Segment) -> str:
        found = self.retrieval
        if found is None or found.attribute is None or segment.rating is None:
            return "—"
        spec = self.coder_app.project.codebook.attribute(found.attribute)
        level = spec.level(segment.rating)
        return level.label_in(self.coder_app.language) if level else segment.rating

    def _line(self, segment: Segment) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{segment.transcript_id} {segment.seq:>4} ", Style(bold=True))
        line.append(f"{segment.speaker or '—'} · {segment.case_id or '—'} · ")
        line.append(self._rating(segment), Style(italic=True))
        if self.coder_app.lead:
            line.append(f" · {segment.coder}", Style(dim=True))
        line.append("  " + " ".join(segment.text.split()), Style(dim=True))
        return line

    def _show_context(self, segment: Segment) -> None:
        from coder.export.retrieval_writers import text_pieces

        book = self.coder_app.project.codebook
        language = self.coder_app.language
        shown = Text()
        codes = ", ".join(book.code(code).label_in(language) for code in segment.codes)
        shown.append(f"{segment.transcript_id} · excerpt {segment.seq} · ", Style(bold=True))
        shown.append(f"case {segment.case_id or '—'} · {self._rating(segment)}\n")
        shown.append(f"Codes: {codes}\n\n", Style(dim=True))
        for neighbour in segment.before:
            shown.append(f"{neighbour.speaker or '—'}: {neighbour.text}\n\n", DIM)
        shown.append(f"{segment.speaker or '—'}: ", Style(bold=True))
        for text, inside in text_pieces(segment):
            shown.append(text, SPAN if inside else Style())
        shown.append("\n")
        for neighbour in segment.after:
            shown.append(f"\n{neighbour.speaker or '—'}: {neighbour.text}\n", DIM)
        self.query_one("#retrieve-context", Static).update(shown)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.retrieval is not None and event.option.id is not None:
            self._show_context(self.retrieval.segments[int(event.option.id)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.retrieval is None or event.option.id is None:
            return
        segment = self.retrieval.segments[int(event.option.id)]
        self.coder_app.open_transcript(segment.transcript_id, segment.excerpt_id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_whose(self) -> None:
        if not self.coder_app.lead:
            self.notify("a coder sees their own codings only (blind coding)", timeout=4)
            return
        self.whose_index = (self.whose_index + 1) % len(self.choices())
        self._subtitle()
        value = self.query_one(Input).value
        if value.strip():
            self.run_query(value)

    def action_export(self) -> None:
        from coder.export.retrieval_writers import save_retrieval

        found = self.retrieval
        if found is None:
            self.notify("nothing retrieved yet", severity="warning", timeout=4)
            return
        app = self.coder_app
        folder = app.project.root / "reports"
        folder.mkdir(exist_ok=True, mode=0o700)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        written: list[Any] = []
        for suffix in ("md", "csv"):
            path = folder / f"retrieval-{stamp}.{suffix}"
            written.append(save_retrieval(found, app.project.codebook, path, language=app.language))
        self.notify("exported " + ", ".join(str(path) for path in written), timeout=6)

    def action_back(self) -> None:
        self.app.pop_screen()
