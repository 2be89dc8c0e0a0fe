"""import-refi at the edges (issue 14.2, 14.4, 14.5, 14.6): big files refused in bounded memory
naming the limit, deep nesting and duplicate GUIDs refused plainly, no partial folder left."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from support.processes import run_coder, start_coder

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

SOURCE = "00000005-0000-4000-8000-000000000001"
CODE = "0000000c-0000-4000-8000-000000000001"
ADDRESS_SPACE = 2 * 1024**3
MIB = 1024 * 1024


def limited() -> None:
    """Runs in the child before exec: cap its address space at 2 GiB."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def coder(cwd: Path, *args: str | Path, limit: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m coder ARGS`` in ``cwd``, within 2 GiB of address space."""
    return run_coder(
        *args,
        cwd=cwd,
        timeout=300,
        preexec_fn=limited if limit else None,
        env={"OPENBLAS_NUM_THREADS": "1"},
    )


def project_xml(codes: str = "", sources: str = "", head: str = "") -> str:
    """A REFI-QDA project document."""
    return (
        f'<?xml version="1.0"?>{head}<Project xmlns="urn:QDA-XML:project:1.0" name="P">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources></Project>"
    )


def text_source(guid: str = SOURCE, name: str = "one") -> str:
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt"/>'


def qdpx(path: Path, qde: str, texts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".partial"))


# --- bounded memory ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_project_qde_of_hundreds_of_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "stor.qdpx"
    code = f'<Code guid="{CODE}" name="A" isCodable="true"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:  # stored: no zip-bomb ratio
        with archive.open("project.qde", "w", force_zip64=True) as stream:
            stream.write(project_xml(codes=code, sources=text_source()).encode()[:-10])
            note = b'<Note guid="00000009-0000-4000-8000-000000000001" name="n"/>' * 1000
            for _ in range(5000):  # about 300 MB of notes
                stream.write(note)
            stream.write(b"</Sources></Project>")
        archive.writestr(f"sources/{SOURCE}.txt", "Deltaker: hei")
    done = coder(tmp_path, "import-refi", path, "--into", tmp_path / "ny")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "the limit refi_project_mb" in done.stderr
    assert "--limit refi_project_mb=" in done.stderr
    assert not (tmp_path / "ny").exists() and leftovers(tmp_path) == []


