"""Writing a ``Retrieval`` out: CSV for analysis, Markdown or .docx for writing up.

``retrieval_frame`` owns the CSV columns (one row per segment: where it is, who coded it, the
case's rating, its codes, coded spans, the text and its context); ``retrieval_markdown`` and
``write_docx`` lay the same segments out for reading, transcript by transcript, the context
in italics around each segment, coded spans in bold. ``save_retrieval`` picks the writer from
``FORMATS`` and writes atomically (nothing half-written on failure).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from coder.errors import CoderError

if TYPE_CHECKING:
    import pandas as pd

    from coder.domain.codebook import Codebook
    from coder.export.retrieval import Retrieval, Segment
    from coder.store.retrieval_reads import Neighbour

FORMATS: Mapping[str, str] = MappingProxyType({"csv": ".csv", "md": ".md", "docx": ".docx"})
"""Retrieval formats and the suffix each file must have."""

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~])")


def code_labels(book: Codebook, codes: tuple[str, ...], language: str) -> str:
    return "; ".join(book.code(code).label_in(language) for code in codes)


def _rating(book: Codebook, retrieval: Retrieval, segment: Segment, language: str) -> str:
    if retrieval.attribute is None or segment.rating is None:
        return ""
    level = book.attribute(retrieval.attribute).level(segment.rating)
    return level.label_in(language) if level else segment.rating


def _context(neighbours: tuple[Neighbour, ...]) -> str:
    return "\n".join(f"{n.speaker or '—'}: {n.text}" for n in neighbours)


def text_pieces(segment: Segment) -> list[tuple[str, bool]]:
    """The segment's text cut at its coded spans: (text, inside a span)."""
    marks = [False] * len(segment.text)
    for _, start, end in segment.spans:
        for index in range(max(0, start), min(len(marks), end)):
            marks[index] = True
    pieces: list[tuple[str, bool]] = []
    for char, inside in zip(segment.text, marks, strict=True):
        if pieces and pieces[-1][1] == inside:
            pieces[-1] = (pieces[-1][0] + char, inside)
        else:
            pieces.append((char, inside))
    return pieces


def retrieval_frame(retrieval: Retrieval, book: Codebook, language: str) -> pd.DataFrame:
    """One row per segment, the columns every CSV retrieval has."""
    import pandas as pd

    attribute = retrieval.attribute or "rating"
    rows = []
    for segment in retrieval.segments:
        spans = [f"{code}: {segment.text[start:end]}" for code, start, end in segment.spans]
        rows.append(
            {
                "transcript": segment.transcript_id,
                "case": segment.case_id or "",
                "excerpt": segment.seq,
                "speaker": segment.speaker or "",
                "coder": segment.coder,
                attribute: segment.rating or "",
                f"{attribute}_label": _rating(book, retrieval, segment, language),
                f"{attribute}_source": segment.rating_source or "",
                "codes": "; ".join(segment.codes),
                "code_labels": code_labels(book, segment.codes, language),
                "matched": "; ".join(segment.matched),
                "coded_spans": " | ".join(spans),
                "text": segment.text,
                "context_before": _context(segment.before),
                "context_after": _context(segment.after),
            }
        )
    columns = list(rows[0]) if rows else None
    if columns is None:
        columns = ["transcript", "case", "excerpt", "speaker", "coder", attribute]
        columns += [f"{attribute}_label", f"{attribute}_source", "codes", "code_labels"]
        columns += ["matched", "coded_spans", "text", "context_before", "context_after"]
    return pd.DataFrame(rows, columns=columns)


def escape_markdown(text: str) -> str:
    """Interview text as literal Markdown (``*``, ``_``, ``#`` and the like escaped)."""
    return _MARKDOWN.sub(r"\\\1", text)


