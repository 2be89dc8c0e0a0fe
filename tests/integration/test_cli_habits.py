"""CLI habits: --project after the command, bare `coder` outside a project, status without a
database, the repository root's demo."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]
REPO = Path(__file__).resolve().parents[2]


def test_project_option_after_the_command(small_project: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli("status", "--project", small_project, "--json")
    assert code == 0, err
    assert json.loads(out)["transcripts"] == 1
    code, out, err = coder_cli("codebook", "show", "-p", small_project)
    assert code == 0, err
    code, out, err = coder_cli("agree", "--project", small_project, "--format", "json")
    assert "--project" not in err  # parsed, whatever agreement says about too few coders
    # before the command still works, and is not undone by the sub-command's option
    code, out, err = coder_cli("--project", small_project, "status", "--json")
    assert code == 0 and json.loads(out)["transcripts"] == 1


def test_bare_coder_outside_a_project(
    tmp_path: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = coder_cli()
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("No coder project found: no coder.toml in")
    assert "coder init DIR" in first and "coder demo" in first
    assert "usage: coder" in out


def test_status_creates_no_database_and_says_how_to_import(tmp_path: Path, coder_cli: Cli) -> None:
    demo = tmp_path / "repo"  # the repository root is the demo project, with nothing imported
    demo.mkdir()
    for name in ("coder.toml", "cases.csv"):
        shutil.copyfile(REPO / name, demo / name)
    for name in ("codebooks", "transcripts"):
        shutil.copytree(REPO / name, demo / name)
    code, out, err = coder_cli("status", "--project", demo)
    assert code == 0, err
    assert not (demo / ".coder").exists()
    assert "Nothing imported yet" in out
    assert f"coder --project {demo} import {demo / 'transcripts'}" in out
    assert f"cases import {demo / 'cases.csv'}" in out
    code, out, err = coder_cli("status", "--project", demo, "--json")
    assert code == 0 and json.loads(out)["transcripts"] == 0
    assert not (demo / ".coder").exists()
