"""Every coding records the codebook version it was made under; agreement can keep to one."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from coder.agreement.report import excerpt_report
from coder.project.codebook_editor import CodebookEditor
from coder.project.project import Project
from coder.store.database import MIGRATIONS, add_codebook_version
from coder.store.history import redo, undo
from coder.store.operations import apply_code, mark_reviewed, remove_code

Cli = Callable[..., tuple[int, str, str]]


def versions(root: Path) -> list[tuple[object, ...]]:
    """(coder, excerpt, code, codebook_version) of every coding, read by sqlite3."""
    connection = sqlite3.connect(root / ".coder" / "coder.db")
    try:
        return connection.execute(
            "SELECT coders.name, excerpt_id, code_id, codebook_version FROM codings"
            " JOIN coders ON coders.id = codings.coder_id ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        connection.close()


def test_codings_record_the_version_they_were_made_under(
    small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        apply_code(project, "ada", ids[1], "risk.ses")
        CodebookEditor(project, "lead").add({"nb": "Ny kode"})
        assert project.codebook.version == "1.1.0"
        apply_code(project, "ada", ids[3], "ny_kode")
        remove_code(project, "ada", ids[1], "risk.ses")
        undo(project, "ada")  # the coding comes back with the version it was made under
    assert versions(small_project) == [
        ("ada", ids[1], "risk.ses", "1.0.0"),
        ("ada", ids[3], "ny_kode", "1.1.0"),
    ]
    with Project.open(small_project) as project:  # survives a restart
        assert project.codebook.version == "1.1.0"
        undo(project, "ada")
        redo(project, "ada")
    assert versions(small_project)[0][3] == "1.0.0"


def test_agreement_restricted_to_one_version_says_which(
    small_project: Path, excerpt_ids: Callable[..., list[int]], coder_cli: Cli
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)  # the codable ones: 1, 3, 5
        for coder in ("ada", "bo"):
            for excerpt in ids:
                mark_reviewed(project, coder, excerpt)
            apply_code(project, coder, ids[1], "risk.ses")
        CodebookEditor(project, "lead").edit("risk.ses", texts={"use_when": "Sharper."})
        version = project.codebook.version
        apply_code(project, "ada", ids[3], "risk.ses")  # under the new version
        everything = excerpt_report(project, bootstrap=0)
        old = excerpt_report(project, bootstrap=0, codebook_version="1.0.0")
    assert everything.units == 3 and everything.codebook_version is None
    assert old.units == 2 and old.other_version == 1
    assert old.statement().startswith("Codings made under codebook version 1.0.0 only.")
    assert "1 coded under another codebook version than 1.0.0" in old.statement()
    code, out, err = coder_cli(
        "--project",
        small_project,
        "agree",
        "--codebook-version",
        version,
        "--format",
        "json",
        "--bootstrap",
        "0",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["codebook_version"] == version
    assert data["units"] == 2  # ids[3] and ids[5]: ids[1] was coded under 1.0.0
    code, _, err = coder_cli(
        "--project", small_project, "agree", "--level", "case", "--codebook-version", "1.0.0"
    )
    assert code == 1 and "--codebook-version applies to --level excerpt" in err


def test_an_older_database_gains_the_column_and_keeps_its_codings(
    small_project: Path, excerpt_ids: Callable[..., list[int]]
) -> None:
    with Project.open(small_project) as project:
        apply_code(project, "ada", excerpt_ids(project)[1], "risk.ses")
    db = small_project / ".coder" / "coder.db"
    connection = sqlite3.connect(db)
    connection.execute("ALTER TABLE codings DROP COLUMN codebook_version")
    before = next(n for n, step in MIGRATIONS.items() if step is add_codebook_version)
    connection.execute(f"PRAGMA user_version = {before}")
    connection.commit()
    connection.close()
    with Project.open(small_project):
        pass
    assert [row[3] for row in versions(small_project)] == [None]  # made before versions
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] > before
    connection.close()
