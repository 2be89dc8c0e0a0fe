"""A coder project on disk: coder.toml, codebook, transcripts and the store."""

from __future__ import annotations

from coder.project.config import CONFIG_NAME, load_settings
from coder.project.discovery import find_project_root
from coder.project.init import init_project

__all__ = ["CONFIG_NAME", "find_project_root", "init_project", "load_settings"]
