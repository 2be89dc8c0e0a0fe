"""`coder codebook show --definitions` in the project's language (or --lang)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Cli = Callable[..., tuple[int, str, str]]


def test_show_definitions_in_the_project_language(new_project: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli("--project", new_project, "codebook", "show", "--definitions")
    assert code == 0, err
    assert "Den unge vokste opp i en husholdning med dårlig råd" in out
    assert "Stødig: Gode, trygge relasjoner" in out
    assert "The young person grew up" not in out
    code, out, err = coder_cli(
        "--project", new_project, "codebook", "show", "--definitions", "--lang", "en"
    )
    assert code == 0, err
    assert "The young person grew up in a household" in out
    assert "Steady: Good, secure relationships" in out
