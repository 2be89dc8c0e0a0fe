"""Code chips: a code's hotkey or short label on its codebook colour, readable on any theme."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from coder.domain.codebook import Codebook


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``#rrggbb`` (WCAG relative luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return "#000000" if luminance > 0.179 else "#ffffff"


def chip_style(codebook: Codebook, code_id: str) -> Style:
    """Background in the code's colour, text black or white."""
    colour = codebook.code(code_id).color if codebook.has_code(code_id) else None
    if colour is None:
        return Style(reverse=True)
    return Style(bgcolor=colour, color=text_colour(colour), bold=True)


def chips(codebook: Codebook, code_ids: list[tuple[str, tuple[int, int] | None]]) -> Text:
    """A row of chips; a span coding is marked with a dot after its key."""
    text = Text()
    for code_id, span in code_ids:
        code = codebook.code(code_id) if codebook.has_code(code_id) else None
        key = code.hotkey if code is not None and code.hotkey else code_id.rsplit(".", 1)[-1][:3]
        text.append(f" {key}{'·' if span else ''} ", chip_style(codebook, code_id))
        text.append(" ")
    return text
