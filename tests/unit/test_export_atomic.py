"""Exports are written all at once or not at all, readable by their owner only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coder.errors import CoderError
from coder.export.atomic import AtomicFiles
from coder.export.writers import write_csv


def test_every_file_appears_together_and_private(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "a.columns.csv"
    with AtomicFiles() as files:
        files.path(first).write_text("one", encoding="utf-8")
        files.path(second).write_text("two", encoding="utf-8")
        assert not first.exists() and not second.exists()  # nothing visible before the end
        assert files.targets == [first, second]
    assert (
        first.read_text(encoding="utf-8") == "one" and second.read_text(encoding="utf-8") == "two"
    )
    assert first.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.columns.csv", "a.csv"]


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.csv"
    target.write_text("old\n", encoding="utf-8")

    def half_then_fail(
        frame: pd.DataFrame, path: Path, *, sep: str = ",", bom: bool = False, decimal: str = "."
    ) -> None:
        path.write_text("half a fi", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("coder.export.csv_writer.write_frame", half_then_fail)
    with (
        pytest.raises(CoderError, match=r"cannot write .*data\.csv: No space left on device"),
        AtomicFiles() as files,
    ):
        write_csv(pd.DataFrame({"a": [1]}), files.path(target))
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]


def test_any_error_discards_the_batch(tmp_path: Path) -> None:
    with pytest.raises(ValueError), AtomicFiles() as files:
        files.path(tmp_path / "x.csv").write_text("x", encoding="utf-8")
        raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_targets_are_coder_errors(tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("", encoding="utf-8")
    with AtomicFiles() as files:
        with pytest.raises(CoderError, match="is a folder"):
            files.path(tmp_path)
        with pytest.raises(CoderError, match="does not exist"):
            files.path(tmp_path / "no" / "x.csv")
        with pytest.raises(CoderError, match="does not exist"):
            files.path(a_file / "x.csv")
        files.path(tmp_path / "twice.csv")
        with pytest.raises(CoderError, match="twice"):
            files.path(tmp_path / "twice.csv")
    assert (tmp_path / "twice.csv").exists()
