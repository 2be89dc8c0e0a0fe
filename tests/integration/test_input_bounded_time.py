"""A user's speaker pattern cannot hang an import; wide CSV headers are checked in linear time
(issue 14.3). Each test runs what could hang in a subprocess with a timeout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from support.processes import run_coder

Cli = Callable[..., tuple[int, str, str]]


def set_participants(root: Path, patterns: str) -> None:
    """Replace coder.toml's participant patterns with the TOML list ``patterns``."""
    config = root / "coder.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("participant = [")
    end = text.index("]", text.index('"Ungdom"')) + 1
    config.write_text(f"{text[:start]}participant = {patterns}{text[end:]}", encoding="utf-8")


def test_a_catastrophic_speaker_pattern_does_not_hang_import(new_project: Path) -> None:
    set_participants(new_project, '["(a+)+b", "D"]')
    path = new_project / "transcripts" / "lang.txt"
    # 59 letters a, then a colon: Python's backtracking re needs ~2**59 steps per label
    path.write_text(
        "".join(f"{'a' * 59}: spørsmål {n}\n\nD: svar {n}\n\n" for n in range(20)),
        encoding="utf-8",
    )
    done = run_coder("--project", new_project, "import", path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "imported  lang  (21 excerpts)" in done.stdout
    assert "speakers.participant[0]" in done.stderr and "exponential time" in done.stderr


def test_a_header_of_80k_columns_with_a_duplicate_is_refused_quickly(
    new_project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "wide.csv"
    names = [f"kolonne{index}" for index in range(79_999)] + ["kolonne5"]
    path.write_text(",".join(names) + "\n" + ",".join(["x"] * 80_000) + "\n", encoding="utf-8")
    # the quadratic check took over a minute; the linear one milliseconds
    done = run_coder("--project", new_project, "cases", "import", path, timeout=30)
    assert done.returncode == 1
    assert f"{path}:1: duplicate column(s) kolonne5" in done.stderr
