"""Spreadsheet plans (行事历): every sheet, row by row, merged cells filled from their top-left."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError


def read_xlsx_plan(data: bytes, name: str) -> PlanDocument:
    try:
        # Not read_only: merged-cell ranges are only known in the full model.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise PlanReadError(f"{name} 不是有效的 Excel 表格（.xlsx）。如果是旧版 .xls，请另存为 .xlsx") from exc
    except Exception as exc:
        raise PlanReadError(f"{name} 已损坏，无法作为 Excel 表格读取") from exc
    rows: list = []
    for table_number, sheet in enumerate(workbook.worksheets, start=1):
        rows.append((clean(sheet.title), (), None, 1))
        rows.extend(_sheet_rows(sheet, table_number))
    return document_from_rows(name, rows)


def _sheet_rows(sheet, table_number: int):
    # A month or week merged down a column belongs to every row; a title merged
    # across a row is said once.
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        top_left = sheet.cell(cell_range.min_row, cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            merged[(row, cell_range.min_col)] = top_left
    for row in sheet.iter_rows():
        cells = tuple(_cell_text(merged.get((c.row, c.column), c.value)) for c in row)
        while cells and not cells[-1]:
            cells = cells[:-1]
        if not any(cells):
            continue
        text = "\t".join(c.replace("\n", " / ") for c in cells)
        yield text, cells, table_number, None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value)).strip()
