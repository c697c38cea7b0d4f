"""Years the national holiday calendar does not know yet, and what the office fills in for them.

chinese-calendar learns each year's holidays only when the State Council publishes them (in
November or December for the next year), and the installed version may be older still. For a
year it does not know, the bot would take 元旦 or 国庆 for school days. So the school's holiday
table is prefilled once a year with the holidays whose dates never move, and the office is asked
on the home page to add the lunar ones (春节、清明、端午、中秋) until it says it has.
"""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar.constants

from bot import texts
from storage import office_settings, school_calendar
from storage.db import Database

KNOWN_YEARS = sorted({day.year for day in chinese_calendar.constants.holidays})
FIXED = ((texts.HOLIDAY_NAMES["New Year's Day"], 1, 1, 1), (texts.HOLIDAY_NAMES["Labour Day"], 5, 1, 5),
         (texts.HOLIDAY_NAMES["National Day"], 10, 1, 7))   # name, month, first day, days


def known(year: int) -> bool:
    return KNOWN_YEARS[0] <= year <= KNOWN_YEARS[-1]


def covered_span() -> tuple[int, int]:
    return KNOWN_YEARS[0], KNOWN_YEARS[-1]


def years_of(terms) -> list[int]:
    return sorted({year for t in terms for year in range(t.start.year, t.end.year + 1)})


def unknown_years(terms) -> list[int]:
    return [year for year in years_of(terms) if not known(year)]


def prefill(db: Database, school_id: int, terms) -> list[int]:
    """Add the fixed-date holidays of each unknown year once (an office's deletion sticks). Returns the years filled now."""
    filled = []
    for year in unknown_years(terms):
        flag = f"holidays_prefilled:{school_id}:{year}"
        if office_settings.get(db, flag):
            continue
        present = {day for day, _name in school_calendar.school_holidays(db, school_id)}
        for name, month, first, days in FIXED:
            span = (date(year, month, first) + timedelta(days=offset) for offset in range(days))
            school_calendar.add_holidays(db, school_id, [day for day in span if day not in present], name)
        office_settings.put(db, flag, "1")
        filled.append(year)
    return filled


def awaiting_office(db: Database, school_id: int, terms) -> list[int]:
    """Unknown years the office has not yet confirmed it filled in (the home page asks)."""
    return [year for year in unknown_years(terms) if not office_settings.get(db, f"holidays_confirmed:{school_id}:{year}")]


def confirm(db: Database, school_id: int, year: int) -> None:
    office_settings.put(db, f"holidays_confirmed:{school_id}:{year}", "1")
