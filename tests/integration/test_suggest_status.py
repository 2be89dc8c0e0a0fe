"""Suggestions explain themselves: why the model gave none, and no plainly wrong indicators."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.domain.settings import SuggestRules
from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed
from coder.store.queries import load_excerpts
from coder.suggest import train_project_model
from coder.suggest.analyser import Analyser
from coder.suggest.model_folder import ModelFolder
from coder.tui.suggestions import SuggestionService

RETRAIN_EVERY = SuggestRules().retrain_every

REPO = Path(__file__).resolve().parents[2]
DEMO = ("ung01", "ung03", "ung06")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suggest") / "p"
    init_project(folder)
    with Project.open(folder) as project:
        for name in DEMO:
            path = folder / "transcripts" / f"{name}.txt"
            shutil.copyfile(REPO / "transcripts" / f"{name}.txt", path)
            import_transcript(project, path)
    return folder


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Iterator[Project]:
    opened = Project.open(Path(shutil.copytree(template, tmp_path / "p")))
    yield opened
    opened.close()


def demo_excerpt(project: Project, transcript: str, words: str) -> str:
    return next(e.text for e in load_excerpts(project, transcript) if words in e.text)


@pytest.mark.parametrize(
    ("transcript", "words", "code"),
    [
        ("ung03", "Jeg går på AAP, arbeidsavklaringspenger", "consequences.disability"),
        ("ung06", "de psykiske plagene", "risk.psychosocial.bullying"),
        ("ung03", "kanskje de ringte institusjonen", "risk.child_welfare"),
        ("ung06", "«hun fra institusjonen»", "risk.child_welfare"),
    ],
)
def test_plainly_wrong_demo_matches_are_gone(
    project: Project, transcript: str, words: str, code: str
) -> None:
    analyser = Analyser(project.codebook, "nb")
    (analysis,) = analyser.analyse_all([demo_excerpt(project, transcript, words)])
    wrong = [h.text for h in analysis.hits if h.code_id == code]
    assert wrong == [], f"{code} matched {wrong}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Så kom jeg på institusjon. Den første.", "risk.child_welfare"),
        ("Jeg ble plaget hver dag i friminuttene.", "risk.psychosocial.bullying"),
        ("Fastlegen sa at uføretrygd kanskje var det beste.", "consequences.disability"),
    ],
)
def test_the_right_matches_stay(project: Project, text: str, code: str) -> None:
    (analysis,) = Analyser(project.codebook, "nb").analyse_all([text])
    assert code in {h.code_id for h in analysis.hits}


def service(project: Project, coder: str) -> SuggestionService:
    found = SuggestionService(project, coder)
    found.load()
    return found


def test_no_note_without_model_folders(project: Project) -> None:
    assert service(project, "kari").model_note([]) is None


def code_some(project: Project, coder: str, code: str, count: int) -> None:
    excerpts = [e for e in load_excerpts(project, "ung01") if e.codable]
    for index, excerpt in enumerate(excerpts):
        if index < count:
            apply_code(project, coder, excerpt.id, code)
        mark_reviewed(project, coder, excerpt.id)


def test_model_not_trained_for_this_coder(project: Project) -> None:
    code_some(project, "ola", "risk.school", 6)
    train_project_model(project, source="ola", models=ModelFolder(project.root, coder="ola"))
    note = service(project, "kari").model_note([])
    assert note is not None and note.startswith("model for kari not trained yet: ")
    assert note.endswith(f" of {RETRAIN_EVERY} codings")


def test_model_for_another_codebook_version(project: Project) -> None:
    code_some(project, "kari", "risk.school", 6)
    train_project_model(project, source="kari", models=ModelFolder(project.root, coder="kari"))
    book = project.root / project.settings.codebook
    book.write_text(
        book.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0", 1),
        encoding="utf-8",
    )
    with Project.open(project.root) as changed:
        note = service(changed, "kari").model_note([])
    assert note is not None and "model is for another codebook version (1.0.0; now 1.1.0)" in note


def test_code_with_too_few_examples(project: Project) -> None:
    code_some(project, "kari", "risk.school", 6)
    apply_code(project, "kari", load_excerpts(project, "ung03")[2].id, "risk.mental_health")
    train_project_model(project, source="kari", models=ModelFolder(project.root, coder="kari"))
    found = service(project, "kari")
    suggestions = found._suggester.suggest("Jeg fikk skikkelig angst og depresjon.")  # type: ignore[union-attr]
    shown = [s for s in suggestions if s.code_id == "risk.mental_health"]
    assert shown and shown[0].sources == ("indicators",)
    note = found.model_note(shown)
    assert note == "risk.mental_health has too few examples for the model: 1 of 5"
