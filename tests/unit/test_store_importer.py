"""Importing transcripts into the store: idempotence, refusals, --replace, batches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.errors import CoderError, ImportFailedError
from coder.project.project import Project
from coder.store import operations as ops
from coder.store.importer import expand_paths, import_transcript, import_transcripts
from coder.store.queries import (
    find_codings,
    find_memos,
    list_transcripts,
    load_excerpts,
    reviewed_excerpts,
    transcript_text,
)
from coder.store.schema import events

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

CODE = "risk.psychosocial.loneliness"
OTHER = "risk.psychosocial.bullying"


def snapshot(project: Project) -> tuple[object, ...]:
    """Everything an import can touch."""
    with project.store.engine.connect() as conn:
        event_count = len(conn.execute(select(events.c.id)).all())
    return (
        list_transcripts(project),
        [(t.id, transcript_text(project, t.id)) for t in list_transcripts(project)],
        [load_excerpts(project, t.id) for t in list_transcripts(project)],
        find_codings(project),
        event_count,
    )


def test_import_stores_text_and_excerpts_in_order(project: Project, interview: str) -> None:
    excerpts = load_excerpts(project, "intervju")
    assert [e.seq for e in excerpts] == [1, 2, 3, 4, 5, 6]
    assert [e.speaker for e in excerpts] == ["Intervjuer", "Deltaker"] * 3
    assert [e.codable for e in excerpts] == [False, True] * 3
    assert excerpts[1].text.startswith("Jeg følte meg ensom på skolen")
    assert transcript_text(project, "intervju") == interview.rstrip("\n")
    [info] = list_transcripts(project)
    assert (info.id, info.case_id, info.excerpts, info.codable) == ("intervju", "intervju", 6, 3)


def test_importing_the_same_file_twice_is_a_no_op(project: Project) -> None:
    before = snapshot(project)
    result = import_transcript(project, project.root / "transcripts" / "intervju.txt")
    assert (result.action, result.transcript_id, result.excerpts) == ("unchanged", "intervju", 6)
    assert snapshot(project) == before


def test_a_changed_file_is_refused_without_replace(
    project: Project, write_transcript: Callable[..., Path], interview: str
) -> None:
    before = snapshot(project)
    path = write_transcript(project.root, "intervju.txt", interview + "\nDeltaker: Noe nytt.\n")
    with pytest.raises(ImportFailedError, match="--replace") as caught:
        import_transcript(project, path)
    assert str(path) in str(caught.value)
    assert snapshot(project) == before


def test_replace_keeps_the_work_on_unchanged_excerpts_and_reports_the_rest(
    project: Project,
    excerpt_ids: Callable[..., list[int]],
    write_transcript: Callable[..., Path],
    interview: str,
) -> None:
    ids = excerpt_ids(project)
    before = load_excerpts(project, "intervju")
    word = before[5].text.index("veilederen")
    span = (before[5].start + word, before[5].start + word + len("veilederen"))
    ops.apply_code(project, "kari", ids[1], CODE)  # excerpt 2 will change
    ops.apply_code(project, "kari", ids[3], OTHER)  # excerpt 4 stays
    ops.apply_code(project, "ola", ids[5], CODE, span=span)  # excerpt 6 stays, moves
    ops.mark_reviewed(project, "kari", ids[3])
    ops.add_memo(project, "kari", "Notat på 4", excerpt_id=ids[3])
    ops.add_memo(project, "ola", "Notat på 2", excerpt_id=ids[1])
    changed = interview.replace(
        "Jeg følte meg ensom på skolen.", "Jeg følte meg veldig ensom på den skolen, altså."
    )
    result = import_transcript(
        project, write_transcript(project.root, "intervju.txt", changed), replace=True
    )
    assert result.action == "replaced"
    assert result.kept_codings == 2
    assert result.dropped == (
        "intervju:2 (risk.psychosocial.loneliness, kari)",
        "intervju:2 (memo by ola)",
    )
    after = load_excerpts(project, "intervju")
    assert [e.seq for e in after] == [1, 2, 3, 4, 5, 6]
    # unchanged excerpts keep their ids, codings, reviewed marks and memos
    assert [e.id for e in after][2:] == ids[2:]
    assert {(r.seq, r.code_id, r.coder) for r in find_codings(project)} == {
        (4, OTHER, "kari"),
        (6, CODE, "ola"),
    }
    assert reviewed_excerpts(project, "kari") == {ids[3]}
    assert [m["text"] for m in find_memos(project)] == ["Notat på 4"]
    # a span still covers the same words, though the text before it grew
    [moved] = find_codings(project, coder="ola")
    assert moved.span is not None and moved.span != span
    assert transcript_text(project, "intervju")[moved.span[0] : moved.span[1]] == "veilederen"


def test_a_batch_with_a_bad_file_imports_nothing(
    new_project: Path, write_transcript: Callable[..., Path]
) -> None:
    good = write_transcript(new_project, "god.txt", "Deltaker: Hei på deg.\n")
    bad = new_project / "transcripts" / "tom.txt"
    bad.write_bytes(b"")
    with Project.open(new_project) as project:
        with pytest.raises(ImportFailedError) as caught:
            import_transcripts(project, [good, bad])
        assert str(bad) in str(caught.value) and "empty" in str(caught.value)
        assert "Nothing was imported" in str(caught.value)
        assert list_transcripts(project) == []


def test_a_batch_with_a_changed_file_imports_nothing(
    project: Project, write_transcript: Callable[..., Path], interview: str
) -> None:
    new = write_transcript(project.root, "ny.txt", "Deltaker: Helt ny.\n")
    changed = write_transcript(project.root, "intervju.txt", interview + "\nDeltaker: Mer.\n")
    before = snapshot(project)
    with pytest.raises(ImportFailedError, match="--replace"):
        import_transcripts(project, [new, changed])
    assert snapshot(project) == before


def test_two_files_with_one_id_are_refused_naming_both(
    new_project: Path, write_transcript: Callable[..., Path]
) -> None:
    first = write_transcript(new_project, "ung01.txt", "Deltaker: Tekstfil.\n")
    second = write_transcript(new_project, "ung01.md", "Deltaker: Markdown.\n")
    with Project.open(new_project) as project:
        with pytest.raises(ImportFailedError) as caught:
            import_transcripts(project, [first, second])
        assert str(first) in str(caught.value) and str(second) in str(caught.value)
        assert list_transcripts(project) == []


def test_ids_and_cases(new_project: Path, write_transcript: Callable[..., Path]) -> None:
    path = write_transcript(new_project, "opptak 3.txt", "Deltaker: Hei.\n")
    with Project.open(new_project) as project:
        result = import_transcript(project, path, transcript_id="ung03b", case_id="ung03")
        assert result.transcript_id == "ung03b"
        [info] = list_transcripts(project)
        assert (info.id, info.case_id) == ("ung03b", "ung03")
        with pytest.raises(CoderError, match="one file"):
            import_transcripts(project, [path, path], transcript_id="x")
        with pytest.raises(ImportFailedError, match="invalid transcript id"):
            import_transcript(project, path, transcript_id="a/b")


def test_expand_paths_takes_files_folders_and_globs(
    new_project: Path, write_transcript: Callable[..., Path]
) -> None:
    from coder.ingest import SUPPORTED_SUFFIXES

    a = write_transcript(new_project, "a.txt", "Deltaker: a\n")
    b = write_transcript(new_project, "sub/b.md", "Deltaker: b\n")
    (new_project / "transcripts" / "notes.pdf").write_bytes(b"%PDF")
    folder = new_project / "transcripts"
    assert expand_paths([str(folder)], SUPPORTED_SUFFIXES) == [a.resolve(), b.resolve()]
    assert expand_paths([str(folder / "*.txt")], SUPPORTED_SUFFIXES) == [a.resolve()]
    assert expand_paths([str(a), str(folder / "**" / "*.md"), str(a)], SUPPORTED_SUFFIXES) == [
        a.resolve(),
        b.resolve(),
    ]
    with pytest.raises(ImportFailedError, match="no files match"):
        expand_paths([str(folder / "*.docx")], SUPPORTED_SUFFIXES)
    with pytest.raises(ImportFailedError, match="no such file"):
        expand_paths([str(folder / "mangler.txt")], SUPPORTED_SUFFIXES)


def test_replace_without_a_case_keeps_the_transcripts_case(
    new_project: Path, write_transcript: Callable[..., Path]
) -> None:
    path = write_transcript(new_project, "del1.txt", "Deltaker: Første del.\n")
    with Project.open(new_project) as project:
        import_transcript(project, path, case_id="ung05")
        write_transcript(new_project, "del1.txt", "Deltaker: Første del, rettet.\n")
        import_transcript(project, path, replace=True)
        [info] = list_transcripts(project)
        assert info.case_id == "ung05"
        write_transcript(new_project, "del1.txt", "Deltaker: Første del, rettet igjen.\n")
        import_transcript(project, path, replace=True, case_id="ung06")
        assert list_transcripts(project)[0].case_id == "ung06"
