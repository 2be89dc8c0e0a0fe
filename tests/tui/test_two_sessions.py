"""The same coder in two places at once never deletes or duplicates work, and is warned."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import codings_of

from coder.project.live_session import LiveSession
from coder.project.project import Project
from coder.store.operations import apply_code
from coder.tui.app import make_app
from coder.tui.session import CodingSession
from support.lead_projects import open_coding
from support.processes import run_coder, run_python, start_python

SIZE = (110, 36)


def hotkey_code(project: Project) -> tuple[str, str]:
    code = next(c for c in project.codebook.codable_codes if c.hotkey)
    assert code.hotkey is not None
    return code.id, code.hotkey


def test_two_sessions_of_one_coder_keep_each_others_work(project: Project) -> None:
    first = CodingSession.open(project, "kari", "ung01")
    second = CodingSession.open(project, "kari", "ung01")  # the other terminal, loaded now
    code_id = project.codebook.codable_codes[0].id
    excerpt = first.current
    assert first.toggle(code_id) is True
    # the second screen still shows the excerpt without the code; its key means "apply"
    assert second.current.id == excerpt.id and second.codes_of(excerpt) == []
    assert second.toggle(code_id) is True  # no ValueError, and the first one's coding stays
    assert second.out_of_step is True
    assert second.codes_of(excerpt) == [(code_id, None)]
    assert codings_of(project.root, "kari") == [
        ("ung01", excerpt.seq, code_id, None, None, "manual")
    ]
    # now the first removes it; the second, stale again, removing too changes nothing more
    assert first.toggle(code_id) is False
    assert second.toggle(code_id) is False and second.out_of_step is True
    assert codings_of(project.root, "kari") == []


async def test_store_write_in_between_is_not_undone_by_a_key(
    project_dir: Path, project: Project
) -> None:
    code_id, key = hotkey_code(project)
    app = make_app(project_dir, coder="kari", resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(app, pilot)
        assert screen.session is not None
        excerpt = screen.session.current
        apply_code(project, "kari", excerpt.id, code_id)  # e.g. `coder codings import` now
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code is None  # still running, no crash
        assert len(codings_of(project_dir, "kari")) == 1
        assert screen.session.codes_of(excerpt) == [(code_id, None)]


HOLDER = """
import sys
from pathlib import Path
from coder.project.live_session import LiveSession
LiveSession.claim(Path(sys.argv[1]), "kari")
print("claimed", flush=True)
sys.stdin.read()
"""


async def test_second_app_is_warned_and_marker_cleared_on_exit(project_dir: Path) -> None:
    holder = start_python(HOLDER, project_dir, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "claimed"
        app = make_app(project_dir, coder="kari", resume=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            warnings = [n for n in app._notifications if n.severity == "warning"]
            assert any(f"process {holder.pid}" in n.message for n in warnings)
            assert LiveSession.find(project_dir, "kari") is None  # ours now: this process
    finally:
        holder.communicate("")  # ends it: the holder reads stdin to its end
    assert not LiveSession.marker(project_dir, "kari").exists()  # cleared on exit


async def test_stale_marker_after_a_crash_is_no_warning(project_dir: Path) -> None:
    gone = run_python(HOLDER.replace("sys.stdin.read()", ""), project_dir)
    assert gone.returncode == 0 and LiveSession.marker(project_dir, "kari").exists()
    assert LiveSession.find(project_dir, "kari") is None  # its process is gone: stale
    app = make_app(project_dir, coder="kari", resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if n.severity == "warning"]


def test_codings_import_warns_about_an_open_app(project_dir: Path, tmp_path: Path) -> None:
    holder = start_python(HOLDER, project_dir, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "claimed"
        rows = tmp_path / "codings.csv"
        rows.write_text("transcript,excerpt,code\nung01,2,risk.ses\n", encoding="utf-8")
        done = run_coder("--project", project_dir, "codings", "import", rows, "--coder", "kari")
    finally:
        holder.communicate("")  # ends it: the holder reads stdin to its end
    assert done.returncode == 0, done.stderr
    assert f"kari has the coding app open (process {holder.pid}" in done.stderr
