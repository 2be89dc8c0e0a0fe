"""A codebook edit that orphans codings is refused, at start and by `coder codebook check`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coder.errors import CoderError
from coder.project.project import Project
from coder.store.operations import apply_code

Cli = Callable[..., tuple[int, str, str]]
CODE = "risk.ses"


def delete_code(root: Path, code_id: str) -> None:
    """Remove one code's block from the project's codebook YAML."""
    path = root / "codebooks" / "relational-robustness.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {code_id}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- id: "))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def test_deleted_code_with_codings_is_refused(
    small_project: Path, excerpt_ids: Callable[..., list[int]], coder_cli: Cli
) -> None:
    with Project.open(small_project) as project:
        ids = excerpt_ids(project)
        for excerpt in ids[:3]:
            apply_code(project, "ada", excerpt, CODE)
        apply_code(project, "bo", ids[0], CODE)
    delete_code(small_project, CODE)
    with pytest.raises(CoderError) as refused:
        Project.open(small_project)
    message = str(refused.value)
    assert "risk.ses: 4 codings by ada, bo in intervju" in message
    assert "Nothing was changed" in message

    code, out, err = coder_cli("--project", small_project, "codebook", "check")
    assert code == 1
    assert "risk.ses: 4 codings by ada, bo in intervju" in err
    code, out, err = coder_cli("--project", small_project, "status")
    assert code == 1 and "risk.ses" in err and "Traceback" not in err


def test_deleted_unused_code_is_fine(small_project: Path, coder_cli: Cli) -> None:
    delete_code(small_project, CODE)
    with Project.open(small_project):
        pass
    code, out, err = coder_cli("--project", small_project, "codebook", "check")
    assert code == 0, err
