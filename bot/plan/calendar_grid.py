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
NOTE_DATE = re.compile(r"(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*(?:/|月)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)")


@dataclass(frozen=True)
class GridRow:
    line: int
    first: date
    last: date
    rest: str          # the text after the day numbers


def grid_rows(lines: list[tuple[int, str]], school_year: SchoolYear | None) -> dict[int, GridRow]:
    """Line number → the week that grid row shows, for every row of day numbers that can be dated."""
    rows = [(number, m) for number, text in lines if (m := GRID_ROW.match(text)) and _is_week([int(d) for d in m["days"].split()])]
    if not rows or school_year is None:
        return {}
    notes = _notes_by_row(lines, [number for number, _ in rows])
    dated: dict[int, GridRow] = {}
    for run in _runs(rows):
        base = _base(run, notes, school_year)
        if base is None:
            continue
        for i, (number, m) in enumerate(run):
            first = base + timedelta(weeks=i)
            dated[number] = GridRow(number, first, first + timedelta(days=6), m["rest"])
    return dated


def _is_week(days: list[int]) -> bool:
    return all(b == a + 1 or (b == 1 and a >= 28) for a, b in zip(days, days[1:]))


def _runs(rows):
    """Rows whose days continue one another (Saturday 24 → Sunday 25) form one run of weeks."""
    runs, current, last_day = [], [], None
    for number, m in rows:
        days = [int(d) for d in m["days"].split()]
        if current and not (days[0] == last_day + 1 or (days[0] == 1 and last_day >= 28)):
            runs.append(current)
            current = []
        current.append((number, m))
        last_day = days[-1]
    return runs + [current] if current else runs


def _notes_by_row(lines, row_numbers: list[int]) -> dict[int, str]:
    """The text of each grid row and of the lines under it, up to the next row."""
    notes: dict[int, list[str]] = {}
    owner = None
    starts = set(row_numbers)
    for number, text in lines:
        if number in starts:
            owner = number
        if owner is not None:
            notes.setdefault(owner, []).append(GRID_ROW.sub(r"\g<rest>", text) if number == owner else text)
    return {k: "\n".join(v) for k, v in notes.items()}


def _base(run, notes: dict[int, str], school_year: SchoolYear) -> date | None:
    """The first day of the run's first row, as most of the dates in its notes have it."""
    votes: Counter = Counter()
    for i, (number, m) in enumerate(run):
        days = [int(d) for d in m["days"].split()]
        wrap = next((k for k in range(1, 7) if days[k] < days[k - 1]), 7)
        for note in NOTE_DATE.finditer(notes.get(number, "")):
            month, day = int(note["m"]), int(note["d"])
            if day not in days:
                continue
            k = days.index(day) if days.index(day) < wrap or day not in days[wrap:] else wrap + days[wrap:].index(day)
            first_month = month if k < wrap else month - 1 or 12
            year = school_year.year_of_month(first_month)
            try:
                first = date(year, first_month, days[0])
            except ValueError:
                continue
            votes[first - timedelta(weeks=i)] += 1
    return votes.most_common(1)[0][0] if votes else None
