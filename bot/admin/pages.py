"""Shapes the pages need, computed without Flask: the plan's lines with found items and unread
dates marked, and a calendar week or month as rows of Monday-to-Sunday days with their tasks."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from bot.plan.document import PlanDocument
from bot.plan.items import PlanItem
from bot.school_days import is_school_day
from bot import texts
from bot.task_dates import dated_range, in_term, term_for
from bot.texts.format import describe_long_span
from storage.school_calendar import Term


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    items: tuple[int, ...]      # indexes (1-based) of the items found on this line
    segments: tuple[tuple[str, bool], ...]   # the text in pieces, each with: is it a date no item took


def highlighted_lines(document: PlanDocument, items: tuple[PlanItem, ...],
                      unread: Mapping[int, Sequence[tuple[int, int]]] | None = None) -> list[SourceLine]:
    """The plan's non-blank lines with the items found on each; unread: line -> spans of dates no item took."""
    found: dict[int, list[int]] = {}
    for index, item in enumerate(items, start=1):
        found.setdefault(item.line, []).append(index)
    unread = unread or {}
    return [SourceLine(line.number, line.text, tuple(found.get(line.number, ())), split_marked(line.text, unread.get(line.number, ())))
            for line in document.lines if line.text.strip()]


def split_marked(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """text cut at the spans: (piece, True) for each span, (piece, False) between them."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start < end:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
    pieces.append((text[at:], False))
    return tuple(piece for piece in pieces if piece[0])


# Up to a week, a task's range reads as "on these days" and fills at most two rows of a month, so it
# is shown in each day it covers. Longer ranges are periods (11月份, 期中 and 期末's two weeks): in
# every cell they would crowd out the day's own tasks, so they are listed once above the grid.
LONG_TASK_DAYS = 7


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    tasks: tuple
    in_term: bool
    school_day: bool = True
    name: str = ""          # the holiday's name, or 调休上课 on a make-up weekend
    today: bool = False


@dataclass(frozen=True)
class LongTask:
    task: object
    start: date
    end: date
    span: str               # "11月1日至11月30日", with the year when it is not the view's


@dataclass(frozen=True)
class CalendarView:
    long_tasks: tuple[LongTask, ...]
    weeks: tuple[tuple[CalendarDay | None, ...], ...]   # Monday to Sunday; None for a blank before the first or after the last day


def calendar_view(tasks, first: date, last: date, terms: tuple[Term, ...],
                  holidays: Mapping[date, str], today: date) -> CalendarView:
    """first..last as weeks of days; holidays: the school's own days off, each with its name (or "")."""
    placed = placed_tasks(tasks, first, last, terms)
    long_tasks = tuple(LongTask(task, start, end, describe_long_span(start, end, first.year))
                       for (start, end), task in sorted(placed, key=lambda p: p[0])
                       if is_long(start, end) and start <= last and end >= first)   # an anchor may lie in another month
    daily = [(span, task) for span, task in placed if not is_long(*span)]
    days = [calendar_day(first + timedelta(days=n), daily, terms, holidays, today) for n in range((last - first).days + 1)]
    return CalendarView(long_tasks, weeks_of(days))


def placed_tasks(tasks, first: date, last: date, terms: tuple[Term, ...]) -> list[tuple[tuple[date, date], object]]:
    """The dated tasks with the days they cover, anchors placed in the term the view falls in."""
    term = term_for(terms, first, last)
    return [(covered, task) for task in tasks if (covered := dated_range(task, term)) is not None]


def is_long(start: date, end: date) -> bool:
    return (end - start).days + 1 > LONG_TASK_DAYS


def calendar_day(day: date, placed, terms: tuple[Term, ...], holidays: Mapping[date, str], today: date) -> CalendarDay:
    here = tuple(task for (start, end), task in placed if start <= day <= end)
    return CalendarDay(day, here, in_term(terms, day), *school_day_and_name(day, holidays), today=day == today)


def school_day_and_name(day: date, holidays: Mapping[date, str]) -> tuple[bool, str]:
    """Whether pupils come in, and the day's name: the school's for its own day off, else the national
    holiday's, else 调休上课 on a weekend the State Council made a working day."""
    if day in holidays:
        return False, holidays[day] or texts.DAY_OFF
    if is_school_day(day):
        return True, texts.MAKE_UP_DAY if day.weekday() >= 5 else ""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:     # a year the package does not know: a weekend, no name
        return False, ""
    return False, texts.HOLIDAY_NAMES.get(name, "") if on_holiday else ""


def weeks_of(days: list[CalendarDay]) -> tuple[tuple[CalendarDay | None, ...], ...]:
    """Rows of seven, Monday first, so each day sits under its weekday: blanks before and after."""
    if not days:
        return ()
    cells = [None] * days[0].day.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return tuple(tuple(cells[at:at + 7]) for at in range(0, len(cells), 7))
