"""`coder import` end to end: files, folders, globs, twice, changed, --replace, --id, --case."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.project.project import Project
from coder.store import operations as ops
from coder.store.queries import find_codings, list_transcripts, load_excerpts

Cli = Callable[..., tuple[int, str, str]]
CODE = "risk.psychosocial.loneliness"
DEMO_IDS = ["eng01", "ung01", "ung02", "ung03", "ung04", "ung05", "ung06", "ung07", "ung08"]


def status_json(cli: Cli, root: Path) -> dict[str, object]:
    code, out, _ = cli("--project", root, "status", "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_import_a_folder(demo_project: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli("--project", demo_project, "import", demo_project / "transcripts")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == "9 imported"
    assert any("imported  ung01  (41 excerpts)" in line for line in lines)
    with Project.open(demo_project) as project:
        assert [t.id for t in list_transcripts(project)] == DEMO_IDS
    data = status_json(coder_cli, demo_project)
    assert (data["transcripts"], data["excerpts"], data["cases"]) == (9, 391, 9)


def test_import_files_and_globs(demo_project: Path, coder_cli: Cli) -> None:
    folder = demo_project / "transcripts"
    code, out, err = coder_cli(
        "--project", demo_project, "import", folder / "eng01.txt", str(folder / "ung0[12].txt")
    )
    assert code == 0, err
    assert out.splitlines()[-1] == "3 imported"
    with Project.open(demo_project) as project:
        assert [t.id for t in list_transcripts(project)] == ["eng01", "ung01", "ung02"]


def test_importing_the_same_files_twice_changes_nothing(demo_project: Path, coder_cli: Cli) -> None:
    folder = demo_project / "transcripts"
    assert coder_cli("--project", demo_project, "import", folder)[0] == 0
    before = (demo_project / ".coder" / "coder.db").read_bytes()
    code, out, _ = coder_cli("--project", demo_project, "import", folder)
    assert code == 0
    assert out.splitlines()[-1] == "9 unchanged"
    assert all(line.lstrip().startswith("unchanged") for line in out.splitlines()[:-1])
    assert (demo_project / ".coder" / "coder.db").read_bytes() == before


def test_a_changed_file_is_refused_without_replace(
    small_project: Path, run_coder: Callable[..., object], interview: str
) -> None:
    path = small_project / "transcripts" / "intervju.txt"
    path.write_text(interview.replace("mobbing", "plaging"), encoding="utf-8")
    db = small_project / ".coder" / "coder.db"
    before = db.read_bytes()
    result = run_coder("--project", small_project, "import", path)
    assert result.returncode == 1  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert err.startswith("error: ") and str(path) in err and "--replace" in err
    assert "Traceback" not in err
    assert db.read_bytes() == before


def test_replace_keeps_codings_on_unchanged_excerpts_and_lists_the_dropped(
    small_project: Path, coder_cli: Cli, excerpt_ids: Callable[..., list[int]], interview: str
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        ops.apply_code(project, "kari", ids[1], CODE)
        ops.apply_code(project, "kari", ids[3], CODE)
        ops.apply_code(project, "ola", ids[1], CODE)
    path = small_project / "transcripts" / "intervju.txt"
    path.write_text(interview.replace("mye mobbing", "noe mobbing"), encoding="utf-8")
    code, out, err = coder_cli("--project", small_project, "import", "--replace", path)
    assert code == 0, err
    assert "replaced  intervju  (6 excerpts)" in out
    assert "kept 1 codings on unchanged excerpts" in out
    assert f"dropped (excerpt text changed): intervju:2 ({CODE}, kari)" in out
    assert f"dropped (excerpt text changed): intervju:2 ({CODE}, ola)" in out
    with Project.open(small_project) as project:
        assert [(r.seq, r.coder) for r in find_codings(project)] == [(4, "kari")]
        assert load_excerpts(project, "intervju")[1].text.startswith("Jeg følte meg ensom")


def test_id_and_case_options(new_project: Path, coder_cli: Cli) -> None:
    source = new_project / "opptak-2024-03.txt"
    source.write_text("Intervjuer: Hei.\n\nDeltaker: Hei, jeg heter Åse.\n", encoding="utf-8")
    code, out, err = coder_cli(
        "--project", new_project, "import", "--id", "ung09", "--case", "ung09-case", source
    )
    assert code == 0, err
    assert "imported  ung09  (2 excerpts)" in out
    with Project.open(new_project) as project:
        [info] = list_transcripts(project)
    assert (info.id, info.case_id) == ("ung09", "ung09-case")
    second = new_project / "opptak-2024-04.txt"
    second.write_text("Deltaker: Noe annet.\n", encoding="utf-8")
    code, _, err = coder_cli("--project", new_project, "import", "--id", "x", source, second)
    assert code == 1 and "--id names one transcript, but 2 files" in err


def test_case_applies_to_every_file(demo_project: Path, coder_cli: Cli) -> None:
    folder = demo_project / "transcripts"
    extra = demo_project / "del2"
    extra.mkdir()
    shutil.copyfile(folder / "ung01.txt", extra / "ung01-del2.txt")
    (extra / "ung01-del2.txt").write_text(
        (folder / "ung01.txt").read_text(encoding="utf-8") + "\nDeltaker: Del to.\n",
        encoding="utf-8",
    )
    code, _, err = coder_cli(
        "--project", demo_project, "import", "--case", "ung01", folder / "ung01.txt", extra
    )
    assert code == 0, err
    with Project.open(demo_project) as project:
        assert {(t.id, t.case_id) for t in list_transcripts(project)} == {
            ("ung01", "ung01"),
            ("ung01-del2", "ung01"),
        }


@pytest.mark.parametrize("name", ["ung01.txt", "ung01.md"])
def test_an_id_taken_by_another_file_in_the_batch_is_refused(
    new_project: Path, coder_cli: Cli, name: str
) -> None:
    a = new_project / "transcripts" / "ung01.txt"
    a.write_text("Deltaker: En.\n", encoding="utf-8")
    other = new_project / "andre"
    other.mkdir()
    b = other / name
    b.write_text("Deltaker: To.\n", encoding="utf-8")
    code, _, err = coder_cli("--project", new_project, "import", a, b)
    assert code == 1
    assert str(a) in err and str(b) in err and "Nothing was imported" in err
    assert status_json(coder_cli, new_project)["transcripts"] == 0
