"""Codebook YAML <-> domain, with validation that names file, line and field."""

from __future__ import annotations

from coder.codebook.loader import load_codebook, parse_codebook

__all__ = ["load_codebook", "parse_codebook"]
