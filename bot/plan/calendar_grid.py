"""Calendar grids (校历, 行事历 with seven day columns) flattened to text: "18 19 20 21 22 23 24 2/19开学日".

The numbers are the days of one week row, never items. They say no month: the dates
written in the rows' notes ("2/19") do, and weeks follow each other, so every row of
an unbroken run of weeks is dated by the dates most rows agree on.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from .schoolyear import SchoolYear

GRID_ROW = re.compile(r"^\s*(?P<days>(?:(?:3[01]|[12]\d|0?[1-9])\s+){6}(?:3[01]|[12]\d|0?[1-9]))(?!\d)\s*(?P<rest>.*)$")
DAY_CELL = re.compile(r"^\s*(?:3[01]|[12]\d|0?[1-9])\s*$")
MONTHS = {name: i for i, name in enumerate("一二三四五六七八九十", start=1) for name in (f"{name}月", f"{name}月份")}
MONTHS |= {f"{n}月": n for n in range(1, 13)} | {f"{n}月份": n for n in range(1, 13)} | {"十一月": 11, "十二月": 12, "十一月份": 11, "十二月份": 12}
NOTE_DATE = re.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*(?:/|月)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)")


@dataclass(frozen=True)
class GridRow:
    line: int
    first: date
    last: date
    notes: tuple[str, ...]   # what the row says besides its day numbers


@dataclass(frozen=True)
class _Week:
    line: int
    days: list[int]
    notes: tuple[str, ...]
    month: int | None        # a 月份 cell beside the days


def grid_rows(lines, school_year: SchoolYear | None) -> dict[int, GridRow]:
    """Line number → the week that grid row shows, for every row of day numbers that can be dated.

    `lines` are the document's lines (number, text, cells): flattened rows start with their day numbers,
    table rows hold them in seven cells."""
    weeks = [week for line in lines if (week := _week_of(line)) is not None]
    if not weeks or school_year is None:
        return {}
    below = _text_below(lines, {w.line for w in weeks})
    dated: dict[int, GridRow] = {}
    for run in _runs(weeks):
        base = _base(run, below, school_year)
        if base is None:
            continue
        for i, week in enumerate(run):
            first = base + timedelta(weeks=i)
            dated[week.line] = GridRow(week.line, first, first + timedelta(days=6), week.notes)
    return dated


def _week_of(line) -> _Week | None:
    if not line.cells:
        m = GRID_ROW.match(line.text)
        days = [int(d) for d in m["days"].split()] if m else []
        return _Week(line.number, days, (m["rest"],) if m["rest"].strip() else (), None) if m and _is_week(days) else None
    cells = list(line.cells)
    for i in range(len(cells) - 6):
        window = cells[i:i + 7]
        if all(DAY_CELL.match(c) for c in window) and _is_week(days := [int(c) for c in window]):
            month = next((MONTHS[c.strip()] for c in cells[:i] if c.strip() in MONTHS), None)
            notes = tuple(c for c in cells[i + 7:] if c.strip())
            return _Week(line.number, days, notes, month)
    return None


def _is_week(days: list[int]) -> bool:
    return len(days) == 7 and all(b == a + 1 or (b == 1 and a >= 28) for a, b in zip(days, days[1:]))


def _runs(weeks: list[_Week]) -> list[list[_Week]]:
    """Rows whose days continue one another (Saturday 24 → Sunday 25) form one run of weeks."""
    runs, current = [], []
    for week in weeks:
        if current:
            last_day = current[-1].days[-1]
            if not (week.days[0] == last_day + 1 or (week.days[0] == 1 and last_day >= 28)):
                runs.append(current)
                current = []
        current.append(week)
    return runs + [current] if current else runs


def _text_below(lines, starts: set[int]) -> dict[int, str]:
    """The lines under each grid row, up to the next row: a flattened grid's notes."""
    below: dict[int, list[str]] = {}
    owner = None
    for line in lines:
        if line.number in starts:
            owner = line.number
        elif owner is not None:
            below.setdefault(owner, []).append(line.text)
    return {k: "\n".join(v) for k, v in below.items()}


def _base(run: list[_Week], below: dict[int, str], school_year: SchoolYear) -> date | None:
    """The first day of the run's first row, as most of the dates in its notes have it
    (a 月份 cell, naming the month of the row's first day, only where no note has a date)."""
    votes: Counter = Counter()
    fallback: Counter = Counter()
    for i, week in enumerate(run):
        days = week.days
        wrap = next((k for k in range(1, 7) if days[k] < days[k - 1]), 7)
        text = "\n".join(week.notes) + "\n" + below.get(week.line, "")
        for note in NOTE_DATE.finditer(text):
            month, day = int(note["m"]), int(note["d"])
            positions = [k for k, d in enumerate(days) if d == day]
            if not positions:
                continue
            first_month = month if positions[0] < wrap else (month - 1 or 12)
            if (first := _first_day(school_year, first_month, days[0])) is not None:
                votes[first - timedelta(weeks=i)] += 1
        if week.month is not None and (first := _first_day(school_year, week.month, days[0])) is not None:
            fallback[first - timedelta(weeks=i)] += 1
    chosen = votes or fallback
    return chosen.most_common(1)[0][0] if chosen else None


def _first_day(school_year: SchoolYear, month: int, day: int) -> date | None:
    try:
        return date(school_year.year_of_month(month), month, day)
    except ValueError:
        return None
