"""Build real .docx and .xlsx plans for tests (and examples/sample_plan.docx).

A text plan's tables become Word tables: tab-separated lines, and the indented
month blocks that Word-to-text converters leave ("\\t9月份" then "\\t1.…" lines).
Equal consecutive first cells are merged vertically, as schools do for months.

    python -m tests.factories.plan_files examples/sample_plan.txt examples/sample_plan.docx
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
import openpyxl

MONTH_CELL = re.compile(r"^\s*\S{0,4}月份?\s*$")
L1_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def text_plan_to_docx(text: str, path: Path) -> Path:
    document = docx.Document()
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            block = []
            while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
                block.append(lines[i])
                i += 1
            _add_table(document, _table_rows(block))
            continue
        if line.strip():
            style = "Heading 1" if L1_HEADING.match(line.strip()) else None
            document.add_paragraph(line.strip(), style=style)
        i += 1
    document.save(path)
    return path


def _table_rows(block: list[str]) -> list[list[str]]:
    cells = [[c.strip() for c in line.split("\t")] for line in block if line.strip()]
    if all(sum(1 for c in row if c) >= 2 for row in cells):
        return [[c for c in row] for row in cells]
    rows, month = [], ""
    for row in cells:
        value = " ".join(c for c in row if c)
        if MONTH_CELL.match(value):
            month = value
        elif month:
            rows.append([month, value])
        else:
            rows.append([value, ""])
    return rows


def _add_table(document, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    start = 0
    for r in range(1, len(rows) + 1):  # merge runs of the same first cell
        if r == len(rows) or rows[r][0] != rows[start][0]:
            if r - start > 1 and rows[start][0]:
                merged = table.cell(start, 0).merge(table.cell(r - 1, 0))
                merged.text = rows[start][0]
            start = r


def calendar_xlsx(path: Path, title: str, header: list[str], rows: list[list], merge_first_column: bool = True) -> Path:
    """A 行事历 sheet: a title row, a header row, then rows; equal month/week cells merged."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "行事历"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    first_row = 3
    for row in rows:
        sheet.append(row)
    if merge_first_column:
        start = first_row
        for r in range(first_row + 1, first_row + len(rows) + 1):
            if r == first_row + len(rows) or sheet.cell(r, 1).value != sheet.cell(start, 1).value:
                if r - start > 1:
                    for blank in range(start + 1, r):
                        sheet.cell(blank, 1).value = None
                    sheet.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
                start = r
    workbook.save(path)
    return path


# Office versions of a text plan, for comparing formats -------------------------------------------
#
# A text table row is a line with tabs, or with " | " between cells ("| " at the start: an empty
# first cell). Each becomes a table row with one cell per column, an empty cell left empty; rows
# in a run (blank lines between them allowed) form one table. Every other non-blank line is a
# paragraph in Word, a one-cell row in column A in Excel. Two things a Word-to-text converter left
# are put back as the office had them: a lone trailing tab ("3、班主任队伍建设。\t") is no column,
# and a block of one-cell lines ("\t9月份", "\t1.…") is a month table, its month cell merged down.
# A row shorter than its table (a web copy that lost merged cells) keeps only its own cells in Word.

PIPE_ROW = re.compile(r"\s[|｜]\s|^\s*[|｜]\s")
PIPE_SPLIT = re.compile(r"\s*[|｜]\s*")
INTEGER = re.compile(r"^[1-9]\d{0,5}$")


def text_plan_blocks(text: str) -> list[tuple[str, object]]:
    """("paragraph", text) and ("table", rows, merge_first_column) blocks, in order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list = []
    i = 0
    while i < len(lines):
        if _row_cells(lines[i]) is None:
            if lines[i].strip():
                blocks.append(("paragraph", lines[i].strip()))
            i += 1
            continue
        run = []
        while i < len(lines) and (_row_cells(lines[i]) is not None or (not lines[i].strip() and _next_is_row(lines, i))):
            if lines[i].strip():
                run.append(lines[i])
            i += 1
        cells = [_row_cells(line) for line in run]
        if all("\t" in line and sum(1 for c in row if c) == 1 for line, row in zip(run, cells)) and len(run) > 1:
            blocks.append(("table", _table_rows(run), True))   # one cell a line: a converted Word table
        else:
            blocks.append(("table", cells, False))
    return blocks


def _row_cells(line: str) -> list[str] | None:
    if not line.strip():
        return None
    if PIPE_ROW.search(line):
        return [c.strip() for c in PIPE_SPLIT.split(line.strip())]
    if "\t" not in line:
        return None
    cells = [c.strip() for c in line.split("\t")]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    if len(cells) == 1:
        return None   # a trailing tab is no column
    return cells


def _next_is_row(lines: list[str], i: int) -> bool:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i < len(lines) and _row_cells(lines[i]) is not None


def text_plan_docx(text: str, path: Path) -> Path:
    """The plan as its office's Word file: paragraphs, and tables where the text has rows."""
    document = docx.Document()
    for kind, *rest in text_plan_blocks(text):
        if kind == "paragraph":
            document.add_paragraph(rest[0])
            continue
        rows, merge = rest
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        if merge:
            for start, end in _first_column_runs(rows):
                table.cell(start, 0).merge(table.cell(end, 0)).text = rows[start][0]
        for r, row in enumerate(rows):
            if len(row) < width:
                _end_row_early(table.rows[r], width - len(row))
    document.save(path)
    return path


def _end_row_early(row, missing: int) -> None:
    """A text row shorter than its table lost cells it does not say which: like Word's "delete cells,
    shift left", the row keeps only the cells it has (w:gridAfter), not empty ones that claim columns."""
    tr = row._tr
    for tc in tr.tc_lst[-missing:]:
        tr.remove(tc)
    tr.get_or_add_trPr().get_or_add_gridAfter().val = missing


def text_plan_xlsx(text: str, path: Path) -> Path:
    """The plan as its office's spreadsheet: one sheet, paragraphs in column A, table rows from column A."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for kind, *rest in text_plan_blocks(text):
        if kind == "paragraph":
            sheet.append([rest[0]])
            continue
        rows, merge = rest
        first = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
        for row in rows:   # a number typed into a cell is a number
            sheet.append([int(v) if INTEGER.match(v) else (v or None) for v in row])
        if merge:
            for start, end in _first_column_runs(rows):
                for r in range(first + start + 1, first + end + 1):
                    sheet.cell(r, 1).value = None
                sheet.merge_cells(start_row=first + start, start_column=1, end_row=first + end, end_column=1)
    workbook.save(path)
    return path


def _first_column_runs(rows: list[list[str]]):
    """(first, last) row indexes of each run of two or more equal, filled first cells."""
    start = 0
    for r in range(1, len(rows) + 1):
        if r == len(rows) or rows[r][0] != rows[start][0]:
            if r - start > 1 and rows[start][0]:
                yield start, r - 1
            start = r


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    text_plan_to_docx(source.read_text(encoding="utf-8"), target)
    print(f"wrote {target}")
