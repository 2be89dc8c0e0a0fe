"""Subtitle files as other tools write them, and two files with one id (issue 13.7, 13.10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coder.ingest import read_source
from coder.project.project import Project
from coder.store.queries import load_excerpts
from support.config import set_setting, setting

Cli = Callable[..., tuple[int, str, str]]

CRAMMED_SRT = (
    "1\n00:00:01,000 --> 00:00:02,000\nIntervjuer: Hvordan går det?\n"
    "2\n00:00:02,500 --> 00:00:04,000\nDeltaker: Bra, takk.\n"
    "00:00:04,000 --> 00:00:06,000\nEller, sånn passe.\n"
)
"""SRT cues with no blank line between them (an index line, or none, then the timing line)."""

SPANISH_VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
Entrevistador: ¿Qué dijiste?

00:00:03.500 --> 00:00:05.000
Digo: que no quería volver.

00:00:05.500 --> 00:00:07.000
Y después me fui a casa.

00:00:07.500 --> 00:00:09.000
Entrevistador: ¿Y luego?

00:00:09.500 --> 00:00:11.000
Nada más.
"""
"""A cue starting ``Digo:`` ("I say:") is not a speaker for the cues after it."""


def write(root: Path, name: str, text: str) -> Path:
    path = root / "transcripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_timing_line_right_after_cue_text_starts_a_new_cue(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "tett.srt", CRAMMED_SRT))
    spoken = [(source.text[c.start : c.end], c.start_time, c.voice) for c in source.cues]
    assert spoken == [
        ("Hvordan går det?", 1.0, "Intervjuer"),
        ("Bra, takk.", 2.5, "Deltaker"),
        ("Eller, sånn passe.", 4.0, None),
    ]
    assert "-->" not in source.text
    assert "\n2\n" not in source.text and not source.text.endswith("2")


def test_crammed_vtt_cues_are_split_too(tmp_path: Path) -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Sara>Først.\n"
        "00:02.000 --> 00:03.000\nSå.\nintro\n00:03.000 --> 00:04.000\n<v Ola>Til slutt."
    )
    source = read_source(write(tmp_path, "tett.vtt", text))
    assert [(source.text[c.start : c.end], c.voice) for c in source.cues] == [
        ("Først.", "Sara"),
        ("Så. intro", "Sara"),  # a non-numeric line before a timing line is text, not an id
        ("Til slutt.", "Ola"),
    ]


def test_name_label_sets_its_cue_voice_only(new_project: Path, coder_cli: Cli) -> None:
    toml = new_project / "coder.toml"
    interviewer = setting(toml, "speakers", "interviewer")
    assert isinstance(interviewer, list)
    set_setting(toml, "speakers", "interviewer", [*interviewer, "Entrevistador"])
    path = write(new_project, "entrevista.vtt", SPANISH_VTT)
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code == 0, err
    assert (
        "  voices: Entrevistador (interviewer, 2 cues), Digo (not in [speakers], coded as "
        "participant, 1 cue); 2 cues without a voice"
    ) in out.splitlines()
    with Project.open(new_project) as project:
        rows = [(r.speaker, r.text) for r in load_excerpts(project, "entrevista")]
    assert rows == [
        ("Entrevistador", "¿Qué dijiste?"),
        ("Digo", "que no quería volver."),
        (None, "Y después me fui a casa."),
        ("Entrevistador", "¿Y luego?"),
        (None, "Nada más."),
    ]


def test_second_file_with_the_same_stem_names_the_clash(new_project: Path, coder_cli: Cli) -> None:
    srt = write(new_project, "sample.srt", "1\n00:00:01,000 --> 00:00:02,000\nP1: Hei.\n")
    vtt = write(new_project, "sample.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nP1: Noe annet.\n")
    assert coder_cli("--project", new_project, "import", srt)[0] == 0
    code, out, err = coder_cli("--project", new_project, "import", vtt)
    assert code != 0
    assert f"{vtt}: transcript id 'sample' is taken by sample.srt" in err
    assert "--id sample-vtt" in err
    assert "--replace would replace the transcript of sample.srt" in err
    code, out, err = coder_cli("--project", new_project, "import", "--id", "sample-vtt", vtt)
    assert code == 0, err
    with Project.open(new_project) as project:
        assert [r.text for r in load_excerpts(project, "sample")] == ["Hei."]
        assert [r.text for r in load_excerpts(project, "sample-vtt")] == ["Noe annet."]
    # A third file with that stem is offered the next free id.
    txt = write(new_project, "sample.txt", "P1: Tredje.\n")
    code, out, err = coder_cli("--project", new_project, "import", txt)
    assert code != 0 and "--id sample-txt" in err
    code, out, err = coder_cli("--project", new_project, "import", "--id", "sample-txt", txt)
    assert code == 0, err
    (new_project / "transcripts" / "sample.txt").write_text("P1: Fjerde.\n", encoding="utf-8")
    code, out, err = coder_cli("--project", new_project, "import", "--id", "sample-vtt", txt)
    assert code != 0 and "taken by sample.vtt" in err and "--id sample-txt-2" in err


def test_same_file_changed_still_suggests_replace(new_project: Path, coder_cli: Cli) -> None:
    path = write(new_project, "a.txt", "P1: Hei.\n")
    assert coder_cli("--project", new_project, "import", path)[0] == 0
    path.write_text("P1: Hei igjen.\n", encoding="utf-8")
    code, out, err = coder_cli("--project", new_project, "import", path)
    assert code != 0
    assert "exists with different content; use --replace" in err


def test_two_same_stem_files_in_one_batch_suggest_an_id(new_project: Path, coder_cli: Cli) -> None:
    srt = write(new_project, "s.srt", "1\n00:00:01,000 --> 00:00:02,000\nP1: Hei.\n")
    vtt = write(new_project, "s.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nP1: Hei.\n")
    code, out, err = coder_cli("--project", new_project, "import", srt, vtt)
    assert code != 0
    assert "e.g. --id s-vtt" in err
