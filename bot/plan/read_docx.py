"""Word plans: paragraphs and tables in body order; merged cells are read once per row."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table

from bot import texts

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError
from .limits import check_zip, count_word_blocks

HEADING_STYLES = ("Heading", "标题")   # the heading styles' names in English and in Chinese Word or WPS


def read_docx_plan(data: bytes, name: str) -> PlanDocument:
    # The zip's directory and the paragraphs are counted first: python-docx builds the whole tree.
    count_word_blocks(check_zip(data, name, texts.NOT_DOCX.format(name=name)), name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanReadError(texts.NOT_DOCX.format(name=name)) from exc
    except Exception as exc:  # python-docx raises bare lxml/OPC errors on damaged files
        raise PlanReadError(texts.DOCX_BROKEN.format(name=name)) from exc
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
    if style.startswith(HEADING_STYLES):
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
