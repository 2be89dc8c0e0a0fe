"""``coder team`` from the command line: the lead's round trip, encrypted (issue 16.1-3, 5, 6)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.project.project import Project
from coder.store.operations import apply_code
from support.lead_projects import CODE
from support.team_projects import codable, lead_project
from support.team_rows import coder_rows

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    from coder.team.pack_file import Seal

    monkeypatch.setattr("coder.team.pack_file.DEFAULT_SEAL", Seal(n=2**10))


def test_the_round_trip_in_five_commands_with_a_passphrase(
    tmp_path: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = lead_project(tmp_path / "lead")
    lead.close()
    monkeypatch.setenv("CODER_TEAM_PASSPHRASE", "hemmelig æøå")
    pack, back = tmp_path / "ada.coderpack", tmp_path / "ada-back.coderpack"
    code, out, err = coder_cli("team", "handout", "ada", "-o", pack, "-p", lead.root)
    assert code == 0, err
    assert "for ada: 2 transcripts, 20 excerpts; no other coder's work" in out
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    code, out, err = coder_cli("team", "join", pack, tmp_path / "ada")
    assert code == 0, err
    assert "ada's copy, 2 transcripts" in out
    with Project.open(tmp_path / "ada") as copy:
        apply_code(copy, "ada", codable(copy)[1], CODE)
    code, out, err = coder_cli("team", "return", "-o", back, "-p", tmp_path / "ada")
    assert code == 0, err
    assert "ada's work (1 codings" in out
    code, out, err = coder_cli("team", "merge", back, "-p", lead.root)
    assert code == 0, err
    assert out.startswith("ada (ada-back.coderpack): 1 added, 0 changed, 0 removed, 0 unchanged")
    code, out, err = coder_cli("team", "merge", back, "--json", "-p", lead.root)
    assert json.loads(out)[0]["totals"] == {"added": 0, "changed": 0, "removed": 0, "unchanged": 1}
    with Project.open(lead.root) as merged, Project.open(tmp_path / "ada") as copy:
        assert coder_rows(merged, "ada") == coder_rows(copy, "ada")


def test_a_wrong_passphrase_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = lead_project(tmp_path / "lead")
    lead.close()
    monkeypatch.setenv("CODER_TEAM_PASSPHRASE", "riktig")
    pack = tmp_path / "ada.coderpack"
    assert coder_cli("team", "handout", "ada", "-o", pack, "-p", lead.root)[0] == 0
    monkeypatch.setenv("CODER_TEAM_PASSPHRASE", "feil")
    code, out, err = coder_cli("team", "join", pack, tmp_path / "ada")
    assert code == 1
    assert "wrong passphrase, or the file was changed" in err and "Traceback" not in err
    monkeypatch.delenv("CODER_TEAM_PASSPHRASE")
    code, _, err = coder_cli("team", "join", pack, tmp_path / "ada")
    assert code == 1 and "the pack is encrypted" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.coderpack", "lead"]


def test_return_outside_a_copy_and_merge_of_a_handout_are_refused(
    tmp_path: Path, coder_cli: Cli
) -> None:
    lead = lead_project(tmp_path / "lead")
    lead.close()
    code, _, err = coder_cli("team", "return", "-o", tmp_path / "x.coderpack", "-p", lead.root)
    assert code == 1 and "not a coder's copy" in err
    pack = tmp_path / "ada.coderpack"
    assert coder_cli("team", "handout", "ada", "-o", pack, "-p", lead.root)[0] == 0
    code, _, err = coder_cli("team", "merge", pack, "-p", lead.root)
    assert code == 1 and "a handout pack, not a return" in err
    code, _, err = coder_cli("team", "handout", "model", "-o", pack, "-p", lead.root)
    assert code == 1 and "not a person" in err
