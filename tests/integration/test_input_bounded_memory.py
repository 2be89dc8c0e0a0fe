"""Documents and codebooks that inflate far beyond a sane size are refused in bounded memory,
with a message naming the limit and how to raise it (issue 14.2).

Each hostile input is built by the test and given to ``coder`` in a subprocess limited to
2 GiB of address space (RLIMIT_AS): without the limits, parsing them needs many gigabytes.
"""

from __future__ import annotations

import io
import re
import resource
import subprocess
import zipfile
from pathlib import Path

import pytest

from coder.domain.limits import Limits
from support.processes import run_coder

ADDRESS_SPACE = 2 * 1024**3
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def limited() -> None:
    """Runs in the child before exec: cap its address space at 2 GiB."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def coder(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m coder ARGS`` within 2 GiB of address space."""
    return run_coder(*args, timeout=300, preexec_fn=limited, env={"OPENBLAS_NUM_THREADS": "1"})


def docx_with_paragraphs(paragraphs: int) -> bytes:
    """A real .docx (python-docx's template) whose document.xml holds ``paragraphs`` turns."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
        with target.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            turn = b"<w:p><w:r><w:t>Deltaker: Jeg f\xc3\xb8lte meg ensom.</w:t></w:r></w:p>" * 1000
            for _ in range(paragraphs // 1000):
                stream.write(turn)
            stream.write(b"</w:body></w:document>")
    return out.getvalue()


def odt_with_paragraphs(paragraphs: int) -> bytes:
    """An .odt whose content.xml holds ``paragraphs`` turns."""
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w", force_zip64=True) as stream:
            stream.write(
                f'<office:document-content xmlns:office="{office}" xmlns:text="{text}">'
                "<office:body><office:text>".encode()
            )
            turn = b"<text:p>Deltaker: Det var mye mobbing.</text:p>" * 1000
            for _ in range(paragraphs // 1000):
                stream.write(turn)
            stream.write(b"</office:text></office:body></office:document-content>")
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_an_office_file_inflating_to_gigabytes_of_xml_is_refused(
    new_project: Path, suffix: str
) -> None:
    # ~3.5 GB of XML once inflated (about 60 MB on disk): tens of GB as a parsed tree
    build = docx_with_paragraphs if suffix == ".docx" else odt_with_paragraphs
    path = new_project / "transcripts" / f"bombe{suffix}"
    path.write_bytes(build(60_000_000 if suffix == ".docx" else 80_000_000))
    done = coder("--project", new_project, "import", path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "above the limit document_mb = 256 MiB" in done.stderr
    assert "coder.toml [limits] document_mb = " in done.stderr
    assert "Nothing was imported" in done.stderr


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_the_xml_limit_is_named_and_can_be_raised(new_project: Path, suffix: str) -> None:
    build = docx_with_paragraphs if suffix == ".docx" else odt_with_paragraphs
    path = new_project / "transcripts" / f"lang{suffix}"
    path.write_bytes(build(60_000))  # about 3.5 MB of XML
    config = new_project / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[limits]\ndocument_xml_mb = 2\n", encoding="utf-8"
    )
    done = coder("--project", new_project, "import", path)
    assert done.returncode == 1
    assert "above the limit document_xml_mb = 2 MiB" in done.stderr
    suggested = re.search(
        r"raise the limit \(coder.toml \[limits\] (document_xml_mb = \d+)\)", done.stderr
    )
    assert suggested is not None, done.stderr
    config.write_text(
        config.read_text(encoding="utf-8").replace("document_xml_mb = 2", suggested[1]),
        encoding="utf-8",
    )
    done = coder("--project", new_project, "import", path)
    assert done.returncode == 0, done.stderr


ALIAS_BOMB = """\
codebook: {name: Bombe, version: 1.0.0, languages: [nb]}
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
codes: [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i]
"""
"""Ten billion "lol"s once the aliases are expanded; a few hundred bytes on disk."""


def test_a_yaml_alias_bomb_codebook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bombe.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    done = coder("codebook", "check", path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "limit codebook_nodes" in (done.stdout + done.stderr)
    assert "[limits] codebook_nodes" in (done.stdout + done.stderr)


def test_the_limits_table_of_coder_toml_lists_every_limit() -> None:
    from coder.domain.settings import ProjectSettings

    table = ProjectSettings.model_fields["reader_limits"].annotation
    assert tuple(table.model_fields) == Limits.names()
