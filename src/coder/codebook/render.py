"""Text renderings of a codebook for the CLI."""

from __future__ import annotations

from coder.domain.codebook import Codebook

PROSE_TITLES = (("description", ""), ("use_when", "Use when: "), ("dont_use_when", "Don't use: "))
"""A code's prose fields and the heading each gets in ``--definitions`` output."""


def _prose(text: str, indent: str, width: int = 100) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ")


def tree_lines(
    codebook: Codebook, language: str | None = None, *, definitions: bool = False
) -> list[str]:
    """The code tree, one line per code: indentation, hotkey, label and id; with
    ``definitions`` also each code's description, use when and don't use when, and the level
    definitions, in ``language`` where the codebook has them in it."""
    lang = language or codebook.language
    lines = [f"{codebook.name} (version {codebook.version})"]
    for depth, code in codebook.walk():
        key = f"[{code.hotkey}]" if code.hotkey else ("   " if code.codable else " - ")
        label = code.label_in(lang)
        suffix = "" if code.codable else "  (group)"
        lines.append(f"{'  ' * depth}{key} {label}  ·  {code.id}{suffix}")
        if definitions:
            for name, title in PROSE_TITLES:
                text = code.text_in(name, lang)
                if text:
                    lines += _prose(title + text, "  " * depth + "      ")
    if codebook.attributes:
        lines.append("")
        lines.append("Case attributes:")
        for spec in codebook.attributes:
            levels = " < " if spec.kind == "ordinal" else " | "
            shown = levels.join(level.label_in(lang) for level in spec.levels)
            lines.append(
                f"  {spec.label_in(lang)}  ·  {spec.id} ({spec.kind})"
                + (f": {shown}" if shown else "")
            )
            if definitions:
                lines += _prose(spec.description_in(lang), "      ") if spec.description else []
                for level in spec.levels:
                    text = level.definition_in(lang)
                    if text:
                        lines += _prose(f"{level.label_in(lang)}: {text}", "      ")
    return lines
