"""When a stored task happens, as a pure function of the task, the term and a span of days.

Dated tasks happen on their dates. Term anchors are placed in the term: 开学初 is
the first week, 期中 the two weeks around the middle, 期末 the last two weeks.
Recurring duties happen on their weekdays, or somewhere in every week, month or
term; they are listed once per answer rather than once per day. A task keeps its rhythm as
the stored code; `recurrence_of` reads it as a Recurrence, which is what everything else takes.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from bot.school_days import is_school_day
from bot.timegrammar.recurrence import Recurrence
from storage.school_calendar import Term

ANCHOR_DAYS = 14


class TaskLike(Protocol):
    start: date | None
    end: date | None
    recurrence: str | None    # the stored code ("weekly:TUE"): read it with recurrence_of
    term_anchor: str | None
    valid_from: date | None   # the plan's period
    valid_to: date | None


def recurrence_of(task: TaskLike) -> Recurrence | None:
    """The task's rhythm; None for a one-off task, or a code this version does not know."""
    return Recurrence.parse(task.recurrence)


def days_off(term: Term | None) -> frozenset[date]:
    """The school's own holidays in the term, for a year the national calendar may not know."""
    return term.days_off if term is not None else frozenset()


def in_force(task: TaskLike, first: date, last: date) -> bool:
    """Whether the task's plan is in force at any time between first and last."""
    return (task.valid_from is None or task.valid_from <= last) and (task.valid_to is None or task.valid_to >= first)


def term_for(terms, first: date, last: date | None = None) -> Term | None:
    """The term a day, or the span first..last, falls in: of those it touches, the one that starts first."""
    last = first if last is None else last
    return next((t for t in sorted(terms, key=lambda t: t.start) if t.start <= last and t.end >= first), None)


def in_term(terms, day: date) -> bool:
    """Whether the day is term time; without any terms known, every day is."""
    return not terms or term_for(terms, day) is not None


def next_term(terms, day: date) -> Term | None:
    """The first term to begin after the day."""
    return min((t for t in terms if t.start > day), key=lambda t: t.start, default=None)


def term_now_or_next(terms, day: date) -> Term | None:
    """The term a day is in, else the next to begin."""
    return term_for(terms, day) or next_term(terms, day)


def term_week(term: Term, day: date) -> int:
    """The teaching week a day falls in, counted from the week the term starts in (第1周)."""
    return (day - (term.start - timedelta(days=term.start.weekday()))).days // 7 + 1


def dated_range(task: TaskLike, term: Term | None) -> tuple[date, date] | None:
    """The days a one-off task covers: its dates, or its anchor placed in the term of its plan."""
    if task.start is not None:
        return task.start, task.end or task.start
    if task.term_anchor and term is not None and in_force(task, term.start, term.end):
        return anchor_range(task.term_anchor, term)
    return None


def anchor_range(anchor: str, term: Term) -> tuple[date, date] | None:
    middle = term.start + (term.end - term.start) / 2
    ranges = {
        "term_start": (term.start, _sunday(term.start)),
        "midterm": (middle - timedelta(days=7), middle + timedelta(days=6)),
        "term_end": (term.end - timedelta(days=ANCHOR_DAYS - 1), term.end),
        "year_end": (term.end - timedelta(days=ANCHOR_DAYS - 1), term.end) if term.start.month <= 6 else None,
        "winter": (term.end + timedelta(days=1), term.end + timedelta(days=28)) if term.start.month >= 7 else None,
        "summer": (term.end + timedelta(days=1), term.end + timedelta(days=56)) if term.start.month <= 6 else None,
    }
    return ranges.get(anchor)


