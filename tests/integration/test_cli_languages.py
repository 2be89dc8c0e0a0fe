"""``coder init --language`` and ``coder import --language`` take any language spaCy tokenises."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from coder.project.project import Project
from coder.store.queries import list_transcripts

Cli = Callable[..., tuple[int, str, str]]

DANISH = """\
Interviewer: Hvordan var det i skolen?

Deltaker: Jeg var ikke i skole, og det er bare sådan at vi blev hjemme med min mor. Hun har
ikke arbejde, så vi var meget sammen, og jeg har det ikke godt med det nu. Jeg var ikke glad.
Det var svært, og jeg har ikke mange venner, men jeg har en god ven, og hun er sød mod mig.
"""


def test_init_writes_a_nynorsk_project(coder_cli: Cli, tmp_path: Path) -> None:
    code, out, err = coder_cli("init", tmp_path / "nn", "--language", "nn")
    assert code == 0, err
    settings = tomllib.loads((tmp_path / "nn" / "coder.toml").read_text(encoding="utf-8"))
    assert settings["project"]["language"] == "nn"


def test_init_refuses_a_language_spacy_lacks(coder_cli: Cli, tmp_path: Path) -> None:
    code, out, err = coder_cli("init", tmp_path / "p", "--language", "dk")
    assert code != 0
    assert "--language: language 'dk' is not a language spaCy has a tokenizer for" in err
    assert "did you mean 'da'?" in err
    assert "Traceback" not in err and not (tmp_path / "p").exists()


def test_a_danish_project_imports_danish(coder_cli: Cli, tmp_path: Path) -> None:
    assert coder_cli("init", tmp_path / "p", "--language", "da")[0] == 0
    source = tmp_path / "p" / "transcripts" / "samtale.txt"
    source.write_text(DANISH, encoding="utf-8")
    code, out, err = coder_cli("--project", tmp_path / "p", "import", source)
    assert code == 0, err
    with Project.open(tmp_path / "p") as project:
        assert [info.id for info in list_transcripts(project)] == ["samtale"]
        with project.store.engine.connect() as conn:
            (language,) = conn.exec_driver_sql("SELECT language FROM transcripts").one()
    assert language == "da"  # not guessed to be Bokmål from its function words


def test_import_refuses_a_bad_language_before_reading(coder_cli: Cli, small_project: Path) -> None:
    code, out, err = coder_cli(
        "--project", small_project, "import", small_project / "transcripts", "--language", "xx1"
    )
    assert code != 0
    assert "--language: language 'xx1' is not a language spaCy" in err
    assert "nothing was imported" in err


def test_a_bad_language_in_coder_toml_names_the_file(coder_cli: Cli, small_project: Path) -> None:
    config = small_project / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('language = "nb"', 'language = "norsk"'),
        encoding="utf-8",
    )
    code, out, err = coder_cli("--project", small_project, "status")
    assert code != 0
    assert f"{config}:4: project.language: language 'norsk' is not a language spaCy" in err
