"""coder.toml validation, project discovery like git, and `coder init`."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.errors import CoderError, ConfigError, ProjectNotFoundError
from coder.project import find_project_root, init_project, load_settings
from coder.project.config import parse_settings

GOOD = """\
[project]
name = "Studie – Ålesund"
language = "nb"
codebook = "codebooks/book.yaml"

[speakers]
participant = ["Deltaker", "Sara"]

[segmentation]
max_chars = 900

[keymap]
"coding.next" = "j,down"
"""


def test_settings_parse_into_plain_values() -> None:
    settings = parse_settings(GOOD, "coder.toml")
    assert settings.name == "Studie – Ålesund"
    assert settings.transcripts == "transcripts"
    assert settings.speakers.participant == ("Deltaker", "Sara")
    assert "Intervjuer" in settings.speakers.interviewer
    assert settings.segmentation.max_chars == 900
    assert settings.segmentation.code_interviewer is False
    assert settings.keymap == {"coding.next": "j,down"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("max_chars = 900", "max_chars = 5"),
            "coder.toml:10: segmentation.max_chars: Input should be greater than or equal to 100",
        ),
        (
            GOOD.replace("max_chars = 900", "max_char = 900"),
            "coder.toml:10: segmentation.max_char: unknown key 'max_char'",
        ),
        (
            GOOD.replace('codebook = "codebooks/book.yaml"\n', ""),
            "coder.toml:1: project.codebook: required key 'codebook' is missing",
        ),
        (
            GOOD.replace('["Deltaker", "Sara"]', '["P(\\\\d"]'),
            "coder.toml:7: speakers.participant: invalid speaker pattern",
        ),
        (
            GOOD.replace('language = "nb"', "language = 7"),
            "coder.toml:3: project.language: Input should be a valid string",
        ),
        (GOOD + "[[oops\n", "coder.toml:14: invalid TOML"),
    ],
)
def test_invalid_settings_name_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "coder.toml")
    assert any(str(p).startswith(expected) for p in info.value.problems), info.value.problems


def test_discovery_walks_upwards_like_git(tmp_path: Path) -> None:
    init_project(tmp_path / "proj")
    deep = tmp_path / "proj" / "transcripts" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project_root(deep) == (tmp_path / "proj").resolve()
    assert find_project_root(explicit=tmp_path / "proj") == (tmp_path / "proj").resolve()


def test_discovery_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="no coder.toml in"):
        find_project_root(tmp_path)
    with pytest.raises(ProjectNotFoundError, match="coder init"):
        find_project_root(explicit=tmp_path)


def test_init_creates_a_valid_project(tmp_path: Path) -> None:
    config = init_project(tmp_path / "ny studie", language="en")
    root = config.parent
    settings = load_settings(root)
    assert settings.language == "en"
    assert (root / settings.codebook).is_file()
    assert (root / "transcripts").is_dir()
    assert ".coder/" in (root / ".gitignore").read_text(encoding="utf-8")


def test_init_with_own_codebook(tmp_path: Path) -> None:
    book = tmp_path / "mine.yaml"
    book.write_text(
        "codebook: {name: Mine, languages: [nb]}\ncodes:\n  - {id: a, label: {nb: Å}}\n",
        encoding="utf-8",
    )
    config = init_project(tmp_path / "p", codebook=book)
    assert load_settings(config.parent).codebook == "codebooks/mine.yaml"


def test_init_never_overwrites(tmp_path: Path) -> None:
    config = init_project(tmp_path / "p")
    config.write_text(config.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    before = config.read_bytes()
    with pytest.raises(CoderError, match="exists here already"):
        init_project(tmp_path / "p")
    assert config.read_bytes() == before


def test_init_refuses_broken_codebook_before_writing(tmp_path: Path) -> None:
    book = tmp_path / "bad.yaml"
    book.write_text("codebook: {name: X}\ncodes:\n  - {id: A!, label: {en: a}}\n", encoding="utf-8")
    with pytest.raises(CoderError):
        init_project(tmp_path / "p", codebook=book)
    assert not (tmp_path / "p").exists()


def test_init_takes_any_spacy_language_and_refuses_others(tmp_path: Path) -> None:
    config = init_project(tmp_path / "svensk", language="sv")
    assert load_settings(config.parent).language == "sv"
    with pytest.raises(CoderError, match="--language: language 'dk' is not a language spaCy"):
        init_project(tmp_path / "p", language="dk")
    assert not (tmp_path / "p").exists()


def _with_keymap(tmp_path: Path, lines: str) -> Path:
    config = init_project(tmp_path / "p")
    config.write_text(config.read_text(encoding="utf-8") + lines, encoding="utf-8")
    return config.parent


def test_keymap_typo_is_an_error_with_line_and_hint(tmp_path: Path) -> None:
    from coder.project.project import Project

    root = _with_keymap(tmp_path, '"coding.nxet" = "ctrl+n"\n')
    with pytest.raises(ConfigError) as info:
        Project.open(root)
    (problem,) = info.value.problems
    text = str(problem)
    assert "coder.toml:" in text and problem.line is not None
    assert "keymap.coding.nxet: unknown binding id; did you mean 'coding.next'?" in text


def test_keymap_key_that_is_a_code_hotkey_is_refused(tmp_path: Path) -> None:
    from coder.project.project import Project

    root = _with_keymap(tmp_path, '"coding.next" = "1"\n')
    with pytest.raises(ConfigError, match="hotkey of code 'disconnect.relational'"):
        Project.open(root)


def test_keymap_key_bound_twice_is_refused(tmp_path: Path) -> None:
    from coder.project.project import Project

    root = _with_keymap(tmp_path, '"coding.next" = "m"\n')
    with pytest.raises(ConfigError, match="also bound to coding.memo"):
        Project.open(root)


def test_valid_keymap_opens(tmp_path: Path) -> None:
    from coder.project.project import Project

    root = _with_keymap(tmp_path, '"coding.next" = "j,down,ctrl+n"\n')
    with Project.open(root) as project:
        assert project.settings.keymap == {"coding.next": "j,down,ctrl+n"}


def test_the_settings_model_holds_every_default_and_the_template_agrees(tmp_path: Path) -> None:
    """One model, one place per default: a new project's coder.toml says what the model does."""
    from coder.domain.settings import ProjectSettings, ProjectTable

    config = init_project(tmp_path / "p")
    written = load_settings(config.parent)
    defaults = ProjectSettings(project=ProjectTable(name=written.name, codebook=written.codebook))
    assert written == defaults
    assert written.suggest.retrain_every == 20
    described = [field.description for field in ProjectSettings.model_fields.values()]
    described += [field.description for field in ProjectTable.model_fields.values()]
    assert all(described), "every settings field carries a docstring"


def test_retrain_every_is_validated_with_file_and_line() -> None:
    text = GOOD + "\n[suggest]\nretrain_every = 0\n"
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "coder.toml")
    [problem] = info.value.problems
    assert str(problem).startswith("coder.toml:16: suggest.retrain_every: Input should be greater")