def summary(retrieval: Retrieval, book: Codebook, language: str) -> list[str]:
    """Lines saying what was searched and found (the head of a document)."""
    codes = ", ".join(
        f"{book.code(c).label_in(language)} ({c})" for c in sorted(retrieval.query.codes)
    )
    transcripts = len({segment.transcript_id for segment in retrieval.segments})
    lines = [
        f"Codes: {codes}.",
        f"Whose codings: {retrieval.whose}; {retrieval.units} units searched (an excerpt as "
        f"one coder coded it); {len(retrieval.segments)} segments in {transcripts} transcripts.",
    ]
    if retrieval.attribute is not None:
        label = book.attribute(retrieval.attribute).label_in(language)
        lines.append(
            f"{label}: the case's value in cases.csv, else the consensus rating, else the "
            "coder's own rating (blind coders: cases.csv or their own)."
        )
    if retrieval.filters:
        lines.append("Only: " + ", ".join(f"{k} = {v}" for k, v in retrieval.filters.items()) + ".")
    return lines


def segment_heading(retrieval: Retrieval, segment: Segment, book: Codebook, language: str) -> str:
    """``Excerpt 5 · Deltaker · coder ada · case ung01 · Robustness: Vaklende (cases)``."""
    parts = [f"Excerpt {segment.seq}", segment.speaker or "—", f"coder {segment.coder}"]
    if segment.case_id:
        parts.append(f"case {segment.case_id}")
    rating = _rating(book, retrieval, segment, language)
    if retrieval.attribute is not None:
        label = book.attribute(retrieval.attribute).label_in(language)
        source = f" ({segment.rating_source})" if segment.rating_source else ""
        parts.append(f"{label}: {rating or 'not rated'}{source}")
    return " · ".join(parts)


def retrieval_markdown(retrieval: Retrieval, book: Codebook, language: str) -> str:
    """The segments as a Markdown document for writing up."""
    out = [f"# Retrieval: {escape_markdown(retrieval.query.text)}", ""]
    out += [escape_markdown(line) for line in summary(retrieval, book, language)]
    current = None
    for segment in retrieval.segments:
        if segment.transcript_id != current:
            current = segment.transcript_id
            out += ["", f"## {escape_markdown(current)}"]
        heading = segment_heading(retrieval, segment, book, language)
        out += ["", f"### {escape_markdown(heading)}", ""]
        out.append(f"Codes: {escape_markdown(code_labels(book, segment.codes, language))}")
        for neighbour in segment.before:
            out += ["", f"*{escape_markdown(neighbour.speaker or '—')}: {_italic(neighbour.text)}*"]
        body = "".join(
            f"**{escape_markdown(text)}**" if inside and text.strip() else escape_markdown(text)
            for text, inside in text_pieces(segment)
        )
        out += [""] + [f"> {line}" if line else ">" for line in body.split("\n")]
        for neighbour in segment.after:
            out += ["", f"*{escape_markdown(neighbour.speaker or '—')}: {_italic(neighbour.text)}*"]
    return "\n".join(out) + "\n"


def _italic(text: str) -> str:
    return " ".join(escape_markdown(text).split())


def save_retrieval(
    retrieval: Retrieval,
    book: Codebook,
    path: Path,
    fmt: str | None = None,
    *,
    language: str,
    sep: str = ",",
    bom: bool = False,
) -> Path:
    """Write ``retrieval`` to ``path`` as CSV, Markdown or .docx (from ``fmt`` or the suffix)."""
    from coder.export.atomic import AtomicFiles

    path = Path(path)
    chosen = fmt or next(
        (name for name, suffix in FORMATS.items() if path.suffix.lower() == suffix), None
    )
    if chosen is None or chosen not in FORMATS:
        raise CoderError(
            f"{path}: cannot tell the format; name the file .csv, .md or .docx, or give --format"
        )
    if path.suffix.lower() != FORMATS[chosen]:
        raise CoderError(
            f"--format {chosen} is written to a {FORMATS[chosen]} file, but {path} "
            f"{'ends in ' + repr(path.suffix) if path.suffix else 'has no suffix'}"
        )
    if chosen != "csv" and (sep != "," or bom):
        raise CoderError(f"--sep and --bom are for CSV, not {chosen}")
    with AtomicFiles() as files:
        target = files.path(path)
        if chosen == "csv":
            from coder.export.writers import write_csv

            write_csv(retrieval_frame(retrieval, book, language), target, sep=sep, bom=bom)
        elif chosen == "md":
            target.write_text(retrieval_markdown(retrieval, book, language), encoding="utf-8")
        else:
            from coder.export.retrieval_docx import write_docx

            write_docx(retrieval, book, language, target)
    return path
