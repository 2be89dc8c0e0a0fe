"""The streamed long CSV is byte for byte what writing the whole long table writes.

``coder export long`` writes batch by batch of transcripts (``coder.export.long_csv``) instead
of building the whole table; the reference is the table built in one piece and written by the
general frame writer, for every separator, with and without a byte-order mark, for different
coder selections and for batches down to one excerpt (so every batch boundary is crossed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.export.coder_selection import CoderSelection
from coder.export.csv_writer import write_frame
from coder.export.formats import ExportOptions, export
from coder.export.long import long_parts, long_table
from coder.export.long_csv import write_long_csv
from coder.project.project import Project
from coder.store.frames import StoreFrames
from support.export_project import make_export_project


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_export_project(tmp_path_factory.mktemp("stream") / "p")


def reference(
    project: Project, selection: CoderSelection, path: Path, **kwargs: object
) -> tuple[bytes, int]:
    table = long_table(project, selection, project.codebook.language)
    write_frame(table.frame, path, **kwargs)  # type: ignore[arg-type]
    return path.read_bytes(), len(table.frame)


@pytest.mark.parametrize("batch", [1, 2, 5, 20_000])
@pytest.mark.parametrize(
    ("sep", "bom", "decimal"), [(",", False, "."), (";", True, ","), ("\t", False, ".")]
)
def test_stream_equals_the_whole_table_written_at_once(
    folder: Path, tmp_path: Path, batch: int, sep: str, bom: bool, decimal: str
) -> None:
    with Project.open(folder) as project:
        for selection in (
            CoderSelection(),
            CoderSelection(("bjørn",)),
            CoderSelection(everyone=True),
        ):
            expected, count = reference(
                project, selection, tmp_path / "ref.csv", sep=sep, bom=bom, decimal=decimal
            )
            streamed = tmp_path / "stream.csv"
            _, rows = write_long_csv(
                project,
                selection,
                project.codebook.language,
                streamed,
                sep=sep,
                bom=bom,
                decimal=decimal,
                batch_excerpts=batch,
            )
            assert streamed.read_bytes() == expected
            assert rows == count > 0
        assert "«sitat»" in expected.decode("utf-8-sig")  # the memo with quotes is there


def test_the_export_command_streams_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    with Project.open(folder) as project:
        result = export(project, "long", tmp_path / "long.csv", ExportOptions(sep=";"))
        expected, _ = reference(project, CoderSelection(), tmp_path / "ref.csv", sep=";")
        table = long_table(project, CoderSelection(), project.codebook.language)
    assert (tmp_path / "long.csv").read_bytes() == expected
    assert result.rows == len(table.frame) > 0
    assert result.columns == len(table.columns)
    assert result.description == table.description


def test_parts_are_batches_of_transcripts(folder: Path) -> None:
    with Project.open(folder) as project, StoreFrames(project) as frames:
        chosen = CoderSelection().resolve(frames.coders())
        parts = list(long_parts(frames, chosen, batch_excerpts=1))
        whole = list(long_parts(frames, chosen))
    assert len(whole) == 1
    assert len(parts) == len({*parts[0].table["transcript"], *parts[-1].table["transcript"]})
    assert len(parts) > 1
    assert sum(part.rows for part in parts) == whole[0].rows
    for part in parts:  # one batch holds one transcript's excerpts (each has more than one)
        assert part.table["transcript"].nunique() == 1
