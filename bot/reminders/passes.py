"""One dispatch pass: which reminders each group should get between the last pass and now.

Reminders due within the grace window (default 2 hours) are recorded for sending;
older ones, missed while the bot was down, are folded into one short note per
group instead of a flood. The end of each pass is remembered in the database.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import texts
from bot.config import Settings
from bot.context import ChatContext
from bot.progress import SchoolProgress
from bot.reminder_rules.planning import Due, ReminderSettings, due_between
from bot.reminder_rules.setting_words import reminder_settings
from bot.reminders.groups import reminder_groups
from bot.reminders.messages import render
from bot.schools import home_school as install_school
from storage import deliveries, plans
from storage import school_calendar as calendar_store
from storage.db import Database
from storage.deliveries import DeliveryRow, DeliveryState, NewDelivery, ReminderKind

log = logging.getLogger(__name__)
GRACE = timedelta(hours=2)
LOOKBACK = timedelta(days=7)   # a bot down longer than this does not dig further back
LAST_PASS = "last_pass"


@dataclass(frozen=True)
class PassPlan:
    start: datetime
    now: datetime
    deliveries: tuple[NewDelivery, ...]
    group_names: dict[int, str]


def plan_pass(now: datetime, settings: Settings, db: Database) -> PassPlan:
    last = deliveries.get_mark(db, LAST_PASS)
    start = max(last or now - GRACE, now - LOOKBACK)
    planned: list[NewDelivery] = []
    names: dict[int, str] = {}
    for group, due in _due_by_group(start, now + timedelta(seconds=1), settings, db):
        fresh = [d for d in due if d.at >= now - GRACE]
        missed = len(due) - len(fresh)
        planned += [_delivery(d, group.id) for d in fresh]
        if missed:
            planned.append(NewDelivery(f"missed:{group.id}:{now.isoformat()}", ReminderKind.MISSED, None, group.id,
                                       now.astimezone(settings.tz).date(), now, detail=str(missed)))
        names[group.id] = group.name
    return PassPlan(start, now, tuple(planned), names)


def upcoming(now: datetime, until: datetime, settings: Settings, db: Database, school_id: int,
             home_school: int | None = None) -> list[tuple[Due, str]]:
    """The reminders the scheduler will plan between now and until for one school's groups, with each
    group's name, by time: what the office's home page shows, from the same planning as the passes.
    home_school: the install's own school when the caller has looked it up already."""
    default_school = install_school(db, settings.school) if home_school is None else home_school
    found = [(d, group.name) for group, due in _due_by_group(now, until, settings, db, default_school)
             if (group.school_id or default_school) == school_id for d in due]
    return sorted(found, key=lambda pair: (pair[0].at, pair[1]))


def _due_by_group(start: datetime, end: datetime, settings: Settings, db: Database, default_school: int | None = None):
    """(group, the reminders due to it in [start, end)) for every group that gets reminders."""
    if default_school is None:
        default_school = install_school(db, settings.school)
    tasks_by_school: dict[int, list] = {}
    chased_by_school: dict[int, frozenset[int]] = {}
    calendar_by_school: dict[int, tuple] = {}
    due_by_choice: dict[tuple, list[Due]] = {}   # groups of one school with the same settings get the same plan
    read_settings: dict[str, ReminderSettings] = {}   # most groups share their settings: each is read once
    for group in reminder_groups(db, settings.wecom_bot.long_connection):
        school = group.school_id or default_school
        raw = json.dumps(group.settings, sort_keys=True) if group.settings else ""
        if raw not in read_settings:
            read_settings[raw] = reminder_settings(group.settings)
        choice = (school, read_settings[raw])
        if choice not in due_by_choice:
            if school not in tasks_by_school:
                tasks_by_school[school] = plans.list_tasks(db, school)
                chased_by_school[school] = _chased(tasks_by_school[school], SchoolProgress(db, school))
                calendar_by_school[school] = school_calendar(settings, db, school)
            terms, holidays = calendar_by_school[school]
            due_by_choice[choice] = due_between(tasks_by_school[school], choice[1], start, end,
                                                settings.tz, terms, holidays, chased_by_school[school])
        yield group, due_by_choice[choice]


def _chased(tasks, school: SchoolProgress) -> frozenset[int]:
    """Dated tasks whose owner names people one by one (a role): each of them is expected to report."""
    return frozenset(t.id for t in tasks if t.start is not None and t.owner
                     and any(not unit.is_department for unit in school.units(t.owner)))


def school_calendar(settings: Settings, db: Database, school_id: int) -> tuple[tuple, frozenset]:
    """A school's terms as the office keeps them, and its days off: the config's and the office's."""
    own = {day for day, _name in calendar_store.school_holidays(db, school_id)}
    return calendar_store.school_terms(db, school_id), frozenset(settings.holidays) | own


def record_pass(plan: PassPlan, db: Database) -> int:
    added = deliveries.record(db, list(plan.deliveries))
    deliveries.set_mark(db, LAST_PASS, plan.now)
    return added


def _delivery(due: Due, group_id: int) -> NewDelivery:
    return NewDelivery(f"{due.key}:{group_id}", due.kind, due.task_id, group_id, due.occurrence, due.at,
                       detail=str(due.lead_days) if due.lead_days else None)


def preview(plan: PassPlan, settings: Settings, db: Database) -> list[str]:
    """One line per delivery a pass would make, in the words it would send (for --dry-run)."""
    default_school = install_school(db, settings.school)
    groups = reminder_groups(db, settings.wecom_bot.long_connection)
    schools = {g.id: g.school_id or default_school for g in groups}
    platforms = {g.id: g.platform for g in groups}
    terms_by_school: dict[int, tuple] = {}
    lines = []
    for d in plan.deliveries:
        row = DeliveryRow(**vars(d), id=0, state=DeliveryState.PENDING)
        task = plans.get_task(db, d.task_id) if d.task_id else None
        platform = platforms[d.chat_id]
        school = schools[d.chat_id]
        if school not in terms_by_school:
            terms_by_school[school] = school_calendar(settings, db, school)[0]
        terms = terms_by_school[school]
        reply = render(row, task, ChatContext(db, schools[d.chat_id], d.occurrence, terms, tz=settings.tz), platform)
        first_line = (reply.markdown.splitlines()[0] if reply else texts.REMIND_TASK_GONE).lstrip("# ")
        lines.append(f"{d.due_at.astimezone(settings.tz):%m-%d %H:%M}  {plan.group_names[d.chat_id]}  {d.kind:<9} {first_line}")
    return lines
