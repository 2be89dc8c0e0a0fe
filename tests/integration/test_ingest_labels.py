"""`coder import` of transcripts with unlisted speakers and timestamped labels, end to end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coder.domain.transcript import Role
from coder.project.project import Project
from coder.store.queries import load_excerpts

Cli = Callable[..., tuple[int, str, str]]
UNLISTED = (
    "Intervjuer: Hei.\nSara: Hei hei.\nIntervjuer: Fortell.\nSara: Jeg er 17.\n\nOla: Og jeg.\n"
)
"""A transcript whose participants, Sara and Ola, are not in the default [speakers]."""
EXPECTED = [
    ("Intervjuer", False, "Hei."),
    ("Sara", True, "Hei hei."),
    ("Intervjuer", False, "Fortell."),
    ("Sara", True, "Jeg er 17."),
    ("Ola", True, "Og jeg."),
]
"""(speaker, codable, text) of UNLISTED's excerpts once Sara and Ola are participants."""


def write(root: Path, name: str, text: str) -> Path:
    path = root / "transcripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def list_speakers(root: Path, *names: str) -> None:
    """Add ``names`` to coder.toml's [speakers] participant list."""
    toml = root / "coder.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count('"Interviewee"]') == 1
    added = "".join(f', "{name}"' for name in names)
    toml.write_text(text.replace('"Interviewee"]', f'"Interviewee"{added}]'), encoding="utf-8")


def stored(root: Path, transcript_id: str) -> list[tuple[str | None, bool, str]]:
    with Project.open(root) as project:
        return [(r.speaker, r.codable, r.text) for r in load_excerpts(project, transcript_id)]


def test_unlisted_speakers_are_warned_about(new_project: Path, coder_cli: Cli) -> None:
    path = write(new_project, "sara.txt", UNLISTED)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert "imported  sara  (2 excerpts)" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {path}: 3 lines start with labels that are not in coder.toml [speakers]: "
        "'Sara:' (2, first on line 2), 'Ola:' (1, line 6); their text was joined to the turn "
        "before. Add the names to [speakers] participant (or interviewer) and re-import with "
        '--replace. As participants, the line would read: participant = ["D", "Deltaker", '
        '"Deltakar", "Participant", "P\\\\d*", "R\\\\d*", "Respondent", "Informant", "Ungdom", '
        '"Interviewee", "Sara", "Ola"]',
        f"warning: {path}: no codable excerpts: every turn is an interviewer turn or header "
        "text; labels seen (role, lines): 'Intervjuer:' (interviewer, 2), 'Sara:' (not in "
        "[speakers], 2), 'Ola:' (not in [speakers], 1). If participants speak in this file, add "
        "their labels to [speakers] participant in coder.toml and re-import with --replace.",
    ]


def test_listed_speakers_start_codable_turns(new_project: Path, coder_cli: Cli) -> None:
    list_speakers(new_project, "Sara", "Ola")
    path = write(new_project, "sara.txt", UNLISTED)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert "warning" not in err
    assert stored(new_project, "sara") == EXPECTED


def test_replace_after_listing_the_speakers_resegments(new_project: Path, coder_cli: Cli) -> None:
    path = write(new_project, "sara.txt", UNLISTED)
    assert coder_cli("--project", new_project, "import", path)[0] == 0
    list_speakers(new_project, "Sara", "Ola")
    code, out, err = coder_cli("--project", new_project, "import", "--replace", path)
    assert code == 0, err
    assert "warning" not in err
    assert stored(new_project, "sara") == EXPECTED


def test_timestamped_and_variant_labels_are_stored_with_start_times(
    new_project: Path, coder_cli: Cli
) -> None:
    path = write(
        new_project,
        "opptak.txt",
        "[00:00:05] Int.: Hvordan var skolen?\n\n"
        "[00:00:09] Deltaker 2: Jeg følte meg ensom.\n\n"
        "(00:01:15) Intervjuer: Og nå?\n\n"
        "00:01:20.500 Deltaker 2: Bedre.\n",
    )
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert "warning" not in err
    with Project.open(new_project) as project:
        rows = load_excerpts(project, "opptak")
    assert [(r.text, r.speaker, r.role, r.codable, r.start_time) for r in rows] == [
        ("Hvordan var skolen?", "Int.", Role.INTERVIEWER, False, 5.0),
        ("Jeg følte meg ensom.", "Deltaker 2", Role.PARTICIPANT, True, 9.0),
        ("Og nå?", "Intervjuer", Role.INTERVIEWER, False, 75.0),
        ("Bedre.", "Deltaker 2", Role.PARTICIPANT, True, 80.5),
    ]
