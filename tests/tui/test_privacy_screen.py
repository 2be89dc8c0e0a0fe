"""Pilot tests of the pseudonymisation review: keyboard decisions that apply everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.privacy.key_file import ENV_KEY, ENV_PASSPHRASE
from coder.privacy.privacy_key import Status
from coder.privacy.privacy_session import PrivacySession
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.queries import transcript_text
from coder.tui.app import make_privacy_app
from coder.tui.screens.privacy_screen import PrivacyScreen

SIZE = (140, 40)
EXTRA = "Intervjuer: Og så?\n\nDeltaker: Jeg snakket med Hege om det, og Markus var der.\n"


@pytest.fixture
def key_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "key.json"
    monkeypatch.setenv(ENV_KEY, str(path))
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    return path


async def _go_to(pilot, screen: PrivacyScreen, text: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(len(screen.items) + 1):
        if screen.current is not None and screen.current.text == text:
            return
        await pilot.press("j")
    raise AssertionError(f"{text!r} is not among the candidates")


async def test_review_by_keyboard_then_apply_everywhere(project_dir: Path, key_path: Path) -> None:
    (project_dir / "transcripts" / "extra.txt").write_text(EXTRA, encoding="utf-8")
    with Project.open(project_dir) as project:
        import_transcript(project, project_dir / "transcripts" / "extra.txt")
    project = Project.open(project_dir)
    session = PrivacySession.open(project, None, create=True)
    report, added = session.scan()
    assert added >= 5 and {"Hege", "Markus", "Anne", "Vestland"} <= {
        c.text for c in report.candidates
    }
    app = make_privacy_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrivacyScreen)
        await _go_to(pilot, screen, "Hege")
        assert len({tid for tid, _ in screen.places}) == 2  # ung03 and extra
        await pilot.press("y")
        await _go_to(pilot, screen, "Vestland")
        while screen.current is not None and screen.current.category.value != "STED":
            await pilot.press("c")
        await pilot.press("y")
        await _go_to(pilot, screen, "Markus")
        await pilot.press("n")
        await _go_to(pilot, screen, "Anne")
        await pilot.press("greater_than_sign")  # take in the next word at the place shown
        assert screen.current is not None and screen.current.text == "Anne, hun"
        await pilot.press("y")
        await _go_to(pilot, screen, "Nordland")
        await pilot.press("less_than_sign")  # and the word before it
        left = screen.current
        assert left is not None and left.text.endswith(" Nordland") and len(left.text.split()) == 2
        await pilot.press("n")
        await pilot.press("a", *"studiespesialisering", "enter")
        assert screen.current is not None and screen.current.text == "studiespesialisering"
        await pilot.press("r", *"linja", "enter")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
    await app.workers.wait_for_complete()
    stored = json.loads(key_path.read_text(encoding="utf-8"))
    by_text = {e["text"]: e for e in stored["entries"]}
    assert by_text["Hege"]["status"] == "accepted" and by_text["Hege"]["replacement"] == "[NAVN-1]"
    assert by_text["Vestland"]["replacement"] == "[STED-1]"
    assert by_text["Markus"]["status"] == "rejected"
    assert "Anne" not in by_text and "Nordland" not in by_text  # the longer spans replaced them
    assert by_text["Anne, hun"]["status"] == "accepted"
    assert by_text[left.text]["status"] == "rejected"
    assert by_text["studiespesialisering"]["replacement"] == "linja"

    reopened = PrivacySession.open(project, None)
    assert reopened.key.get("Hege").status is Status.ACCEPTED  # type: ignore[union-attr]
    reopened.apply()
    for tid in ("ung03", "extra"):
        text = transcript_text(project, tid)
        assert "Hege" not in text and "[NAVN-1]" in text
    assert "Markus" in transcript_text(project, "extra")
    ung01 = transcript_text(project, "ung01")
    assert "studiespesialisering" not in ung01 and "linja" in ung01
    assert "Anne, hun" not in ung01 and "[NAVN-2]" in ung01
    project.close()
