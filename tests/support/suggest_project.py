"""A synthetic project for the suggestion tests: interviews whose true codes are known.

``write_project(folder)`` writes and imports interviews built from filler words and topic
phrases (``TOPICS``) and returns the true codes of each participant turn; ``write_codings``
writes a codings CSV in which each coder drops some true codes at a given rate.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript

BULLY = "risk.psychosocial.bullying"
LONELY = "risk.psychosocial.loneliness"
ADULT = "reconnect.relational"
FILLER = [
    "altså",
    "det",
    "var",
    "liksom",
    "sånn",
    "at",
    "jeg",
    "bare",
    "gikk",
    "der",
    "og",
    "tenkte",
    "på",
    "mye",
    "forskjellig",
    "hele",
    "tiden",
    "og",
    "så",
    "var",
    "det",
    "skolen",
    "og",
    "bussen",
    "og",
    "alt",
    "det",
    "der",
]
TOPICS = {
    BULLY: ["de mobbet meg hver dag", "jeg ble plaget i friminuttene", "mobbingen sluttet aldri"],
    LONELY: ["jeg var helt alene", "jeg hadde ingen venner", "ensomheten var verst"],
    ADULT: ["kontaktlæreren hadde tid til meg", "hun var en trygg voksen", "han forsto meg"],
}


def turn(rng: random.Random, codes: list[str]) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
    for code in codes:
        words.insert(rng.randrange(len(words)), rng.choice(TOPICS[code]))
    return " ".join(words).capitalize() + "."


def write_project(
    folder: Path, transcripts: int = 3, turns: int = 20
) -> dict[tuple[str, int], list[str]]:
    """A project with synthetic interviews; returns (transcript, seq) -> true codes."""
    init_project(folder, language="nb")
    rng = random.Random(11)
    truth: dict[tuple[str, int], list[str]] = {}
    for t in range(transcripts):
        lines = []
        planned: list[list[str]] = []
        for _ in range(turns):
            codes = [c for c in TOPICS if rng.random() < 0.3]
            planned.append(codes)
            lines += [
                "Intervjuer: Kan du fortelle mer om det?",
                "",
                f"Deltaker: {turn(rng, codes)}",
                "",
            ]
        (folder / "transcripts" / f"int{t}.txt").write_text("\n".join(lines), encoding="utf-8")
        truth.update({(f"int{t}", 2 * i + 2): codes for i, codes in enumerate(planned)})
    with Project.open(folder) as project:
        for t in range(transcripts):
            import_transcript(project, folder / "transcripts" / f"int{t}.txt")
    return truth


def write_codings(
    folder: Path, truth: dict[tuple[str, int], list[str]], coders: dict[str, float]
) -> Path:
    """Each coder codes every participant turn with the true codes, dropping some at a rate."""
    rng = random.Random(4)
    path = folder / "codings.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript", "excerpt", "code", "coder"])
        for (transcript, seq), codes in sorted(truth.items()):
            for coder, drop in coders.items():
                for code in codes:
                    if rng.random() >= drop:
                        writer.writerow([transcript, seq, code, coder])
    return path
