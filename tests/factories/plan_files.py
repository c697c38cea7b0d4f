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


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    text_plan_to_docx(source.read_text(encoding="utf-8"), target)
    print(f"wrote {target}")
