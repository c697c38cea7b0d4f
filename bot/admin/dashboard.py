"""What the office's home page shows each morning, computed without Flask: today's and this week's
tasks, what is overdue and who has not reported, the reminders of the next 24 hours (from the same
planning as the scheduler), robots that fail, and holidays still to be filled in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import holiday_years, texts
from bot.config import Settings
from bot.progress import SchoolProgress
from bot.reminder_rules.planning import Due
from bot.reminders.passes import upcoming
from bot.task_dates import dated_range, in_force, recurrence_of, recurs_in, term_now_or_next
from storage import chats, deliveries, plans
from storage.db import Database
from storage.deliveries import ReminderKind
from storage.school_calendar import school_terms

OVERDUE_DAYS = 30      # older misses are history, not this morning's work
NAMES_SHOWN = 6


@dataclass(frozen=True)
class Overdue:
    task: plans.TaskRow
    last: date
    tally: str
    waiting: str          # "王芳、李强 等 5 人"


@dataclass(frozen=True)
class Upcoming:
    at: datetime
    group: str
    kind: str
    title: str


@dataclass(frozen=True)
class Dashboard:
    today: date
    today_tasks: tuple
    week_tasks: tuple
    week_routine: tuple
    overdue: tuple[Overdue, ...]
    upcoming: tuple[Upcoming, ...]
    troubled: tuple[tuple[str, int, int], ...]   # group name, failed, retrying
    missing_holiday_years: tuple[int, ...]
    covered_years: tuple[int, int]
    has_terms: bool


def dashboard(settings: Settings, db: Database, school_id: int, now: datetime) -> Dashboard:
    today = now.astimezone(settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    terms = school_terms(db, school_id)
    term = term_now_or_next(terms, today)
    tasks = plans.list_tasks(db, school_id)
    ranged = [(t, dated_range(t, term)) for t in tasks]
    dated = sorted(((t, r) for t, r in ranged if r), key=lambda pair: (pair[1][0], pair[0].number))
    routine = [t for t in tasks if in_force(t, monday, sunday) and recurs_in(recurrence_of(t), monday, sunday, term)]
    return Dashboard(
        today=today,
        today_tasks=tuple(t for t, (first, last) in dated if first <= today <= last),
        week_tasks=tuple(t for t, (first, last) in dated if first <= sunday and last >= monday),
        week_routine=tuple(routine),
        overdue=tuple(_overdue(db, school_id, [(t, r) for t, r in dated if today - timedelta(days=OVERDUE_DAYS) <= r[1] < today],
                               today, term, settings)),
        upcoming=tuple(_upcoming(db, settings, now, school_id, {t.id: t for t in tasks})),
        troubled=tuple(_troubled(db, school_id, now)),
        missing_holiday_years=tuple(holiday_years.awaiting_office(db, school_id, terms)),
        covered_years=holiday_years.covered_span(),
        has_terms=bool(terms),
    )


def _overdue(db: Database, school_id: int, dated, today: date, term, settings: Settings):
    if not dated:
        return
    progress = SchoolProgress(db, school_id, today, term, settings.tz).of([t for t, _ in dated])
    for task, (_first, last) in dated:
        state = progress[task.id]
        if state.is_open or not state.total or state.count("done") == state.total:
            continue   # nobody known to answer for it, or all done
        waiting = [s.unit.label for s in state.states if s.status != "done"]
        more = texts.WAITING_MORE.format(count=len(waiting)) if len(waiting) > NAMES_SHOWN else ""
        shown = texts.LIST_SEPARATOR.join(waiting[:NAMES_SHOWN]) + more
        yield Overdue(task, last, state.tally(), shown)


def _upcoming(db: Database, settings: Settings, now: datetime, school_id: int, tasks: dict):
    # the office's school is the install's own: groups with no school of their own belong to it
    due: list[tuple[Due, str]] = upcoming(now, now + timedelta(hours=24), settings, db, school_id, home_school=school_id)
    for reminder, group in due:
        task = tasks.get(reminder.task_id)
        title = task.title if task else (texts.WEEK_DIGEST if reminder.kind == ReminderKind.DIGEST else "")
        yield Upcoming(reminder.at.astimezone(settings.tz), group or texts.UNNAMED_GROUP, texts.REMINDER_KINDS.get(reminder.kind, reminder.kind),
                       title)


def _troubled(db: Database, school_id: int, now: datetime):
    names = {g.id: g.name for g in chats.school_chats(db, school_id)}
    for chat_id, failed, retrying in deliveries.troubled_groups(db, now - timedelta(days=3)):
        if chat_id in names:
            yield names[chat_id] or texts.UNNAMED_GROUP, failed, retrying
