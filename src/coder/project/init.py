"""``coder init``: create a new, empty project without touching an existing one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coder.codebook import load_codebook
from coder.domain.language import check_language
from coder.errors import CoderError
from coder.project.config import CONFIG_NAME
from coder.project.resources import bundled_codebook

TEMPLATE = """\
# coder project settings. Paths are relative to this folder.
[project]
name = {name}
language = "{language}"          # transcript language: nb, nn, da, sv, de, en, ... (spaCy's)
codebook = "{codebook}"
transcripts = "transcripts"

[speakers]
# Labels at line start that begin a turn, as regular expressions matched whole and
# case-insensitively ("P\\\\d*" matches P, P1, P23). Add participants' names to `participant`.
interviewer = ["I", "Int", "Intervjuer", "Interviewer", "Moderator"]
participant = ["D", "Deltaker", "Deltakar", "Participant", "P\\\\d*", "R\\\\d*",
               "Respondent", "Informant", "Ungdom", "Interviewee"]

[segmentation]
max_chars = 1500            # longer turns are split at paragraphs, then lines, then sentences
code_interviewer = false    # interviewer turns are shown as context, not offered for coding

[coding]
suggestions = true          # suggest codes (learned from your own codings only)

[keymap]
# Remap TUI keys by binding id (press ? in the app for the ids), e.g. "coding.next" = "j,down"
"""


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def init_project(folder: Path, *, codebook: Path | None = None, language: str = "nb") -> Path:
    """Create a project in ``folder``; refuse if one is there already. Returns coder.toml."""
    try:
        check_language(language)
    except ValueError as exc:
        raise CoderError(f"--language: {exc}") from None
    folder = folder.expanduser()
    config = folder / CONFIG_NAME
    if config.exists():
        raise CoderError(f"{config}: a project exists here already; nothing was changed")
    if folder.exists() and not folder.is_dir():
        raise CoderError(f"{folder}: exists and is not a folder")
    source = codebook or bundled_codebook()
    load_codebook(source)  # refuse a broken codebook before anything is written
    target = Path("codebooks") / source.name
    if (folder / target).exists():
        raise CoderError(f"{folder / target}: exists already; nothing was changed")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "codebooks").mkdir(exist_ok=True)
    (folder / "transcripts").mkdir(exist_ok=True)
    shutil.copyfile(source, folder / target)
    name = folder.resolve().name or "coder project"
    text = TEMPLATE.format(name=_toml_string(name), language=language, codebook=target.as_posix())
    temporary = config.with_suffix(".toml.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, config)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# the project database holds interview text: keep it out of git\n.coder/\n",
            encoding="utf-8",
        )
    return config
