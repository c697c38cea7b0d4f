"""Word plans: paragraphs and tables in body order; merged cells are read once per row."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError
from .limits import check_zip, count_word_blocks


NOT_DOCX = "{name} 不是有效的 Word 文档（.docx）。如果是旧版 .doc，请在 Word 中另存为 .docx"


def read_docx_plan(data: bytes, name: str) -> PlanDocument:
    # The zip's directory and the paragraphs are counted first: python-docx builds the whole tree.
    count_word_blocks(check_zip(data, name, NOT_DOCX.format(name=name)), name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanReadError(NOT_DOCX.format(name=name)) from exc
    except Exception as exc:  # python-docx raises bare lxml/OPC errors on damaged files
        raise PlanReadError(f"{name} 已损坏，无法作为 Word 文档读取") from exc
    rows: list = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            rows.extend(_table_rows(block, tables))
        else:
            rows.extend(_paragraph_rows(block.text, _heading_level(block)))
    return document_from_rows(name, rows)


def _paragraph_rows(text: str, level: int | None):
    # A paragraph may hold soft line breaks; each becomes its own line.
    for part in clean(text).split("\n"):
        yield part, (), None, level


def _heading_level(paragraph) -> int | None:
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith("Heading") or style.startswith("标题"):
        digits = "".join(ch for ch in style if ch.isdigit())
        return int(digits) if digits else 1
    if style == "Title":
        return 0
    return None


def _table_rows(table: Table, table_number: int):
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a horizontally merged cell repeats itself
            seen.add(id(cell._tc))
            cells.append(clean(cell.text).strip())
        if not any(cells):
            continue
        text = "\t".join(c.replace("\n", " / ") for c in cells)
        yield text, tuple(cells), table_number, None
