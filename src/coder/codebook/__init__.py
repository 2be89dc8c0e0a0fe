"""Codebook YAML <-> domain, with validation that names file, line and field; round-trip
editing that keeps comments (``CodebookDocument``, ``CodebookFile``); ``diff`` of two versions."""

from __future__ import annotations

from coder.codebook.codebook_diff import CodebookDiff, diff
from coder.codebook.loader import load_codebook, parse_codebook

__all__ = ["CodebookDiff", "diff", "load_codebook", "parse_codebook"]
