"""The fast CSV writer writes exactly what ``DataFrame.to_csv`` writes, and the csv module reads it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.errors import CoderError
from coder.export import csv_writer
from coder.export.csv_writer import csv_lines, write_frame
from coder.export.writers import check_separator, write_csv

text = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("ab æøåÆØÅ,;\"\n\r\t'-«»–")), max_size=12),
)
"""Text cells; a carriage return inside a field is quoted (to_csv on Python 3.11 leaves it bare,
which the csv module's own reader then takes for a line end)."""
ints = st.integers(-(2**40), 2**40)


@st.composite
def frames(draw: st.DrawFn, carriage_returns: bool = True) -> pd.DataFrame:
    """Frames with object text (with None), int64, nullable Int64, float and bool columns."""
    rows = draw(st.integers(0, 12))
    kinds = draw(
        st.lists(
            st.sampled_from(["text", "int", "Int64", "float", "Float64", "bool"]),
            min_size=1,
            max_size=6,
        )
    )
    columns: dict[str, object] = {}
    for index, kind in enumerate(kinds):
        name = draw(
            st.sampled_from([f"c{index}", f"kolonne;{index}", f'k "{index}"', f"ø,{index}"])
        )
        if kind == "text":
            values = draw(st.lists(text, min_size=rows, max_size=rows))
            if not carriage_returns:
                values = [v.replace("\r", "") if v is not None else v for v in values]
            columns[name] = pd.Series(values, dtype=object)
        elif kind == "int":
            columns[name] = pd.Series(
                draw(st.lists(ints, min_size=rows, max_size=rows)), dtype="int64"
            )
        elif kind == "Int64":
            values = draw(st.lists(st.one_of(st.none(), ints), min_size=rows, max_size=rows))
            columns[name] = pd.array(values, dtype="Int64")
        elif kind == "float":
            values = draw(
                st.lists(
                    st.one_of(st.just(np.nan), st.floats(-1e9, 1e9, allow_nan=False)),
                    min_size=rows,
                    max_size=rows,
                )
            )
            columns[name] = pd.Series(values, dtype="float64")
        else:
            columns[name] = pd.Series(
                draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), dtype=bool
            )
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None)
@given(frames(carriage_returns=False), st.sampled_from([",", ";", "\t"]))
def test_same_text_as_to_csv(frame: pd.DataFrame, sep: str) -> None:
    expected = frame.to_csv(sep=sep, index=False, lineterminator="\n")
    assert "".join(csv_lines(frame, sep)) == expected


@settings(max_examples=100, deadline=None)
@given(frames())
def test_the_csv_module_reads_back_every_value(frame: pd.DataFrame) -> None:
    rows = list(csv.reader(io.StringIO("".join(csv_lines(frame, ";")), newline=""), delimiter=";"))
    assert rows[0] == [str(c) for c in frame.columns]
    assert len(rows) == len(frame) + 1
    for index in range(frame.shape[1]):
        cells = frame.iloc[:, index].tolist()
        for value, cell in zip([row[index] for row in rows[1:]], cells, strict=True):
            if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
                assert value == ""
            elif isinstance(cell, str):
                assert value == cell
            else:
                assert value == str(cell)


def test_a_carriage_return_is_quoted() -> None:
    frame = pd.DataFrame({"a": pd.Series(["x\ry", "z"], dtype=object), "b": [1, 2]})
    text = "".join(csv_lines(frame))
    assert text == 'a,b\n"x\ry",1\nz,2\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ["x\ry", "1"],
        ["z", "2"],
    ]


def test_chunks_join_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_writer, "CHUNK_ROWS", 3)
    frame = pd.DataFrame({"a": range(10), "b": [f"t{n % 4}, «x»" for n in range(10)]})
    assert "".join(csv_lines(frame)) == frame.to_csv(index=False, lineterminator="\n")


def test_a_lone_empty_field_is_quoted_as_the_csv_module_does() -> None:
    frame = pd.DataFrame({"a": pd.Series(["", None, "x"], dtype=object)})
    assert "".join(csv_lines(frame)) == frame.to_csv(index=False, lineterminator="\n")


def test_bom_and_norwegian_letters_on_disk(tmp_path: Path) -> None:
    frame = pd.DataFrame({"fylke": pd.Series(["Tromsø", "Bærum", "Åsnes"], dtype=object)})
    path = tmp_path / "x.csv"
    write_frame(frame, path, sep=";", bom=True)
    assert path.read_bytes() == "\ufefffylke\nTromsø\nBærum\nÅsnes\n".encode()
    write_frame(frame, path)
    assert path.read_bytes() == "fylke\nTromsø\nBærum\nÅsnes\n".encode()


def test_separators() -> None:
    assert check_separator(";") == ";" and check_separator("tab") == "\t"
    for bad in ("", "::", '"', "\n"):
        with pytest.raises(CoderError, match="--sep"):
            check_separator(bad)
    with pytest.raises(CoderError):
        write_csv(pd.DataFrame({"a": [1]}), Path("unused.csv"), sep="ab")
