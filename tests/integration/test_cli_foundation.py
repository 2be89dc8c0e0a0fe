"""The foundation commands end to end, through the real entry point in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support.processes import run, run_coder

ROOT = Path(__file__).resolve().parents[2]


def coder(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_coder(*args, cwd=cwd, env=env)


def test_help_and_version(tmp_path: Path) -> None:
    result = coder("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("init", "demo", "import", "status", "codebook", "cases", "codings"):
        assert command in result.stdout
    assert coder("--version", cwd=tmp_path).stdout.startswith("coder ")


def test_demo_from_any_folder(tmp_path: Path) -> None:
    env = {"CODER_DEMO_DIR": str(tmp_path / "demo")}
    first = coder("demo", "--no-tui", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "9 transcripts" in first.stdout
    assert "fictional" in first.stderr
    status = coder("--project", str(tmp_path / "demo"), "status", "--json", cwd=tmp_path)
    data = json.loads(status.stdout)
    assert data["transcripts"] == 9 and data["cases"] == 9 and data["excerpts"] > 300
    again = coder("demo", "--no-tui", cwd=tmp_path, env=env)
    assert again.returncode == 0
    assert (
        json.loads(
            coder("--project", str(tmp_path / "demo"), "status", "--json", cwd=tmp_path).stdout
        )
        == data
    )
    mode = (tmp_path / "demo" / ".coder" / "coder.db").stat().st_mode & 0o777
    assert mode == 0o600


def test_demo_without_a_terminal_says_so(tmp_path: Path) -> None:
    result = coder("demo", cwd=tmp_path, env={"CODER_DEMO_DIR": str(tmp_path / "demo")})
    assert result.returncode == 1
    assert "needs a terminal" in result.stderr and "Traceback" not in result.stderr


def test_codebook_check_exit_codes(tmp_path: Path) -> None:
    good = coder(
        "codebook", "check", str(ROOT / "codebooks" / "relational-robustness.yaml"), cwd=tmp_path
    )
    assert good.returncode == 0 and "ok (31 codes, 25 codable, 7 attributes)" in good.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codebook: {name: X, languages: [nb]}\ncodes:\n"
        "  - {id: a, label: {nb: A}, hotkey: '1', colour: red}\n"
        "  - {id: b, label: {nb: B}, hotkey: '1', parent: zz}\n",
        encoding="utf-8",
    )
    result = coder("codebook", "check", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "3 problems in codebook" in result.stderr
    assert f"{bad}:3: codes[0] (a).colour: unknown key 'colour'" in result.stderr
    assert f"{bad}:4: codes[1] (b).hotkey: duplicate hotkey '1'" in result.stderr
    assert f"{bad}:4: codes[1] (b).parent: unknown parent 'zz'" in result.stderr
    assert "Traceback" not in result.stderr


def test_codebook_commands_find_the_project_upwards(tmp_path: Path) -> None:
    assert coder("init", str(tmp_path / "p"), cwd=tmp_path).returncode == 0
    inner = tmp_path / "p" / "transcripts"
    check = coder("codebook", "check", cwd=inner)
    assert check.returncode == 0, check.stderr
    show = coder("codebook", "show", "--lang", "en", cwd=inner)
    assert "[1] Relational conditions" in show.stdout
    assert "Relational robustness" in show.stdout and "Steady < Wavering < Trembling" in show.stdout


def test_init_refuses_existing_project(tmp_path: Path) -> None:
    assert coder("init", str(tmp_path / "p"), "--language", "en", cwd=tmp_path).returncode == 0
    before = (tmp_path / "p" / "coder.toml").read_bytes()
    again = coder("init", str(tmp_path / "p"), cwd=tmp_path)
    assert again.returncode == 1 and "exists here already" in again.stderr
    assert (tmp_path / "p" / "coder.toml").read_bytes() == before


def test_outside_a_project_is_a_clear_error(tmp_path: Path) -> None:
    result = coder("status", cwd=tmp_path)
    assert result.returncode == 1
    assert "no coder.toml" in result.stderr and "Traceback" not in result.stderr


def test_broken_coder_toml_is_reported_with_line(tmp_path: Path) -> None:
    coder("init", str(tmp_path / "p"), cwd=tmp_path)
    config = tmp_path / "p" / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_chars", "max_chrs"), encoding="utf-8"
    )
    result = coder("status", cwd=tmp_path / "p")
    assert result.returncode == 1
    assert "coder.toml:" in result.stderr and "segmentation.max_chrs: unknown key" in result.stderr


@pytest.mark.slow
def test_wheel_ships_the_demo(tmp_path: Path) -> None:
    result = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT], timeout=300
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("coder-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "coder/_demo/coder.toml" in names
    assert "coder/_demo/cases.csv" in names
    assert "coder/_demo/codebooks/relational-robustness.yaml" in names
    assert sum(name.startswith("coder/_demo/transcripts/") for name in names) >= 8
