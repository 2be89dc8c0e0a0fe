"""Transcript import: read files (.txt .md .docx .odt .vtt .srt) and cut them into excerpts.

``read_source`` turns a file into a normalised ``SourceText`` (NFC, ``\\n`` line ends, offsets in
code points); ``segment`` cuts it into ``ExcerptDraft`` ranges, one per speaker turn, long turns
split at paragraph breaks, then line breaks, then sentence ends. ``decode`` and ``normalise``
are usable on their own.
"""

from __future__ import annotations

from coder.ingest.decoding import decode, normalise
from coder.ingest.segmentation import Segmentation, segment
from coder.ingest.source_text import SUPPORTED_SUFFIXES, SourceText, read_source
from coder.ingest.subtitles import Cue

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Cue",
    "Segmentation",
    "SourceText",
    "decode",
    "normalise",
    "read_source",
    "segment",
]
