"""Suggestions while coding blind learn from that coder's own codings only."""

from __future__ import annotations

import shutil
from pathlib import Path

from coder.project.init import init_project
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed
from coder.suggest.model_folder import ModelFolder
from coder.suggest.suggester import Suggester
from coder.tui.suggestions import SuggestionService

ROOT = Path(__file__).resolve().parents[2]


def test_a_coders_model_never_sees_another_coders_codings(tmp_path: Path) -> None:
    folder = tmp_path / "blind"
    init_project(folder)
    for name in ("ung01", "ung03"):
        shutil.copyfile(
            ROOT / "transcripts" / f"{name}.txt", folder / "transcripts" / f"{name}.txt"
        )
    with Project.open(folder) as project:
        for name in ("ung01", "ung03"):
            import_transcript(project, folder / "transcripts" / f"{name}.txt")
        with project.store.engine.connect() as conn:
            ids = [int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM excerpts WHERE codable")]
        for index, excerpt_id in enumerate(ids):
            mark_reviewed(project, "ola", excerpt_id)
            mark_reviewed(project, "kari", excerpt_id)
            apply_code(
                project, "ola", excerpt_id, "disconnect.relational" if index % 2 else "risk.ses"
            )
            if index % 3 == 0:
                apply_code(project, "kari", excerpt_id, "reconnect.relational")
        service = SuggestionService(project, "kari")
        service.load()
        service.actions = 100  # as if the coder had worked a while
        assert service.retrain_if_due()
        kari = ModelFolder(folder, coder="kari")
        meta = kari.meta()
        assert meta is not None and meta["coders"] == ["kari"]
        assert ModelFolder(folder).meta() is None  # the project's shared folder is untouched
        assert ModelFolder(folder, coder="ola").meta() is None
        assert Suggester.for_project(project, coder="kari").model is not None
        assert Suggester.for_project(project, coder="ola").model is None
