"""Turn a plan document into scheduled items: the one entry point of the pure core."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .calendar_grid import grid_rows
from .tables import cell_kind
from .document import PlanDocument
from .items import PlanItem
from .layout import unflatten_tables
from .not_items import METADATA
from .schoolyear import SPRING, SchoolYear, detect_school_year, with_august, year_from_dates
from .scopes import PlanWalker
from .timewords import Scope, clear_time_cache

TERM_START = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]"
    r"(?:\s*[（(][^）)]{0,6}[）)])?\s*(?:正式|全面)?(?:开学|报到注册|开课)"
    r"|第\s*[1一]\s*周\s*(?:为|是|[:：])\s*(?:(?P<y2>(?:19|20)\d{2})\s*年\s*)?(?P<m2>1[0-2]|0?[1-9])\s*[月.．/]\s*(?P<d2>3[01]|[12]\d|0?[1-9])"
)


@dataclass(frozen=True)
class ExtractOptions:
    school_year: SchoolYear | None = None           # overrides what the title says
    term_start: date | None = None                  # first day of term, for 第N周
    fallback_school_year: SchoolYear | None = None  # when neither option nor title gives one
    known_term_starts: tuple[date, ...] = ()        # configured terms, used when the plan names no day


@dataclass(frozen=True)
class PlanExtraction:
    items: tuple[PlanItem, ...]
    school_year: SchoolYear | None
    term_start: date | None
    title: str


def extract_plan(document: PlanDocument, options: ExtractOptions | None = None) -> PlanExtraction:
    options = options or ExtractOptions()
    texts = [line.text for line in document.lines]
    school_year = options.school_year or detect_school_year(texts) or year_from_dates(texts) or options.fallback_school_year
    if school_year is not None:
        school_year = with_august(school_year, "\n".join(t for t in texts if not METADATA.search(t)))
    term_start = (options.term_start or detect_term_start(document.text, school_year)
                  or term_start_for(school_year, options.known_term_starts))
    document = unflatten_tables(document, Scope(school_year))
    walker = PlanWalker(school_year, grid_rows(document.lines, school_year), term_start)
    for line in document.lines:
        walker.feed(line)
    items = tuple(_date_weeks(item, term_start) for item in walker.items if item.is_scheduled)
    return PlanExtraction(items, school_year, term_start, _title(texts))


def forget_cached_reads() -> None:
    """Readers keep what they made of recent cells and texts; the benchmark reads each plan as new."""
    cell_kind.cache_clear()
    clear_time_cache()


def detect_term_start(text: str, school_year: SchoolYear | None) -> date | None:
    m = TERM_START.search(text)
    if not m:
        return None
    month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])   # "9月1日正式开学", "第1周为9月1日—9月7日"
    given = m["y"] or m["y2"]
    year = int(given) if given else (school_year.year_of_month(month) if school_year else None)
    try:
        return date(year, month, day) if year else None
    except ValueError:
        return None


def term_start_for(school_year: SchoolYear | None, starts: tuple[date, ...]) -> date | None:
    """The configured term this plan covers: the autumn one of its school year, or the spring one."""
    if school_year is None or school_year.calendar:
        return None
    for start in sorted(starts):
        if school_year.term == SPRING and start.year == school_year.first + 1 and start.month <= 4:
            return start
        if school_year.term != SPRING and start.year == school_year.first and start.month >= 8:
            return start
    return None


def _date_weeks(item: PlanItem, term_start: date | None) -> PlanItem:
    """第N周 becomes dates once the term's first day is known (weeks run Monday to Sunday).

    A week is more precise than the whole month a list put it under, but not than a named day.
    """
    if item.week is None or term_start is None:
        return item
    if item.start is not None and not _whole_months(item.start, item.end):
        return item
    monday = term_start - timedelta(days=term_start.weekday())
    start = monday + timedelta(weeks=item.week - 1)
    end = monday + timedelta(weeks=item.week_last or item.week, days=-1)
    return replace(item, start=start, end=end, term_anchor=None)


def _whole_months(start: date, end: date | None) -> bool:
    return start.day == 1 and end is not None and (end + timedelta(days=1)).day == 1


def _title(texts: list[str]) -> str:
    return next((t.strip() for t in texts if t.strip()), "")[:80]
