"""Layout: tables that reached us flattened, one cell per line ("周次" / "日期" / "工作内容" / "负责",
then four lines a row), become rows again, so every table reads the same way whatever its source."""
from __future__ import annotations

import re
from dataclasses import replace

from .document import Line, PlanDocument
from .tables import HEADER_CELL_MAX, cell_kind, header_role
from .timewords import Scope

MIN_COLUMNS = 3
FIRST_CELL = {   # what the first cell of each row must look like, by the first column's role
    "week": re.compile(r"^\s*第?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*[-—–~～至]\s*\d{1,2})?\s*周?\s*$"),
    None: re.compile(r"^\s*\d{1,3}\s*$"),   # 序号
}


def unflatten_tables(document: PlanDocument, scope: Scope) -> PlanDocument:
    lines = list(document.lines)
    out: list[Line] = []
    i = 0
    while i < len(lines):
        header = _header_run(lines, i)
        if header < MIN_COLUMNS:
            out.append(lines[i])
            i += 1
            continue
        roles = [header_role(line.text) for line in lines[i:i + header]]
        rows, i = _rows(lines, i, header, roles, scope)
        out += rows
    return replace(document, lines=tuple(out)) if len(out) != len(lines) else document


def _header_run(lines: list[Line], start: int) -> int:
    """How many lines from here are each one column name of a header."""
    count = 0
    while start + count < len(lines):
        line = lines[start + count]
        text = line.text.strip()
        if line.cells or not text or len(text) > HEADER_CELL_MAX or header_role(text) is None:
            break
        count += 1
    roles = {header_role(line.text) for line in lines[start:start + count]}
    return count if len(roles - {None}) >= 2 else 0


def _rows(lines: list[Line], start: int, width: int, roles: list, scope: Scope) -> tuple[list[Line], int]:
    """The header and the rows after it: a row starts with a line like its first column's and runs
    until the next such line or `width` cells (a row whose last cells were empty is shorter)."""
    table = -lines[start].number   # its own table, apart from the numbered tables of Word and Excel
    rows = [_row(lines[start:start + width], table)]
    first = FIRST_CELL.get(roles[0])
    i = start + width
    while i < len(lines):
        while i < len(lines) and not lines[i].text.strip():
            i += 1
        if i >= len(lines) or lines[i].cells or not _starts_row(lines[i].text, roles[0], first, scope):
            break
        chunk = [lines[i]]
        i += 1
        while i < len(lines) and len(chunk) < width and lines[i].text.strip() and not lines[i].cells \
                and not _starts_row(lines[i].text, roles[0], first, scope):
            chunk.append(lines[i])
            i += 1
        if len(chunk) < 2:
            i -= 1
            break
        rows.append(_row(chunk, table))
    return rows, i


def _starts_row(text: str, role, first, scope: Scope) -> bool:
    if role == "date":
        return cell_kind(text.strip(), scope) in ("date", "week", "anchor")
    return bool(first and first.match(text))


def _row(chunk: list[Line], table: int) -> Line:
    cells = tuple(line.text.strip() for line in chunk)
    return Line(number=chunk[0].number, text="\t".join(cells), cells=cells, table=table)
