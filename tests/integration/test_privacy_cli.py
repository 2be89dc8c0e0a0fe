"""``coder privacy`` end to end: scan, add, apply, then every export and the project checked."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.privacy.key_file import ENV_KEY, ENV_PASSPHRASE
from coder.project.project import Project
from coder.store import operations, queries
from coder.store.importer import import_transcript

NAMED = """\
Intervjuer: Hvem hjalp deg?

Deltaker: Kontaktlæreren min, Sara Hansen, på Bakken ungdomsskole i Tromsø. Hun ringte fra 912 34 567.

Intervjuer: Og så?

Deltaker: Så sendte NAV brev til Storgata 12B. Fødselsnummeret 15108695088 sto på det, og Sara Hansen ringte igjen.
"""

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def coded(
    new_project: Path,
    write_transcript: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setenv(ENV_KEY, str(tmp_path / "keys" / "key.json"))
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    path = write_transcript(new_project, "named.txt", NAMED)
    with Project.open(new_project) as project:
        import_transcript(project, path)
        code = next(c.id for c in project.codebook.codes if c.codable)
        for excerpt in queries.load_excerpts(project, "named"):
            if excerpt.codable:
                operations.apply_code(project, "kari", excerpt.id, code)
                operations.add_memo(
                    project, "kari", "Sara Hansen går igjen.", excerpt_id=excerpt.id
                )
    return new_project


def _exports(cli: Cli, root: Path, folder: Path) -> list[Path]:
    folder.mkdir()
    made = []
    for name, args in (
        ("long.csv", ["export", "long"]),
        ("wide.csv", ["export", "wide"]),
        ("cases.csv", ["export", "cases"]),
        ("long.sav", ["export", "spss", "--table", "long"]),
        ("long.dta", ["export", "stata", "--table", "long"]),
        ("long-r.csv", ["export", "r", "--table", "long"]),
        ("project.qdpx", ["export", "refi"]),
        ("freq.csv", ["report", "frequencies"]),
    ):
        code, out, err = cli("--project", root, *args, "-o", folder / name)
        assert code == 0, (name, out, err)
        made.append(folder / name)
    return made


def test_scan_add_apply_check(coded: Path, tmp_path: Path, coder_cli: Cli) -> None:
    code, out, err = coder_cli("--project", coded, "privacy", "scan", "--json")
    assert code == 0, err
    found = {c["text"]: c for c in json.loads(out)["candidates"]}
    assert found["Sara Hansen"]["occurrences"] == 2 and found["Sara Hansen"]["category"] == "NAVN"
    assert (
        found["15108695088"]["category"] == "FNR" and found["912 34 567"]["category"] == "TELEFON"
    )
    assert found["Storgata 12B"]["category"] == "ADRESSE"
    for text, category in (
        ("Sara Hansen", "NAVN"),
        ("Bakken ungdomsskole", "SKOLE"),
        ("Tromsø", "STED"),
        ("912 34 567", "TELEFON"),
        ("15108695088", "FNR"),
        ("Storgata 12B", "ADRESSE"),
    ):
        code, out, err = coder_cli(
            "--project", coded, "privacy", "add", text, "--category", category
        )
        assert code == 0, err
    assert "[SKOLE-1]" in coder_cli("--project", coded, "privacy", "list")[1]

    before = _exports(coder_cli, coded, tmp_path / "before")
    code, out, _ = coder_cli("--project", coded, "privacy", "check", *before)
    assert code == 1 and "LEAK" in out and "long.sav" in out and "project.qdpx!" in out

    code, out, err = coder_cli("--project", coded, "privacy", "apply")
    assert code == 0, err
    assert "source file(s) in the transcripts folder still identify" in out and "named.txt" in out

    after = _exports(coder_cli, coded, tmp_path / "after")
    code, out, err = coder_cli("--project", coded, "privacy", "check", *after)
    assert code == 0, out
    long = (tmp_path / "after" / "long.csv").read_text(encoding="utf-8")
    assert "[NAVN-1]" in long and "[TELEFON-1]" in long  # the text is there, pseudonymised

    code, out, _ = coder_cli("--project", coded, "privacy", "check")
    assert code == 1 and "source file, still identifying" in out and "named.txt" in out
    assert "LEAK" not in out and "mv transcripts" in out
    shutil.move(coded / "transcripts" / "named.txt", tmp_path / "originals.txt")
    code, out, _ = coder_cli("--project", coded, "privacy", "check")
    assert code == 0 and "No key entry found" in out

    code, out, _ = coder_cli("--project", coded, "privacy", "reveal", "[NAVN-1] på [SKOLE-1]")
    assert code == 0 and out.strip() == "Sara Hansen på Bakken ungdomsskole"


def test_bad_input_is_refused_and_changes_nothing(
    coded: Path, tmp_path: Path, coder_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = coded / ".coder" / "coder.db"
    code, _, err = coder_cli("--project", coded, "privacy", "apply")
    assert code == 1 and "privacy key not found" in err
    monkeypatch.setenv(ENV_PASSPHRASE, "riktig")
    code, _, err = coder_cli("--project", coded, "privacy", "add", "Sara Hansen", "--encrypt")
    assert code == 0, err
    key = Path(tmp_path / "keys" / "key.json")
    assert b"Sara" not in key.read_bytes()
    monkeypatch.setenv(ENV_PASSPHRASE, "feil")
    code, _, err = coder_cli("--project", coded, "privacy", "apply")
    assert code == 1 and "wrong passphrase" in err and "Nothing was changed" in err
    monkeypatch.delenv(ENV_PASSPHRASE)
    code, _, err = coder_cli("--project", coded, "privacy", "apply")  # no terminal to ask on
    assert code == 1 and "needs a passphrase" in err
    with Project.open(coded) as project:
        assert "Sara Hansen" in queries.transcript_text(project, "named")
    code, _, err = coder_cli("--project", coded, "privacy", "add", "Sara", "--category", "BOGUS")
    assert code == 1 and "unknown privacy category" in err
    monkeypatch.delenv(ENV_KEY)
    config = coded / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[privacy]\nkey = ".coder/key.json"\n',
        encoding="utf-8",
    )
    code, _, err = coder_cli("--project", coded, "privacy", "scan")
    assert code == 1 and "inside the project folder" in err
    assert not (coded / ".coder" / "key.json").exists()
    assert db.exists()