def recurs_in(recurrence: Recurrence | None, first: date, last: date, term: Term | None) -> bool:
    """Whether a duty with this rhythm falls due between first and last (inclusive)."""
    if recurrence is None:
        return False
    if term is not None and (last < term.start or first > term.end):
        return False  # holidays: duties rest
    off = days_off(term)
    days = [d for i in range((last - first).days + 1) if is_school_day(d := first + timedelta(days=i), off)]
    if not days:
        return False
    if recurrence.weekdays:
        return any(day.weekday() in recurrence.weekdays for day in days)
    if recurrence.kind in ("daily", "weekly", "biweekly"):
        return True
    if recurrence.kind == "monthly":
        return _monthly_in(recurrence, days)
    # Term- and year-long duties belong in answers about a whole term, not a week or a month.
    return (last - first).days >= 80


# A duty with one of these words is something to hand in: a weekly one is due on its day, a month's by its end.
DELIVERABLE = ("交", "报", "完成", "撰写", "填", "录入", "整理", "制定")


def due_in(task: TaskLike, title: str, first: date, last: date, term: Term | None) -> date | None:
    """The day between first and last by which the task is due, if one is: a one-off's last day (for
    several days, only when it is something to hand in), a monthly duty's 8日前 or month end, a term
    duty's last day, a weekly hand-in's weekday; a weekend or holiday moves it to the school day before."""
    covered = dated_range(task, term)
    if covered is not None:
        if covered[0] != covered[1] and not any(word in title for word in DELIVERABLE):
            return None   # a month's event ("10月 秋季运动会") is no deadline; "10月份完成开题报告" is
        return covered[1] if first <= covered[1] <= last else None
    recurrence = recurrence_of(task)
    if recurrence is None or not in_force(task, first, last):
        return None
    if term is None or last < term.start or first > term.end:
        return None   # routine duties rest outside the term
    nominal: list[date] = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        if recurrence.kind == "monthly" and recurrence.by_day is not None:
            nominal.append(min(month.replace(day=1) + timedelta(days=recurrence.by_day - 1), following - timedelta(days=1)))
        elif recurrence.kind == "monthly" and recurrence.part == "end":
            nominal.append(following - timedelta(days=1))
        month = following
    if recurrence.kind == "termly":
        nominal.append(term.end)
    if recurrence.weekdays and any(word in title for word in DELIVERABLE):
        nominal += [first + timedelta(days=i) for i in range((last - first).days + 1)
                    if (first + timedelta(days=i)).weekday() in recurrence.weekdays]
    # Due on a weekend or a holiday means due the school day before ("月底前" on a Saturday: Friday).
    due = [d for d in (_school_day_on_or_before(n, term.start, days_off(term)) for n in nominal) if d is not None]
    return next((d for d in sorted(due) if first <= d <= last and term.start <= d <= term.end), None)


def _school_day_on_or_before(day: date, floor: date, off: frozenset[date]) -> date | None:
    while day >= floor:
        if is_school_day(day, off):
            return day
        day -= timedelta(days=1)
    return None


def period_start(recurrence: Recurrence | None, today: date, term: Term | None) -> date | None:
    """Where the current round of a recurring duty began: reports before it are about an earlier round.
    None for a one-off task, whose reports always count."""
    if recurrence is None:
        return None
    kind = recurrence.kind
    if kind == "daily":
        return today
    if kind == "weekly":
        return today - timedelta(days=today.weekday())
    if kind == "biweekly":
        monday = today - timedelta(days=today.weekday())
        anchor = term.start - timedelta(days=term.start.weekday()) if term else date(2000, 1, 3)
        return monday - timedelta(weeks=((monday - anchor).days // 7) % 2)
    if kind == "monthly":
        return today.replace(day=1)
    if kind == "termly" and term is not None:
        return term.start
    return date(today.year, 1, 1) if kind == "yearly" else None


def _monthly_in(recurrence: Recurrence, days: list[date]) -> bool:
    if recurrence.part == "start":
        return any(day.day <= 10 for day in days)
    if recurrence.part == "end":
        return any(day.day >= 21 for day in days)
    if recurrence.by_day is not None:
        return any(day.day <= recurrence.by_day for day in days)
    return (days[-1] - days[0]).days >= 20 or any(day.day <= 3 for day in days)


def _sunday(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())
