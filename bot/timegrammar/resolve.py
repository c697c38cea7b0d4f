"""Partial dates made whole: a month or a day without its year, a part of a month, against an anchor.

A plan's anchor is its school year (九月 is the autumn's, 三月 the next spring's); a chat's is
today (a month named without a year is the next such month, today's month included).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from .lexicon import MONTH_PARTS


class Anchor(Protocol):
    def year_of_month(self, month: int) -> int | None: ...


@dataclass(frozen=True)
class Today:
    """Chat: the next such month from today, today's month included."""
    today: date

    def year_of_month(self, month: int) -> int:
        return self.today.year if month >= self.today.month else self.today.year + 1

    def day(self, month: int, day: int) -> date | None:
        """The date nearest ahead: up to two months back still means this year's."""
        for year in (self.today.year - 1, self.today.year, self.today.year + 1):
            candidate = safe_date(year, month, day)
            if candidate is None:
                return None
            if self.today - timedelta(days=60) <= candidate <= self.today + timedelta(days=305):
                return candidate
        return None


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_part(year: int, month: int, part: str | None) -> tuple[date, date]:
    """上旬 1–10, 中旬 11–20, 下旬/月底 21–end, 月初 1–10; no part: the whole month."""
    first, last = month_range(year, month)
    if not part:
        return first, last
    start, end = MONTH_PARTS[part]
    return first.replace(day=start), last if end is None else first.replace(day=end)


def resolve_month(month: int, anchor: Anchor, part: str | None = None) -> tuple[date, date] | None:
    if not 1 <= month <= 12:
        return None
    year = anchor.year_of_month(month)
    return None if year is None else month_part(year, month, part)


def shift_month(day: date, months: int) -> tuple[int, int]:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return year, month + 1
