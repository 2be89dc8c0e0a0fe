"""Speaker labels as English transcription services write them (issue 13.8), end to end."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from coder.project.project import Project
from coder.store.queries import load_excerpts

Cli = Callable[..., tuple[int, str, str]]

ENGLISH = (
    "Interview 4, 12 March\n\n"
    "Interviewer1: How was school?\n"
    "Interviewee 2: Hard, to be honest.\n"
    "Interviewer1 : Why?\n"
    "Interviewee: Nobody talked to me.\n"
    "Interviewer 2: Thank you.\n"
)
"""Numbered labels with and without a space, a space before the colon, plain Interviewee."""

BRACKETED = (
    "[int]: Hvordan var skolen?\n"
    "[id1]: Tøff.\n"
    "[int]: Hvorfor?\n"
    "[id2]: Ingen snakket med meg.\n"
    "[id1]: Samme her.\n"
)
"""Bracketed speaker ids, the first a known label in brackets, the others ids."""


def write(root: Path, name: str, text: str) -> Path:
    path = root / "transcripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stored(root: Path, transcript_id: str) -> list[tuple[str | None, bool, str]]:
    with Project.open(root) as project:
        return [(r.speaker, r.codable, r.text) for r in load_excerpts(project, transcript_id)]


def test_numbered_and_spaced_english_labels_are_recognised(
    new_project: Path, coder_cli: Cli
) -> None:
    path = write(new_project, "english.txt", ENGLISH)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert "warning" not in err
    assert stored(new_project, "english") == [
        (None, False, "Interview 4, 12 March"),
        ("Interviewer1", False, "How was school?"),
        ("Interviewee 2", True, "Hard, to be honest."),
        ("Interviewer1", False, "Why?"),
        ("Interviewee", True, "Nobody talked to me."),
        ("Interviewer 2", False, "Thank you."),
    ]


def test_bracketed_ids_are_named_with_a_line_that_fixes_them(
    new_project: Path, coder_cli: Cli
) -> None:
    path = write(new_project, "ids.txt", BRACKETED)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert "'[id1]:' (2, first on line 2), '[id2]:' (1, line 4)" in err
    suggested = re.search(r"the line would read: (participant = \[.*\])$", err, re.MULTILINE)
    assert suggested is not None, err
    assert suggested.group(1).endswith(', "id\\\\d+"]')
    # Nothing was codable: the warning says which labels it saw.
    assert (
        "no codable excerpts: every turn is an interviewer turn or header text; labels seen "
        "(role, lines): '[int]:' (interviewer, 2), '[id1]:' (not in [speakers], 2), '[id2]:' "
        "(not in [speakers], 1)."
    ) in err
    assert stored(new_project, "ids") == [
        ("[int]", False, "Hvordan var skolen?\n[id1]: Tøff."),
        ("[int]", False, "Hvorfor?\n[id2]: Ingen snakket med meg.\n[id1]: Samme her."),
    ]
    # Pasting the suggested line into coder.toml makes the ids participants.
    toml = new_project / "coder.toml"
    config = re.sub(
        r"^participant = \[[^\]]*\]",
        lambda _: suggested.group(1),
        toml.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    toml.write_text(config, encoding="utf-8")
    code, out, err = coder_cli("--project", new_project, "import", "--replace", path)
    assert code == 0, err
    assert "warning" not in err
    assert stored(new_project, "ids") == [
        ("[int]", False, "Hvordan var skolen?"),
        ("[id1]", True, "Tøff."),
        ("[int]", False, "Hvorfor?"),
        ("[id2]", True, "Ingen snakket med meg."),
        ("[id1]", True, "Samme her."),
    ]
