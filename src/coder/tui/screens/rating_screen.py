"""Rate the participant: a picker for every case attribute; ordinal levels show definitions."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coder.domain.codebook import AttributeSpec
from coder.errors import CoderError
from coder.tui.screens.base import CoderModalScreen

CLEAR = "__clear__"


class RatingScreen(CoderModalScreen[None]):
    """Each attribute is a list of levels (Enter sets it at once) or a text field."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="rating.close"),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        from coder.store.coder_view import coder_ratings

        app = self.coder_app
        assert app.coder is not None
        current = coder_ratings(app.project, app.coder).get(self.case_id, {})
        with Vertical(id="dialog"):
            yield Label(f"Rate participant {self.case_id} (your ratings only)", id="title")
            with VerticalScroll(id="attributes"):
                for spec in app.project.codebook.attributes:
                    yield Label(self._heading(spec, current.get(spec.id)), classes="attribute")
                    if spec.levels:
                        yield self._levels(spec, current.get(spec.id))
                    else:
                        yield Input(
                            current.get(spec.id, ""),
                            placeholder="a number" if spec.kind == "interval" else "text",
                            id=f"attr-{spec.id}",
                        )
            yield Label(
                "Tab/shift+Tab: next/previous attribute · Enter sets · Esc closes", classes="hint"
            )

    def _heading(self, spec: AttributeSpec, value: str | None) -> Text:
        language = self.coder_app.language
        text = Text(spec.label_in(language), Style(bold=True))
        level = spec.level(value) if value else None
        shown = level.label_in(language) if level else value
        text.append(f"  ({spec.kind})  now: {shown or '—'}", Style(dim=True))
        return text

    def _levels(self, spec: AttributeSpec, value: str | None) -> OptionList:
        language = self.coder_app.language
        options: list[Option] = []
        for rank, level in enumerate(spec.levels, start=1):
            prompt = Text()
            mark = "●" if level.id == value else "○"
            number = f"{rank}. " if spec.kind == "ordinal" else ""
            prompt.append(f"{mark} {number}{level.label_in(language)}", Style(bold=True))
            definition = level.definition_in(language)
            if definition:
                prompt.append(f"\n   {definition}", Style(dim=True))
            options.append(Option(prompt, id=level.id))
        options.append(Option(Text("  clear this rating", Style(dim=True)), id=CLEAR))
        widget = OptionList(*options, id=f"attr-{spec.id}", classes="levels")
        index = next((i for i, lv in enumerate(spec.levels) if lv.id == value), 0)
        widget.highlighted = index
        return widget

    def on_mount(self) -> None:
        first = self.query("OptionList, Input").first()
        first.focus()

    def _set(self, attribute: str, value: str | None) -> None:
        from coder.store.operations import set_rating

        app = self.coder_app
        assert app.coder is not None
        try:
            set_rating(app.project, app.coder, self.case_id, attribute, value)
        except CoderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{attribute}: {value or 'cleared'}", timeout=2)
        self.refresh(recompose=True)
        self.call_after_refresh(self._refocus, attribute)

    def _refocus(self, attribute: str) -> None:
        for widget in self.query(f"#attr-{attribute}"):
            widget.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        attribute = (event.option_list.id or "").removeprefix("attr-")
        option_id = event.option.id
        self._set(attribute, None if option_id == CLEAR else option_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        attribute = (event.input.id or "").removeprefix("attr-")
        self._set(attribute, event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)
