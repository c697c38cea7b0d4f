"""Which reminders fall due, as a pure function of the tasks, a group's settings and a window of time.

Kinds: the weekly digest (first school day of the week), the afternoon before a
short dated event (the last school day before it), the morning of it, deadlines
N days before the end of a task with a span, duties on their weekdays, and on a deadline's
morning a chase of those who have not reported (for tasks whose owner names people). Pushes
that would land on a weekend or public holiday move to a school day; pushes in
quiet hours wait for the morning. No clock, no database: `now` comes in.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.school_days import is_school_day
from bot.task_dates import TaskLike, in_force, in_term, recurrence_of
from storage.deliveries import ReminderKind
from storage.school_calendar import Term

SHORT_EVENT_DAYS = 7   # longer items (a whole month) get deadline reminders instead of eve/morning ones


@dataclass(frozen=True)
class ReminderSettings:
    """One group's choices; every time and lead has a sane default."""
    digest: bool = True
    digest_time: time = time(7, 30)
    eve: bool = True
    eve_time: time = time(16, 0)
    morning: bool = True
    morning_time: time = time(7, 30)
    deadline: bool = True
    deadline_days: tuple[int, ...] = (3, 1)
    deadline_time: time = time(7, 30)
    recurring: bool = True
    recurring_time: time = time(7, 30)
    chase: bool = True               # @ those who have not reported, on a deadline's morning
    chase_time: time = time(8, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)


@dataclass(frozen=True)
class Due:
    kind: ReminderKind       # one of digest, eve, morning, deadline, recurring, chase
    task_id: int | None      # None for the digest
    occurrence: date         # the event day, deadline day or week's Monday it is about
    at: datetime             # when it should be pushed (aware)
    lead_days: int = 0       # for deadlines: how many days before the end

    @property
    def key(self) -> str:
        """Unique per reminder and occurrence; the ledger adds the group."""
        return f"{self.kind}:{self.task_id if self.task_id is not None else '-'}:{self.occurrence.isoformat()}:{self.lead_days}"


class TaskWithId(TaskLike, Protocol):
    id: int


def due_between(tasks: Iterable[TaskWithId], settings: ReminderSettings, start: datetime, end: datetime,
                tz: ZoneInfo, terms: tuple[Term, ...] = (), holidays: frozenset[date] = frozenset(),
                chased: frozenset[int] = frozenset()) -> list[Due]:
    """Every reminder whose push time lies in [start, end). `chased`: the tasks whose late reporters are chased."""
    calendar = _Calendar(tz, settings, holidays)
    first, last = start.astimezone(tz).date() - timedelta(days=40), end.astimezone(tz).date() + timedelta(days=40)
    found: list[Due] = []
    if settings.digest:
        found += _digests(calendar, first, last, terms)
    for task in tasks:
        found += _for_task(task, settings, calendar, first, last, terms)
        if settings.chase and task.id in chased and task.start is not None:
            found += _chase(task, settings, calendar, first, last)
    return sorted((d for d in found if start <= d.at < end), key=lambda d: (d.at, d.key))


def _for_task(task, settings: ReminderSettings, calendar: _Calendar, first: date, last: date, terms) -> list[Due]:
    if task.start is not None:
        end = task.end or task.start
        if end < first or task.start > last:
            return []
        if (end - task.start).days < SHORT_EVENT_DAYS:
            return _event(task, settings, calendar)
        return _deadlines(task, end, settings, calendar) if settings.deadline else []
    if task.recurrence and settings.recurring:
        return _recurring(task, settings, calendar, first, last, terms)
    return []


def _event(task, settings: ReminderSettings, calendar: _Calendar) -> list[Due]:
    reminders = []
    if settings.eve:
        eve = calendar.school_day_before(task.start)
        if eve is not None:
            reminders.append(Due(ReminderKind.EVE, task.id, task.start, calendar.at(eve, settings.eve_time)))
    if settings.morning:
        reminders.append(Due(ReminderKind.MORNING, task.id, task.start, calendar.at(task.start, settings.morning_time)))
    return reminders


def _deadlines(task, end: date, settings: ReminderSettings, calendar: _Calendar) -> list[Due]:
    reminders = []
    for lead in settings.deadline_days:
        day = calendar.school_day_on_or_before(end - timedelta(days=lead))
        if day is not None and day >= task.start:
            reminders.append(Due(ReminderKind.DEADLINE, task.id, end, calendar.at(day, settings.deadline_time), lead_days=lead))
    return reminders


def _chase(task, settings: ReminderSettings, calendar: _Calendar, first: date, last: date) -> list[Due]:
    end = task.end or task.start
    day = calendar.school_day_on_or_before(end)
    if day is None or not first <= end <= last or day < task.start:
        return []
    return [Due(ReminderKind.CHASE, task.id, end, deadline_morning(end, settings, calendar.tz, calendar.holidays))]


def deadline_morning(end: date, settings: ReminderSettings, tz: ZoneInfo, holidays: frozenset[date]) -> datetime | None:
    """When a task ending on `end` is chased: the school day on or before it, at the chase time."""
    calendar = _Calendar(tz, settings, holidays)
    day = calendar.school_day_on_or_before(end)
    return calendar.at(day, settings.chase_time) if day is not None else None


def _recurring(task, settings: ReminderSettings, calendar: _Calendar, first: date, last: date, terms) -> list[Due]:
    recurrence = recurrence_of(task)
    if recurrence is None or recurrence.kind != "weekly" or not recurrence.weekdays:
        return []  # daily and unspecified duties are in the digest; reminding them daily is noise
    wanted = set(recurrence.weekdays)
    reminders = []
    day = first
    while day <= last:
        if day.weekday() in wanted and calendar.is_school_day(day) and in_term(terms, day) and in_force(task, day, day):
            reminders.append(Due(ReminderKind.RECURRING, task.id, day, calendar.at(day, settings.recurring_time)))
        day += timedelta(days=1)
    return reminders


def _digests(calendar: _Calendar, first: date, last: date, terms) -> list[Due]:
    digests = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        week = [monday + timedelta(days=i) for i in range(7)]
        school_day = next((d for d in week if calendar.is_school_day(d) and in_term(terms, d)), None)
        if school_day is not None:
            digests.append(Due(ReminderKind.DIGEST, None, monday, calendar.at(school_day, calendar.settings.digest_time)))
        monday += timedelta(weeks=1)
    return digests


class _Calendar:
    def __init__(self, tz: ZoneInfo, settings: ReminderSettings, holidays: frozenset[date]) -> None:
        self.tz, self.settings, self.holidays = tz, settings, holidays

    def is_school_day(self, day: date) -> bool:
        return is_school_day(day, self.holidays)

    def school_day_before(self, day: date) -> date | None:
        return self.school_day_on_or_before(day - timedelta(days=1))

    def school_day_on_or_before(self, day: date, limit: int = 14) -> date | None:
        for back in range(limit):
            candidate = day - timedelta(days=back)
            if self.is_school_day(candidate):
                return candidate
        return None

    def at(self, day: date, clock: time) -> datetime:
        """The push time, moved out of quiet hours to the morning after."""
        quiet_start, quiet_end = self.settings.quiet_start, self.settings.quiet_end
        if clock >= quiet_start:
            day, clock = day + timedelta(days=1), quiet_end
        elif clock < quiet_end:
            clock = quiet_end
        return datetime.combine(day, clock, tzinfo=self.tz)
