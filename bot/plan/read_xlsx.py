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
from lxml import etree
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from bot import texts

from .document import PlanDocument, clean, document_from_rows
from .errors import PlanReadError
from .limits import MAX_COLUMNS, MAX_ROWS, check_zip, count_sheet_rows

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# Names Excel and WPS give new sheets say nothing about the plan.
# Built-in number formats of Chinese Excel and WPS that show dates (年月日) and times (时分): 27–36, 50–58.
CJK_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
EXCEL_EPOCH_DAY = date(1900, 1, 1)
DEFAULT_SHEET_NAME = re.compile(r"^\s*(?:sheet|工作表)\s*\d*\s*$", re.IGNORECASE)


def read_xlsx_plan(data: bytes, name: str) -> PlanDocument:
    archive = check_zip(data, name, texts.NOT_XLSX.format(name=name))
    count_sheet_rows(archive, name)
    try:
        # Read-only: cells stream from the XML and only stored ones exist, so a cell at XFD1048576
        # costs nothing; merged ranges, which that mode does not keep, are read from the XML here.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise PlanReadError(texts.NOT_XLSX.format(name=name)) from exc
    except Exception as exc:
        raise PlanReadError(texts.XLSX_BROKEN.format(name=name)) from exc
    try:
        rows: list = []
        tables = [0]  # tables numbered across the workbook
        for sheet in workbook.worksheets:
            if not DEFAULT_SHEET_NAME.match(sheet.title):
                rows.append((clean(sheet.title), (), None, 1))
            rows.extend(_sheet_rows(sheet, _merged_ranges(archive, sheet), tables))
    except PlanReadError:
        raise
    except Exception as exc:
        raise PlanReadError(texts.XLSX_BROKEN.format(name=name)) from exc
    finally:
        workbook.close()
    return document_from_rows(name, rows)


def _merged_ranges(archive: zipfile.ZipFile, sheet) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merge, clipped to what is read."""
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return []
    found = []
    try:
        with archive.open(path) as stream:
            for _, element in etree.iterparse(stream, events=("end",), tag=f"{SHEET_NS}mergeCell", resolve_entities=False):
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                except (ValueError, TypeError):
                    continue
                if min_col <= MAX_COLUMNS and min_row <= MAX_ROWS:
                    found.append((min_row, min_col, min(max_row, MAX_ROWS), min(max_col, MAX_COLUMNS)))
                element.clear()
    except (KeyError, etree.XMLSyntaxError):
        return []
    return found


def _sheet_rows(sheet, merges: list[tuple[int, int, int, int]], tables: list[int]):
    # A month or week merged down a column belongs to every row; a title merged
    # across a row is said once.
    starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    in_range: set[tuple[int, int]] = set()
    merged: dict[tuple[int, int], object] = {}
    pending: dict[tuple[int, int], tuple[int, int]] = {}   # top-left → far corner, until its row is read
    in_table = False
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS):
        number = next((c.row for c in row if getattr(c, "row", None) is not None), None)
        if number is None:
            continue   # a row with no stored cell
        for column in range(1, len(row) + 1):
            if (number, column) in starts:
                pending[(number, column)] = starts[(number, column)]
        for (r0, c0), (r1, _c1) in list(pending.items()):
            if number == r0:
                top_left = row[c0 - 1].value if c0 <= len(row) else None
                for r in range(r0, r1 + 1):
                    merged[(r, c0)] = top_left
                    in_range.add((r, c0))
                del pending[(r0, c0)]
        cells = tuple(_cell_text(merged.get((number, i), cell.value), _style_id(cell)) for i, cell in enumerate(row, start=1))
        while cells and not cells[-1]:
            cells = cells[:-1]
        if not any(cells):
            continue
        if len(cells) == 1 and (number, 1) not in in_range:
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
    try:
        return cell.style_array.numFmtId or 0
    except (AttributeError, IndexError):
        return 0


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