@pytest.mark.slow
def test_many_entries_each_just_under_the_entry_cap_are_refused_in_all(tmp_path: Path) -> None:
    path = tmp_path / "mange.qdpx"
    guids = [f"00000005-0000-4000-8000-{index:012d}" for index in range(5)]
    sources = "".join(text_source(guid, f"s{index}") for index, guid in enumerate(guids))
    block = b"Deltaker: " + b"ord " * (MIB // 4)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", project_xml(sources=sources))
        for guid in guids:
            with archive.open(f"sources/{guid}.txt", "w", force_zip64=True) as stream:
                for _ in range(127):  # 127 MiB: just under refi_entry_mb = 128
                    stream.write(block[:MIB])
    done = coder(tmp_path, "import-refi", path, "--into", tmp_path / "ny")
    assert done.returncode == 1, done.stderr
    assert "(the limit refi_total_mb)" in done.stderr and "--limit refi_total_mb=" in done.stderr
    assert leftovers(tmp_path) == []


def test_a_limit_can_be_raised_for_one_import(tmp_path: Path) -> None:
    path = qdpx(tmp_path / "p.qdpx", project_xml(sources=text_source()), {SOURCE: "D: hei"})
    refused = coder(tmp_path, "import-refi", path, "--into", tmp_path / "a", "--limit", "x=1")
    assert refused.returncode == 1 and "unknown limit 'x'" in refused.stderr
    done = coder(
        tmp_path, "import-refi", path, "--into", tmp_path / "b", "--limit", "refi_project_mb=1"
    )
    assert done.returncode == 0, done.stderr


# --- identity and nesting ------------------------------------------------------------------------


def test_two_codes_with_one_guid_are_an_error_naming_both(tmp_path: Path) -> None:
    codes = (
        f'<Code guid="{CODE}" name="Mobbing" isCodable="true"/>'
        f'<Code guid="0000000c-0000-4000-8000-000000000002" name="Skole" isCodable="false">'
        f'<Code guid="{CODE.upper()}" name="Lærere" isCodable="true"/></Code>'
    )
    path = qdpx(tmp_path / "p.qdpx", project_xml(codes, text_source()), {SOURCE: "D: hei"})
    done = coder(tmp_path, "import-refi", path, "--into", tmp_path / "ny", limit=False)
    assert done.returncode == 1, done.stderr
    assert f"code 'Mobbing' and code 'Skole / Lærere' have the same GUID {CODE.upper()}" in (
        done.stderr
    )
    assert not (tmp_path / "ny").exists()


def test_two_sources_with_one_guid_are_an_error_naming_both(tmp_path: Path) -> None:
    sources = text_source(SOURCE, "intervju 1") + text_source(SOURCE, "intervju 2")
    path = qdpx(tmp_path / "p.qdpx", project_xml(sources=sources), {SOURCE: "D: hei"})
    done = coder(tmp_path, "import-refi", path, "--into", tmp_path / "ny", limit=False)
    assert done.returncode == 1
    assert f"source 'intervju 1' and source 'intervju 2' have the same GUID {SOURCE}" in (
        done.stderr
    )


def test_codes_nested_thousands_deep_are_a_plain_error(tmp_path: Path) -> None:
    depth = 5000
    codes = (
        "".join(
            f'<Code guid="0000000c-0000-4000-8000-{n:012d}" name="c{n}" isCodable="true">'
            for n in range(depth)
        )
        + "</Code>" * depth
    )
    path = qdpx(tmp_path / "dyp.qdpx", project_xml(codes, text_source()), {SOURCE: "D: hei"})
    done = coder(tmp_path, "import-refi", path, "--into", tmp_path / "ny", limit=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "nested too deeply" in done.stderr


# --- no litter -----------------------------------------------------------------------------------


def big_project(path: Path, sources: int) -> Path:
    """A valid .qdpx with many small sources: an import that takes a while."""
    guids = [f"00000005-0000-4000-8000-{index:012d}" for index in range(sources)]
    xml = project_xml(sources="".join(text_source(g, f"s{i}") for i, g in enumerate(guids)))
    text = "\n\n".join(f"Intervjuer: spørsmål {n}\n\nDeltaker: svar {n}" for n in range(50))
    return qdpx(path, xml, dict.fromkeys(guids, text))


def test_an_interrupted_import_removes_its_partial_folder(tmp_path: Path) -> None:
    path = big_project(tmp_path / "stor.qdpx", 400)
    process = start_coder(
        "import-refi", path, "--into", tmp_path / "ny", cwd=tmp_path, output="separate"
    )
    # wait (without sleeping) until the import has begun writing its project
    while process.poll() is None and not any(
        (folder / "transcripts").is_dir() and any((folder / "transcripts").iterdir())
        for folder in tmp_path.glob(".*.partial")
    ):
        os.sched_yield()
    if process.poll() is not None:
        pytest.fail(f"the import ended before it could be interrupted: {process.communicate()}")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert leftovers(tmp_path) == [] and not (tmp_path / "ny").exists()


def test_a_later_run_removes_what_a_killed_import_left(tmp_path: Path) -> None:
    path = big_project(tmp_path / "stor.qdpx", 400)
    process = start_coder(
        "import-refi", path, "--into", tmp_path / "ny", cwd=tmp_path, output="discard"
    )
    while process.poll() is None and not list(tmp_path.glob(".*.partial/.import.lock")):
        os.sched_yield()  # wait until the import holds its folder's lock
    process.kill()  # SIGKILL: no cleanup can run
    process.wait(timeout=60)
    left = leftovers(tmp_path)
    assert len(left) == 1
    small = qdpx(tmp_path / "liten.qdpx", project_xml(sources=text_source()), {SOURCE: "D: hei"})
    done = coder(tmp_path, "import-refi", small, "--into", tmp_path / "liten", limit=False)
    assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == []
    assert f"removed 1 unfinished folder(s) an interrupted import left in {tmp_path}" in (
        done.stderr
    )
    assert left[0] in done.stderr
