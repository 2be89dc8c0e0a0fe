"""Word (.docx) and OpenDocument (.odt) documents as plain text, one line per paragraph.

Tables are read row by row, and a table nested in a table cell is read inside that cell. A
file that cannot be read is refused with a message in plain words (what is wrong with the file
and what to do), never the name of a library's exception.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import TYPE_CHECKING, Any

from coder.domain.limits import Limits
from coder.errors import ImportFailedError
from coder.ingest.office_problem import office_problem

if TYPE_CHECKING:
    from docx.table import Table, _Cell

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_PARAGRAPHS = frozenset({f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"})
_SKIPPED = frozenset(
    {
        f"{{{_TEXT_NS}}}note",
        f"{{{_TEXT_NS}}}tracked-changes",
        f"{{{_OFFICE_NS}}}annotation",
    }
)
"""Elements whose text is not part of the running text (notes, deletions, comments)."""
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_PARSED = (".xml", ".rels")
"""Zip parts an office reader parses as XML (python-docx parses every one of them)."""
_MAX_SPACES = 1000
"""Cap on one ``text:s`` run, so a hostile file cannot ask for gigabytes of spaces."""


def read_docx(data: bytes, *, name: str, limits: Limits | None = None) -> str:
    """Paragraphs (and table rows, cells separated by tabs) of a .docx, blank-line separated."""
    import docx
    from docx.table import Table

    check_sizes(data, name=name, limits=limits or Limits(), kind="Word .docx")
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_rows(block, 0))
            else:
                lines.append(block.text)
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise ImportFailedError(f"{name}: {office_problem(exc, 'Word .docx')}") from exc
    return as_paragraphs(lines)


def as_paragraphs(lines: list[str]) -> str:
    """Word processors' paragraphs as blank-line separated text (empty paragraphs dropped).

    A paragraph in a .docx or .odt is a paragraph break, like a blank line in a .txt file, so
    long turns can be split and unlabelled files cut per paragraph.
    """
    return "\n\n".join(line for line in lines if line.strip())


_MAX_TABLE_DEPTH = 20
"""Tables nested deeper than this in table cells are refused: no word processor writes them."""


def _table_rows(table: Table, depth: int) -> list[str]:
    """Each table row as a paragraph: two columns read as ``speaker: text``, else tab-separated."""
    if depth > _MAX_TABLE_DEPTH:
        raise ValueError(f"tables are nested more than {_MAX_TABLE_DEPTH} deep in table cells")
    rows: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(_cell_text(cell, depth))
        label = cells[0].strip() if len(cells) == 2 and depth == 0 else ""
        if label and len(label) <= 40 and ":" not in label and "\n" not in label:
            rows.append(f"{label}: {cells[1].strip()}")  # a speaker | text transcript table
        else:
            rows.append("\t".join(cells))
    return rows


def _cell_text(cell: _Cell, depth: int) -> str:
    """A cell's paragraphs and the rows of tables nested in it, one per line, in order.

    Nested rows are always tab-separated: only a top-level two-column table is a transcript.
    """
    from docx.table import Table

    lines: list[str] = []
    after_table = False
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block, depth + 1))
            after_table = True
        else:
            if block.text or not after_table:  # Word ends a cell's table with an empty paragraph
                lines.append(block.text)
            after_table = False
    return "\n".join(lines)


def check_sizes(data: bytes, *, name: str, limits: Limits, kind: str) -> None:
    """Refuse an office zip whose parts would inflate beyond the limits, before any is read.

    Sizes are the ones the zip declares; Python's zipfile stops reading an entry at its
    declared size (a lying header gives a CRC error), so they bound what parsing can take.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return  # not a zip: the reader itself says so, in its own words
    limits.check("document_mb", sum(info.file_size for info in infos), f"{name}: the {kind}")
    xml = sum(info.file_size for info in infos if info.filename.lower().endswith(_PARSED))
    limits.check("document_xml_mb", xml, f"{name}: the XML of the {kind}")


def read_odt(data: bytes, *, name: str, limits: Limits | None = None) -> str:
    """Paragraphs and headings of an .odt's body, in document order, blank-line separated."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    check_sizes(data, name=name, limits=limits or Limits(), kind="OpenDocument .odt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = archive.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, zlib.error) as exc:
        raise ImportFailedError(f"{name}: {office_problem(exc, 'OpenDocument .odt')}") from exc
    try:
        root = fromstring(content)
        body = root.find(f"{{{_OFFICE_NS}}}body")
        if body is None:
            raise ImportFailedError(f"{name}: the .odt has no document body")
        lines: list[str] = []
        _collect_paragraphs(body, lines)
    except (ParseError, DefusedXmlException) as exc:
        raise ImportFailedError(f"{name}: {office_problem(exc, 'OpenDocument .odt')}") from exc
    except RecursionError:
        raise ImportFailedError(
            f"{name}: content.xml of the .odt nests elements too deeply (about a thousand "
            "levels or more), which no word processor writes; re-save it from the word processor"
        ) from None
    return as_paragraphs(lines)


def _collect_paragraphs(element: Any, lines: list[str]) -> None:
    """Append the text of every paragraph and heading under ``element``, in document order."""
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag in _PARAGRAPHS:
            lines.append(_paragraph_text(child))
        else:
            _collect_paragraphs(child, lines)


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text with ODF white-space rules: runs of XML white space become one space,
    ``text:s``, ``text:tab`` and ``text:line-break`` are kept literally."""
    pieces: list[tuple[str, bool]] = []
    _inline(paragraph, pieces)
    out: list[str] = []
    after_space = True  # leading white space of a paragraph is dropped
    for piece, literal in pieces:
        if literal:
            out.append(piece)
            after_space = piece.endswith((" ", "\t", "\n"))
            continue
        collapsed = _XML_SPACE.sub(" ", piece)
        if after_space:
            collapsed = collapsed.lstrip(" ")
        if collapsed:
            out.append(collapsed)
            after_space = collapsed.endswith(" ")
    return "".join(out)


def _inline(element: Any, pieces: list[tuple[str, bool]]) -> None:
    """Collect ``(text, literal)`` pieces of an element's content, recursing into spans."""
    if element.text:
        pieces.append((element.text, False))
    for child in element:
        tag = child.tag
        if tag == f"{{{_TEXT_NS}}}s":
            count = child.get(f"{{{_TEXT_NS}}}c", "1")
            spaces = int(count) if count.isascii() and count.isdigit() else 1
            pieces.append((" " * min(max(spaces, 1), _MAX_SPACES), True))
        elif tag == f"{{{_TEXT_NS}}}tab":
            pieces.append(("\t", True))
        elif tag == f"{{{_TEXT_NS}}}line-break":
            pieces.append(("\n", True))
        elif tag not in _SKIPPED:
            _inline(child, pieces)
        if child.tail:
            pieces.append((child.tail, False))
