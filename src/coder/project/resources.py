"""Files shipped with coder: the demo project and the review's codebook."""

from __future__ import annotations

from pathlib import Path

from coder.errors import CoderError

DEMO_CODEBOOK = "codebooks/relational-robustness.yaml"


def demo_source() -> Path:
    """The bundled demo project: inside the wheel, or the repository root in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    candidates = (package / "_demo", package.parent.parent)
    for candidate in candidates:
        if (candidate / "coder.toml").is_file() and (candidate / DEMO_CODEBOOK).is_file():
            return candidate
    raise CoderError(
        "the bundled demo project is missing from this installation; "
        "reinstall coder with `pip install .`"
    )


def bundled_codebook() -> Path:
    """The review's codebook, ``relational-robustness.yaml``."""
    return demo_source() / DEMO_CODEBOOK
