"""No SQL is built by formatting strings: queries are SQLAlchemy Core with bound parameters."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from coder.store.database import set_int_pragma

SRC = Path(__file__).resolve().parents[2] / "src" / "coder"
SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|CREATE|DROP|ALTER|WITH)\b")


def formatted_sql(path: Path) -> list[int]:
    """Lines of f-strings, ``%`` or ``.format`` whose text starts like a SQL statement."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            text = first.value if isinstance(first, ast.Constant) else ""
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            text = node.left.value if isinstance(node.left, ast.Constant) else ""
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
        ):
            text = node.func.value.value
        else:
            continue
        if isinstance(text, str) and SQL_START.match(text):
            lines.append(node.lineno)
    return lines


def test_no_sql_is_built_with_string_formatting() -> None:
    found = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if (lines := formatted_sql(path))
    }
    assert found == {}


def test_the_detector_sees_formatted_sql(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('t = "x"\na = f"SELECT * FROM {t}"\nb = "DELETE FROM %s" % t\n')
    assert formatted_sql(sample) == [2, 3]


def test_the_one_written_out_statement_takes_only_known_integer_pragmas() -> None:
    assert set_int_pragma("user_version", 2) == "PRAGMA user_version = 2"
    with pytest.raises(ValueError, match="not an integer pragma"):
        set_int_pragma("journal_mode", 1)
    with pytest.raises(ValueError, match="not an integer pragma"):
        set_int_pragma("busy_timeout", "1; DROP TABLE codings")  # type: ignore[arg-type]
