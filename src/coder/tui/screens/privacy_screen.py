"""Review the pseudonymisation candidates of ``coder privacy scan``, one at a time, in context.

Each candidate is a text (any case) with every place it occurs across the transcripts; a
decision is stored in the key and so applies to all of them. Keys: accept (``y``), reject
(``n``), change the category (``c``), extend the span a word to the right or left (``>`` /
``<``, on the place shown), add a missed one (``a``), choose a replacement (``r``). The key is
written after every decision (in a worker: sealing it with a passphrase takes a moment).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from coder.domain.keys import PRIVACY_KEYS
from coder.privacy.categories import Category
from coder.privacy.entry_matcher import EntryMatcher, Occurrence
from coder.privacy.privacy_key import KeyEntry, PrivacyKey, Status
from coder.tui.bindings import bindings
from coder.tui.screens.base import CoderScreen
from coder.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from coder.privacy.privacy_session import PrivacySession

CONTEXT = 60
_NEXT_WORD = re.compile(r"[^\w\n]{0,3}[\w'’-]+")
_PREVIOUS_WORD = re.compile(r"[\w'’-]+[^\w\n]{0,3}$")
_MARK = {Status.PENDING: "·", Status.ACCEPTED: "✓", Status.REJECTED: "✗"}
_CATEGORIES = list(Category)


class PrivacyScreen(CoderScreen[None]):
    """The candidate list on the left, the current one with its places on the right."""

    BINDINGS: ClassVar[list[Binding]] = bindings(PRIVACY_KEYS)  # type: ignore[assignment]

    def __init__(self, session: PrivacySession) -> None:
        super().__init__()
        self.session = session
        self.texts = session.texts()
        self.items: list[KeyEntry] = []
        self.index = 0
        self.place = 0
        self.places: list[tuple[str, Occurrence]] = []
        self._asking: str | None = None
        self._version = 0
        self._lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="privacy"):
            yield OptionList(id="privacy-list")
            with VerticalScroll(id="privacy-detail"):
                yield Static("", id="privacy-entry")
                yield Static("", id="privacy-context")
        yield Input(id="privacy-input")
        yield StatusLine(id="privacy-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "pseudonymisation: review candidates"
        self.query_one("#privacy-input").display = False
        self.items = [e for e in self.session.key.entries if e.status is Status.PENDING]
        self.items += [e for e in self.session.key.entries if e.status is not Status.PENDING]
        self.query_one(OptionList).can_focus = False
        self.redraw()

    @property
    def current(self) -> KeyEntry | None:
        """The candidate shown."""
        return self.items[self.index] if self.items else None

    def _refresh_item(self, entry: KeyEntry) -> None:
        self.items[self.index] = entry

    def redraw(self) -> None:
        """List, entry and places from the key's current state."""
        listing = self.query_one(OptionList)
        listing.clear_options()
        for item in self.items:
            label = Text(f"{_MARK[item.status]} {item.category.value:<8} ")
            label.append(item.text, Style(bold=item.status is Status.PENDING))
            listing.add_option(Option(label))
        pending = sum(1 for e in self.items if e.status is Status.PENDING)
        self._say(f"{pending} pending · {len(self.items)} in the key · decisions apply everywhere")
        entry = self.current
        if entry is None:
            self.query_one("#privacy-entry", Static).update(
                "No candidates: run `coder privacy scan`."
            )
            self.query_one("#privacy-context", Static).update("")
            return
        listing.highlighted = self.index
        matcher = EntryMatcher([entry])
        self.places = [(tid, o) for tid, text in self.texts.items() for o in matcher.finditer(text)]
        self.place = min(self.place, max(len(self.places) - 1, 0))
        head = Text()
        head.append(entry.text, Style(bold=True, reverse=True))
        head.append(f"\n{entry.category.value} ({entry.category.label}) · {entry.status.value}")
        if entry.replacement:
            head.append(f" as {entry.replacement}")
        transcripts = len({tid for tid, _ in self.places})
        head.append(
            f"\nfound by {entry.source} · {len(self.places)} place(s) in "
            f"{transcripts} transcript(s)"
        )
        self.query_one("#privacy-entry", Static).update(head)
        self.query_one("#privacy-context", Static).update(self._places_text())

    def _places_text(self) -> Text:
        body = Text()
        for number, (tid, found) in enumerate(self.places[:40]):
            text = self.texts[tid]
            left = text[max(0, found.start - CONTEXT) : found.start].replace("\n", " ")
            right = text[found.end : found.end + CONTEXT].replace("\n", " ")
            shown = number == self.place
            body.append(("▶ " if shown else "  ") + f"{tid}: ", Style(bold=shown))
            body.append(left, Style(dim=not shown))
            body.append(text[found.start : found.end], Style(reverse=True, bold=True))
            body.append(right + "\n", Style(dim=not shown))
        return body

    def _decided(self, entry: KeyEntry, message: str) -> None:
        self._refresh_item(entry)
        self.save_key()
        following = [
            i for i, e in enumerate(self.items) if e.status is Status.PENDING and i > self.index
        ]
        if following:
            self.index = following[0]
        self.place = 0
        self.redraw()
        self._say(message)

    def action_accept(self) -> None:
        entry = self.current
        if entry is not None:
            decided = self.session.key.accept(entry.text, entry.category)
            self._decided(decided, f"{entry.text!r} → {decided.replacement} everywhere")

    def action_reject(self) -> None:
        entry = self.current
        if entry is not None:
            self._decided(self.session.key.reject(entry.text), f"{entry.text!r} left as it is")

    def action_cycle_category(self) -> None:
        entry = self.current
        if entry is None:
            return
        category = _CATEGORIES[(_CATEGORIES.index(entry.category) + 1) % len(_CATEGORIES)]
        key = self.session.key
        key.remove(entry.text)
        key.propose(entry.text, category, entry.source)
        new = key.get(entry.text)
        assert new is not None
        self._refresh_item(new)
        self.redraw()

    def action_extend(self, words: int) -> None:
        """Take in the next (or previous) word at the place shown."""
        entry = self.current
        if entry is None or not self.places:
            return
        tid, found = self.places[self.place]
        text = self.texts[tid]
        start, end = found.start, found.end
        if words > 0:
            step = _NEXT_WORD.match(text, end)
            end = step.end() if step else end
        else:
            step = _PREVIOUS_WORD.search(text[:start])
            start = step.start() if step else start
        longer = " ".join(text[start:end].split())
        if longer == entry.text:
            self._say("nothing to take in there")
            return
        key = self.session.key
        if entry.status is Status.PENDING:
            key.remove(entry.text)
        key.propose(longer, entry.category, entry.source)
        new = key.get(longer)
        assert new is not None
        self.items[self.index] = new
        self.save_key()
        self.redraw()

    def action_add(self) -> None:
        self._ask("add", "Missed words (Enter adds them as a candidate, Esc cancels)")

    def action_choose_replacement(self) -> None:
        if self.current is not None:
            self._ask(
                "replacement", f"Replacement for {self.current.text!r} (e.g. Kari, or [NAVN-1])"
            )

    def _ask(self, what: str, placeholder: str) -> None:
        field = self.query_one("#privacy-input", Input)
        self._asking = what
        field.placeholder = placeholder
        field.value = ""
        field.display = True
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        what, value = self._asking, " ".join(event.value.split())
        self._close_input()
        if not value:
            return
        from coder.errors import CoderError

        key = self.session.key
        try:
            if what == "add":
                known = key.get(value)
                if known is None:
                    key.propose(value, Category.NAVN, "manual")
                    known = key.get(value)
                    assert known is not None
                    self.items.insert(self.index + 1 if self.items else 0, known)
                    self.index = self.index + 1 if len(self.items) > 1 else 0
                else:
                    self.index = next(i for i, e in enumerate(self.items) if e.text == known.text)
                self.save_key()
                self.place = 0
                self.redraw()
            elif what == "replacement" and self.current is not None:
                entry = self.current
                decided = key.accept(entry.text, entry.category, replacement=value)
                self._decided(decided, f"{entry.text!r} → {decided.replacement} everywhere")
        except CoderError as exc:
            self._say(str(exc))

    def _close_input(self) -> None:
        field = self.query_one("#privacy-input", Input)
        field.display = False
        self._asking = None
        self.focus()

    def action_step(self, delta: int) -> None:
        if self.items:
            self.index = (self.index + delta) % len(self.items)
            self.place = 0
            self.redraw()

    def action_next_occurrence(self) -> None:
        if self.places:
            self.place = (self.place + 1) % len(self.places)
            self.redraw()

    def action_back(self) -> None:
        if self._asking is not None:
            self._close_input()
            return
        with self._lock:
            self._version += 1
            self.session.save()
        self.app.exit()

    def _say(self, message: str) -> None:
        self.query_one("#privacy-status", StatusLine).message = message

    def save_key(self) -> None:
        """Write the key after a decision (a snapshot, in a worker), so none is lost."""
        self._version += 1
        self._write(self.session.key.copy(), self._version)

    @work(thread=True, group="privacy-save")
    def _write(self, snapshot: PrivacyKey, version: int) -> None:
        with self._lock:
            if version == self._version:  # a later snapshot supersedes this one
                self.session.save(snapshot)
        self.post_message(self.KeySaved(version))

    class KeySaved(Message):
        """A snapshot of the key was written (or superseded)."""

        def __init__(self, version: int) -> None:
            super().__init__()
            self.version = version
