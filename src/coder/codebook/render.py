"""Text renderings of a codebook for the CLI."""

from __future__ import annotations

from coder.domain.codebook import Codebook


def tree_lines(codebook: Codebook, language: str | None = None) -> list[str]:
    """The code tree, one line per code: indentation, hotkey, label and id."""
    lang = language or codebook.language
    lines = [f"{codebook.name} (version {codebook.version})"]
    for depth, code in codebook.walk():
        key = f"[{code.hotkey}]" if code.hotkey else ("   " if code.codable else " - ")
        label = code.label_in(lang)
        suffix = "" if code.codable else "  (group)"
        lines.append(f"{'  ' * depth}{key} {label}  ·  {code.id}{suffix}")
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
    return lines
