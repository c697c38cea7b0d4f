"""Spreadsheet plans (行事历): every sheet, row by row, merged cells filled from their top-left.

A row with nothing but its column-A cell is a line of text the office typed on the sheet (a title,
a heading, a note), not a table row; the rows between such lines are one table.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

import openpyxl
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError

# Names Excel and WPS give new sheets say nothing about the plan.
# Built-in number formats of Chinese Excel and WPS that show dates (年月日) and times (时分): 27–36, 50–58.
CJK_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
EXCEL_EPOCH_DAY = date(1900, 1, 1)
DEFAULT_SHEET_NAME = re.compile(r"^\s*(?:sheet|工作表)\s*\d*\s*$", re.IGNORECASE)


def read_xlsx_plan(data: bytes, name: str) -> PlanDocument:
    try:
        # Not read_only: merged-cell ranges are only known in the full model.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise PlanReadError(f"{name} 不是有效的 Excel 表格（.xlsx）。如果是旧版 .xls，请另存为 .xlsx") from exc
    except Exception as exc:
        raise PlanReadError(f"{name} 已损坏，无法作为 Excel 表格读取") from exc
    rows: list = []
    tables = [0]  # tables numbered across the workbook
    for sheet in workbook.worksheets:
        if not DEFAULT_SHEET_NAME.match(sheet.title):
            rows.append((clean(sheet.title), (), None, 1))
        rows.extend(_sheet_rows(sheet, tables))
    return document_from_rows(name, rows)


def _sheet_rows(sheet, tables: list[int]):
    # A month or week merged down a column belongs to every row; a title merged
    # across a row is said once.
    merged, in_range = {}, set()
    for cell_range in sheet.merged_cells.ranges:
        top_left = sheet.cell(cell_range.min_row, cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            merged[(row, cell_range.min_col)] = top_left
            in_range.add((row, cell_range.min_col))
    in_table = False
    for row in sheet.iter_rows():
        cells = tuple(_cell_text(merged.get((c.row, c.column), c.value), _style_id(c)) for c in row)
        while cells and not cells[-1]:
            cells = cells[:-1]
        if not any(cells):
            continue
        if len(cells) == 1 and (row[0].row, 1) not in in_range:
            for part in cells[0].split("\n"):  # a line of text, not a one-column table
                yield part, (), None, None
            in_table = False
            continue
        if not in_table:
            tables[0] += 1   # a sheet's first rows, or rows after a line of text: another table
            in_table = True
        text = "\t".join(c.replace("\n", " / ") for c in cells)
        yield text, cells, tables[0], None


def _style_id(cell) -> int:
    return getattr(getattr(cell, "_style", None), "numFmtId", 0) or 0


def _cell_text(value, format_id: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and format_id in CJK_DATE_FORMATS:
        try:  # a Chinese Excel's built-in date formats (年月日) that openpyxl does not know as dates
            value = from_excel(value)
        except (ValueError, OverflowError):
            pass
    if isinstance(value, datetime):
        if value.date() <= EXCEL_EPOCH_DAY and value.time() != time(0):
            return f"{value.hour}:{value.minute:02d}"   # a time-only cell
        return value.date().isoformat()
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"   # 8:30, as the sheet shows it
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value)).strip()
