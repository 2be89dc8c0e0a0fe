"""The privacy key: placeholders by category, kept outside the project, 0600, sealed with a passphrase."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from coder.errors import CoderError
from coder.privacy.categories import Category
from coder.privacy.key_crypto import KeySeal
from coder.privacy.key_file import ENV_KEY, KeyFile, key_location
from coder.privacy.privacy_key import PrivacyKey, Status


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # the default cost (2**15) takes a third of a second; the format is the same
    monkeypatch.setattr("coder.privacy.key_file.KeySeal", lambda: KeySeal(n=2**10))
    monkeypatch.delenv(ENV_KEY, raising=False)


def test_placeholders_are_typed_numbered_and_stable() -> None:
    key = PrivacyKey.new("demo")
    assert key.accept("Sara Hansen", Category.NAVN).replacement == "[NAVN-1]"
    assert key.accept("Ola", Category.NAVN).replacement == "[NAVN-2]"
    assert key.accept("Bakken skole", Category.SKOLE).replacement == "[SKOLE-1]"
    assert key.accept("Voss", Category.STED).replacement == "[STED-1]"
    assert key.accept("sara  hansen", Category.NAVN).replacement == "[NAVN-1]"  # same entry
    assert key.accept("Per", Category.NAVN, replacement="Kari").replacement == "Kari"
    assert key.accept("Mari", Category.NAVN).replacement == "[NAVN-3]"
    key.propose("Tromsø", Category.STED, "capitalised")
    assert key.get("TROMSØ") is not None and key.get("tromsø").status is Status.PENDING  # type: ignore[union-attr]
    assert not key.propose("Ola", Category.NAVN, "capitalised")
    key.reject("Tromsø")
    assert key.get("Tromsø").status is Status.REJECTED  # type: ignore[union-attr]
    with pytest.raises(CoderError, match="itself a key entry"):
        key.accept("Nils", Category.NAVN, replacement="Ola")
    again = PrivacyKey.from_dict(key.to_dict(), "key.json")
    assert again.replacements() == key.replacements()
    assert again.project_id == key.project_id


def test_the_key_path_comes_from_the_environment_or_coder_toml_and_stays_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    assert key_location(project, str(tmp_path / "k.json")) == tmp_path / "k.json"
    assert key_location(project, "../k2.json") == tmp_path / "k2.json"
    monkeypatch.setenv(ENV_KEY, str(tmp_path / "env.json"))
    assert key_location(project, str(tmp_path / "k.json")) == tmp_path / "env.json"
    monkeypatch.setenv(ENV_KEY, str(project / ".coder" / "key.json"))
    with pytest.raises(CoderError, match="inside the project folder"):
        key_location(project, None)
    monkeypatch.delenv(ENV_KEY)
    with pytest.raises(CoderError, match="inside the project folder"):
        key_location(project, "keys/key.json")
    (tmp_path / "link").symlink_to(project)
    with pytest.raises(CoderError, match="inside the project folder"):
        key_location(project, str(tmp_path / "link" / "key.json"))
    with pytest.raises(CoderError, match=r"no privacy key set.*\[privacy\] key"):
        key_location(project, None)


def test_the_file_is_private_and_plain_without_a_passphrase(tmp_path: Path) -> None:
    key = PrivacyKey.new("demo")
    key.accept("Sara", Category.NAVN)
    file = KeyFile(tmp_path / "keys" / "key.json")
    file.write(key, None)
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
    assert "Sara" in file.path.read_text(encoding="utf-8")
    assert not file.encrypted()
    assert file.read(None).replacements() == {"Sara": "[NAVN-1]"}


def test_a_passphrase_seals_the_entries(tmp_path: Path) -> None:
    key = PrivacyKey.new("demo")
    key.accept("Sara Åsmundsdóttir", Category.NAVN)
    file = KeyFile(tmp_path / "key.json")
    file.write(key, "riktig hest batteri")
    raw = file.path.read_bytes()
    assert b"Sara" not in raw and key.project_id.encode() not in raw
    envelope = json.loads(raw)
    assert (
        envelope["encryption"]["cipher"] == "AES-256-GCM"
        and envelope["encryption"]["kdf"] == "scrypt"
    )
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
    assert file.read("riktig hest batteri").replacements() == {"Sara Åsmundsdóttir": "[NAVN-1]"}
    with pytest.raises(CoderError, match="wrong passphrase"):
        file.read("feil")
    with pytest.raises(CoderError, match="encrypted; give its passphrase"):
        file.read(None)
    envelope["encryption"]["n"] = 2**11  # tampering with the clear header is detected
    file.path.write_text(json.dumps(envelope), encoding="utf-8")
    with pytest.raises(CoderError, match="wrong passphrase"):
        file.read("riktig hest batteri")


def test_missing_and_damaged_keys_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CoderError, match="privacy key not found"):
        KeyFile(tmp_path / "none.json").read(None)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CoderError, match="cannot read the privacy key"):
        KeyFile(bad).read(None)
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(CoderError, match="not a coder privacy key"):
        KeyFile(bad).read(None)
    bad.write_text('{"format": "coder-privacy-key", "version": 1, "entries": []}', encoding="utf-8")
    with pytest.raises(CoderError, match="damaged privacy key"):
        KeyFile(bad).read(None)
    with pytest.raises(CoderError, match="unknown privacy category"):
        Category.parse("FOO")
    assert Category.parse("person") is Category.NAVN and Category.parse("sted") is Category.STED
