"""Which days are school days: not weekends or Chinese public holidays, but 调休 make-up Saturdays are.

chinese-calendar knows each year only once the State Council publishes it; for a
year it does not cover, weekends plus the holidays listed in config stand in.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_school_day(day: date, extra_holidays: frozenset[date] = frozenset()) -> bool:
    if day in extra_holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not cover yet
        return day.weekday() < 5
