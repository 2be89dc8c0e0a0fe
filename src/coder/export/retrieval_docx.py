"""``write_docx``: a retrieval as a Word document (python-docx) for writing up.

The same layout as the Markdown: a title and what was searched, a heading per transcript, per
segment a heading (excerpt, speaker, coder, case, rating), its codes, the context before and
after in grey italics, and the segment itself with its coded spans in bold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coder.domain.codebook import Codebook
    from coder.export.retrieval import Retrieval
    from coder.store.retrieval_reads import Neighbour

GREY = (0x59, 0x59, 0x59)
"""Colour of the context paragraphs."""


def write_docx(retrieval: Retrieval, book: Codebook, language: str, path: Path) -> None:
    """Write ``retrieval`` to ``path`` as .docx."""
    import docx
    from docx.shared import Pt, RGBColor

    from coder.export.retrieval_writers import code_labels, segment_heading, summary, text_pieces

    document = docx.Document()
    document.core_properties.title = f"Retrieval: {retrieval.query.text}"
    document.add_heading(f"Retrieval: {retrieval.query.text}", level=1)
    for line in summary(retrieval, book, language):
        document.add_paragraph(line)

    def context(neighbour: Neighbour) -> None:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(f"{neighbour.speaker or '—'}: {' '.join(neighbour.text.split())}")
        run.italic = True
        run.font.color.rgb = RGBColor(*GREY)
        run.font.size = Pt(9)

    current = None
    for segment in retrieval.segments:
        if segment.transcript_id != current:
            current = segment.transcript_id
            document.add_heading(current, level=2)
        document.add_heading(segment_heading(retrieval, segment, book, language), level=3)
        codes = document.add_paragraph()
        codes.add_run("Codes: ").bold = True
        codes.add_run(code_labels(book, segment.codes, language))
        for neighbour in segment.before:
            context(neighbour)
        body = document.add_paragraph(style="Quote")
        for text, inside in text_pieces(segment):
            body.add_run(text).bold = inside
        for neighbour in segment.after:
            context(neighbour)
    document.save(str(path))
