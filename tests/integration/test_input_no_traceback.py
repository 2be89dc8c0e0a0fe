"""Inputs that used to end in a traceback are plain messages with what to do (issue 14.4):
deeply nested XML and TOML. Each runs ``coder`` as a user would, in a subprocess."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from support.processes import run_coder


def coder(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m coder ARGS`` in a subprocess."""
    return run_coder(*args, timeout=120)


def plain_failure(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit 1, no traceback, every expected piece in the message."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for piece in expected:
        assert piece in done.stderr, done.stderr


def test_deeply_nested_toml_is_a_plain_error(new_project: Path) -> None:
    config = new_project / "coder.toml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + "\n[extra]\nx = " + "[" * 50_000 + "]" * 50_000 + "\n")
    done = coder("--project", new_project, "status")
    plain_failure(done, "coder.toml", "nested too deeply")


def test_deeply_nested_odt_xml_is_a_plain_error(new_project: Path) -> None:
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:text="{text}"><office:body>'
        + "<text:section>" * 50_000
        + "<text:p>Deltaker: hei</text:p>"
        + "</text:section>" * 50_000
        + "</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", content)
    path = new_project / "transcripts" / "dyp.odt"
    path.write_bytes(buffer.getvalue())
    done = coder("--project", new_project, "import", path)
    plain_failure(done, f"{path}: content.xml of the .odt nests elements too deeply")
    assert "Nothing was imported" in done.stderr
