"""The events a calendar feed holds, as pure functions of the tasks, the terms and the school days.

A dated task is one all-day event over its days (a month's item spans the month). A routine duty
is one repeating all-day event per term, on the days the bot itself gives it: a weekday duty on its
weekdays, a monthly one on its by-day or month end moved back to a school day (task_dates.due_in), a
duty "sometime this week / month" on the period's first school day. A day with no school is left
out with EXDATE; a day the bot moves is a moved instance (RECURRENCE-ID), which Apple, Google and
Outlook all read (RDATE, which some of them ignore, is not used).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Event

from bot import texts
from bot.task_dates import dated_range, in_force, recurrence_of, term_for
from bot.texts.format import describe_recurrence
from bot.timegrammar.recurrence import Recurrence
from storage.school_calendar import Term

from .edges import FIRST_DAY, LAST_DAY

SchoolDay = Callable[[date], bool]
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")   # iCalendar's two letters, not our stored "MON"


def task_uid(install: int, school_id: int, task_id: int, term: Term | None = None) -> str:
    """The same on every request and restart, and no other school's or install's: a calendar app
    that sees one UID twice keeps one of the two events."""
    base = f"routine-{task_id}-{term.start:%Y%m%d}" if term is not None else f"task-{task_id}"
    return f"{base}.school-{school_id}.{install & 0xFFFFFFFF:08x}@schoolbot"


def all_day(uid: str, stamp: datetime, summary: str, owner: str | None, first: date, last: date | None = None,
            moved_from: date | None = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", (last or first) + timedelta(days=1))   # an all-day event ends on the day after (exclusive)
    if moved_from is not None:
        event.add("recurrence-id", moved_from)
    if owner:
        event.add("description", texts.FEED_OWNER.format(owner=owner))
    return event


def dated_events(tasks, terms, uid: Callable, stamp: datetime) -> list[Event]:
    events = []
    for task in tasks:
        term = term_for(terms, task.valid_from or date.min, date.max)   # the first term of the plan's period
        covered = dated_range(task, term)
        if covered is None or not (FIRST_DAY <= covered[0] and covered[1] <= LAST_DAY):
            continue   # a date outside the school's years is a typo stored earlier; one bad task must not break the feed
        events.append(all_day(uid(task), stamp, f"#{task.number} {task.title}", task.owner, *covered))
    return events


def routine_events(tasks, terms, school_day: SchoolDay, uid: Callable, stamp: datetime) -> list[Event]:
    """Each routine duty (no dates of its own) in each term its plan is in force."""
    events = []
    for task in tasks:
        if dated_range(task, None) is not None or task.term_anchor:
            continue   # a dated or term-anchored task is in the other feed
        for term in terms:
            first, last = max(term.start, task.valid_from or term.start), min(term.end, task.valid_to or term.end)
            if not in_force(task, term.start, term.end) or not (FIRST_DAY <= first <= last <= LAST_DAY):
                continue
            rhythm = recurrence_of(task)
            series = routine_series(rhythm, term, first, last, school_day)
            if series is not None:
                summary = texts.FEED_ROUTINE.format(number=task.number, title=task.title, rhythm=describe_recurrence(rhythm))
                events += series.events(uid(task, term), stamp, summary, task.owner)
    return events


@dataclass(frozen=True)
class Series:
    """A rhythm within a term: the RRULE (None: a single day), and for each instance the rule makes,
    the day the duty falls on instead (None: no school then, the instance is left out)."""
    rule: dict | None
    days: dict[date, date | None]

    def events(self, uid: str, stamp: datetime, summary: str, owner: str | None) -> list[Event]:
        kept = [nominal for nominal, day in self.days.items() if day is not None]
        if not kept:
            return []
        if self.rule is None:
            return [all_day(uid, stamp, summary, owner, self.days[kept[0]])]
        first, last = kept[0], kept[-1]
        series = all_day(uid, stamp, summary, owner, first)
        series.add("rrule", self.rule | {"until": last})
        for nominal, day in self.days.items():
            if first <= nominal <= last and day is None:
                series.add("exdate", nominal)   # one line per day, the plainest form for any client
        moved = [all_day(uid, stamp, summary, owner, day, moved_from=nominal)
                 for nominal, day in self.days.items() if day is not None and day != nominal]
        return [series, *moved]


def routine_series(recurrence: Recurrence | None, term: Term, first: date, last: date, school_day: SchoolDay) -> Series | None:
    """Where the duty falls between first and last (within the term), as the bot places it; None for a
    rhythm the bot puts on no day (quarterly, yearly: they belong to answers about a whole term)."""
    if recurrence is None:
        return None
    if recurrence.weekdays or recurrence.kind == "daily":
        return _on_weekdays(sorted(set(recurrence.weekdays)) or list(range(5)), first, last, school_day)   # daily: school days
    if recurrence.kind in ("weekly", "biweekly"):
        return _once_a_round(1 if recurrence.kind == "weekly" else 2, term, first, last, school_day)
    if recurrence.kind == "monthly" and (recurrence.by_day is not None or recurrence.part == "end"):
        return _by_day_of_month(recurrence.by_day or 31, first, last, school_day)
    if recurrence.kind == "monthly":   # 每月初 (in its first ten days) or once sometime in the month
        span = 10 if recurrence.part == "start" else 31
        days = {m: _first_school_day(max(m, first), min(m + timedelta(days=span - 1), _month_end(m), last), school_day)
                for m in _months(first, last)}
        return Series({"freq": "monthly", "bymonthday": [1]}, days)
    if recurrence.kind == "termly":   # due by the term's end (task_dates.due_in)
        day = _school_day_on_or_before(term.end, first, school_day)
        return Series(None, {term.end: day if day is not None and day <= last else None})
    return None


def _on_weekdays(weekdays: list[int], first: date, last: date, school_day: SchoolDay) -> Series:
    days = {d: d if school_day(d) else None for d in _days(first, last) if d.weekday() in weekdays}
    return Series({"freq": "weekly", "byday": [RRULE_DAYS[w] for w in weekdays]}, days)


def _once_a_round(weeks: int, term: Term, first: date, last: date, school_day: SchoolDay) -> Series:
    """Once a week or two, on the round's first school day; rounds count from the term's first week (period_start)."""
    monday = term.start - timedelta(days=term.start.weekday())
    rounds = [monday + timedelta(weeks=weeks * i) for i in range((last - monday).days // (7 * weeks) + 1)]
    length = timedelta(weeks=weeks, days=-1)
    days = {m: _first_school_day(max(m, first), min(m + length, last), school_day) for m in rounds if m + length >= first}
    return Series({"freq": "weekly", "byday": ["MO"]} | ({"interval": weeks} if weeks > 1 else {}), days)


def _by_day_of_month(by: int, first: date, last: date, school_day: SchoolDay) -> Series:
    """Due by a day of the month (31: its last): that day, or the school day before (task_dates.due_in)."""
    days = {}
    for month in _months(first, last):
        month_end = _month_end(month)
        due = _school_day_on_or_before(min(month + timedelta(days=by - 1), month_end), first, school_day)
        nominal = month + timedelta(days=by - 1) if by <= 28 else month_end
        days[nominal] = due if due is not None and due <= last else None
    # RRULE skips a month without the 30th: past the 28th the rule names each month's last day instead.
    return Series({"freq": "monthly", "bymonthday": [by if by <= 28 else -1]}, days)


def _months(first: date, last: date) -> list[date]:
    months = [first.replace(day=1)]
    while (following := _month_end(months[-1]) + timedelta(days=1)) <= last:
        months.append(following)
    return months


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _first_school_day(first: date, last: date, school_day: SchoolDay) -> date | None:
    return next((d for d in _days(first, last) if school_day(d)), None)


def _school_day_on_or_before(day: date, floor: date, school_day: SchoolDay) -> date | None:
    while day >= floor:
        if school_day(day):
            return day
        day -= timedelta(days=1)
    return None


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
