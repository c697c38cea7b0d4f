"""Query functions for schools, terms, plans and tasks."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, bindparam, case, delete, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import office_settings, school_calendar
from .db import Database
from .models import SHORT_TASK, OfficeSetting, Plan, School, StatusReport, Task, Term, utcnow


@dataclass(frozen=True)
class TaskDraft:
    """A task as extraction found it, before it has a number."""
    title: str
    quote: str
    line: int
    section: str = ""
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None
    term_anchor: str | None = None
    owner: str | None = None
    week: int | None = None


@dataclass(frozen=True)
class PlanImport:
    name: str
    source_filename: str
    checksum: str
    school_year: str | None
    title: str
    items: tuple[TaskDraft, ...]
    valid_from: date | None = None
    valid_to: date | None = None
    unread_dates: int = 0


@dataclass(frozen=True)
class TaskRow:
    id: int
    number: int
    title: str
    start: date | None
    end: date | None
    recurrence: str | None
    term_anchor: str | None
    week: int | None
    owner: str | None
    section: str
    quote: str
    line: int
    valid_from: date | None = None   # the plan's period
    valid_to: date | None = None
    edited: bool = False   # the office corrected it by hand
    plan_name: str = ""


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    name: str
    school_year: str | None
    added: int
    kept: int
    withdrawn: int
    tasks: tuple[TaskRow, ...]


def ensure_school(db: Database, name: str) -> int:
    """The id of the school with this name, created if there is none."""
    try:
        return _ensure_school(db, name)
    except IntegrityError:  # another worker created it at the same instant
        return _ensure_school(db, name)


def _ensure_school(db: Database, name: str) -> int:
    with db.transaction() as s:
        school = s.scalar(select(School).where(School.name == name))
        if school is None:
            school = School(name=name, next_task_number=1)
            s.add(school)
            s.flush()
        return school.id


HOME_SCHOOL = "home_school_id"
EVER_IMPORTED = "plan_ever_imported"   # a removed sample must not come back with the next start
NAMED_BY_OFFICE = "school_named_by_office"


def home_school_id(db: Database) -> int | None:
    """The school pinned as this install's own, while it exists."""
    pinned = pinned_school(db)
    return pinned[0] if pinned else None


def pinned_school(db: Database) -> tuple[int, str] | None:
    """(id, name) of the school pinned as this install's own, in one read; None before the first pin
    or when the pinned school is gone (bot.schools.home_school pins it)."""
    with db.read() as s:
        pinned = s.scalar(select(OfficeSetting.value).where(OfficeSetting.key == HOME_SCHOOL)) or ""
        if not (pinned.isascii() and pinned.isdigit() and len(pinned) <= 10):
            return None
        name = s.scalar(select(School.name).where(School.id == int(pinned)))
    return (int(pinned), name) if name else None


def pin_home_school(db: Database, school_id: int) -> None:
    office_settings.put(db, HOME_SCHOOL, str(school_id))


def named_by_office(db: Database) -> bool:
    return bool(office_settings.get(db, NAMED_BY_OFFICE))


class NameTaken(ValueError):
    """Another school has the name."""


def school_name_taken(db: Database, school_id: int, name: str) -> bool:
    """Whether a school other than this one has the name."""
    with db.read() as s:
        return s.execute(select(School.id).where(School.name == name, School.id != school_id)).first() is not None


def set_school_name(db: Database, school_id: int, name: str, by_office: bool) -> bool:
    """Store the name as given. by_office: marked as the office's in the same transaction, so a writer
    at that instant (or a kill) cannot separate the name from its mark; otherwise written only while no
    such mark exists, checked under the school's row lock. False when not written; NameTaken when
    another school has the name."""
    try:
        with db.transaction() as s:
            school = s.scalar(select(School).where(School.id == school_id).with_for_update())
            if not by_office and s.get(OfficeSetting, NAMED_BY_OFFICE) is not None:
                return False
            school.name = name
            if by_office:
                office_settings.put_in(s, NAMED_BY_OFFICE, "1")
        return True
    except IntegrityError as exc:
        raise NameTaken(name) from exc


def school_name(db: Database, school_id: int) -> str:
    with db.read() as s:
        return s.scalar(select(School.name).where(School.id == school_id)) or ""


def put_terms(db: Database, school_id: int, choose: Callable[[tuple[school_calendar.Term, ...]], Iterable]) -> None:
    """Store the terms that choose(stored terms) returns (objects with name, start, end), by name: a new
    name is added, a known one takes the dates given. choose sees the stored terms inside the same
    transaction, so nothing the office saves meanwhile is overwritten unseen."""
    with db.transaction() as s:
        stored = {t.name: t for t in s.scalars(select(Term).where(Term.school_id == school_id).order_by(Term.start_date))}
        rows = tuple(school_calendar.Term(t.name, t.start_date, t.end_date, edited=t.edited_at is not None) for t in stored.values())
        for spec in choose(rows):
            term = stored.get(spec.name)
            if term is None:
                s.add(Term(school_id=school_id, name=spec.name, start_date=spec.start, end_date=spec.end))
            else:
                term.start_date, term.end_date = spec.start, spec.end


def replace_plan(db: Database, school_id: int, incoming: PlanImport) -> ImportResult:
    """Store a (re-)imported plan in one transaction.

    Tasks whose content is unchanged keep their id and number, so status
    reports stay attached; new tasks get fresh numbers; tasks no longer in the
    plan are deleted, or withdrawn (hidden, kept) when someone reported on them.
    """
    with db.transaction() as s:
        school = s.scalar(select(School).where(School.id == school_id).with_for_update())
        plan = s.scalar(select(Plan).where(Plan.school_id == school_id, Plan.name == incoming.name))
        if plan is None:
            plan = Plan(school_id=school_id, name=incoming.name)
            s.add(plan)
        plan.source_filename, plan.checksum = incoming.source_filename, incoming.checksum
        plan.school_year, plan.title, plan.imported_at = incoming.school_year, incoming.title, utcnow()
        plan.valid_from, plan.valid_to = incoming.valid_from, incoming.valid_to
        plan.unread_dates = incoming.unread_dates
        plan.removed_at = None   # a removed plan imported again is back
        office_settings.put_in(s, EVER_IMPORTED, "1")
        s.flush()
        current = {t.fingerprint: t for t in _active_tasks(s, plan.id)}
        kept = added = 0
        stored: list[Task] = []
        for draft, fingerprint in zip(incoming.items, _fingerprints(incoming.items), strict=False):
            task = current.pop(fingerprint, None)
            if task is None:
                task = Task(school_id=school_id, plan_id=plan.id, number=school.next_task_number, fingerprint=fingerprint)
                school.next_task_number += 1
                s.add(task)
                added += 1
            else:
                kept += 1
            if task.edited_at is None:   # a task the office corrected keeps the correction
                _fill(task, draft)
            stored.append(task)
        # Tasks the office added or corrected by hand stay, whatever the new file says.
        stored += [t for t in current.values() if t.edited_at is not None]
        withdrawn = _retire(s, [t for t in current.values() if t.edited_at is None])
        s.flush()
        return ImportResult(plan.id, plan.name, plan.school_year, added, kept, withdrawn,
                            tuple(_row(t, plan.valid_from, plan.valid_to) for t in stored))


def list_tasks(db: Database, school_id: int, first: date | None = None, last: date | None = None) -> list[TaskRow]:
    """The school's current tasks; with a span, only undated ones and those whose dates touch it.

    Plain columns rather than ORM objects: this runs for every question teachers ask.
    """
    with db.read() as s:
        if first is not None and last is not None:
            rows = s.execute(SCHOOL_TASKS_TOUCHING, {"school_id": school_id, "first": first, "last": last,
                                                     "short_since": first - min(SHORT_TASK, first - date.min),
                                                     "long_since": first - min(LONGEST_TASK, first - date.min)})
            return sorted((TaskRow(*row) for row in rows), key=lambda t: t.number)
        return [TaskRow(*row) for row in s.execute(SCHOOL_TASKS, {"school_id": school_id})]


def tasks_after(db: Database, school_id: int, after: date, until: date, limit: int, after_id: int | None = None) -> list[TaskRow]:
    """Dated tasks starting after `after` and by `until`, soonest first, at most `limit`: what comes next, read
    through the (school, start) index rather than everything to the end of time. after_id pages on: tasks that
    start on `after` itself with a larger id come too."""
    params = {"school_id": school_id, "after": after, "until": until, "limit": limit}
    if after_id is not None:
        params["after_id"] = after_id
    with db.read() as s:
        return [TaskRow(*row) for row in s.execute(SCHOOL_TASKS_AFTER if after_id is None else SCHOOL_TASKS_PAGE, params)]


def list_tasks_marked(db: Database, school_id: int) -> list[TaskRow]:
    """list_tasks() with `edited` and `plan_name` filled, for the office's task list."""
    with db.read() as s:
        return [TaskRow(*row) for row in s.execute(SCHOOL_TASKS_MARKED, {"school_id": school_id})]


@dataclass(frozen=True)
class PlanRow:
    id: int
    name: str
    source_filename: str
    school_year: str | None
    imported_at: datetime
    task_count: int = 0
    unread_dates: int = 0


def list_plans(db: Database, school_id: int) -> list[PlanRow]:
    """The school's plans, newest first, with how many tasks each has; removed plans are not listed."""
    counted = (select(Task.plan_id, func.count(Task.id).label("n")).where(Task.withdrawn_at.is_(None))
               .group_by(Task.plan_id).subquery())
    query = (select(Plan.id, Plan.name, Plan.source_filename, Plan.school_year, Plan.imported_at, func.coalesce(counted.c.n, 0),
                    Plan.unread_dates)
             .outerjoin(counted, counted.c.plan_id == Plan.id)
             .where(Plan.school_id == school_id, Plan.removed_at.is_(None)).order_by(Plan.imported_at.desc(), Plan.id.desc()))
    with db.read() as s:
        return [PlanRow(*row) for row in s.execute(query)]


def ever_imported(db: Database, school_id: int) -> bool:
    """Whether a plan was ever imported into this database (removed ones count)."""
    return bool(office_settings.get(db, EVER_IMPORTED) or list_plans(db, school_id))


def remove_plan(db: Database, school_id: int, plan_id: int) -> str | None:
    """Take a plan and all its tasks away, corrections included; a task someone reported on stays
    hidden with its reports (as when a re-import drops it). Returns the plan's name, None if unknown."""
    with db.transaction() as s:
        plan = s.scalar(select(Plan).where(Plan.id == plan_id, Plan.school_id == school_id, Plan.removed_at.is_(None))
                        .with_for_update())
        if plan is None:
            return None
        _retire(s, _active_tasks(s, plan.id))
        s.flush()
        if s.scalar(select(Task.id).where(Task.plan_id == plan.id).limit(1)) is None:
            s.delete(plan)
        else:
            plan.removed_at = utcnow()
        return plan.name


def get_task(db: Database, task_id: int) -> TaskRow | None:
    query = select(*TASK_COLUMNS, *MARK_COLUMNS).join(Plan, Task.plan_id == Plan.id).where(Task.id == task_id, Task.withdrawn_at.is_(None))
    with db.read() as s:
        row = s.execute(query).first()
    return TaskRow(*row) if row else None


def get_task_by_number(db: Database, school_id: int, number: int) -> TaskRow | None:
    query = (select(*TASK_COLUMNS).join(Plan, Task.plan_id == Plan.id)
             .where(Task.school_id == school_id, Task.number == number, Task.withdrawn_at.is_(None)))
    with db.read() as s:
        row = s.execute(query).first()
    return TaskRow(*row) if row else None


def _active_tasks(s: Session, plan_id: int) -> list[Task]:
    return list(s.scalars(select(Task).where(Task.plan_id == plan_id, Task.withdrawn_at.is_(None))))


def _retire(s: Session, gone: list[Task]) -> int:
    ids = [t.id for t in gone]
    if not ids:
        return 0
    reported = set(s.scalars(select(StatusReport.task_id).where(StatusReport.task_id.in_(ids)).distinct()))
    for task in gone:
        if task.id in reported:
            task.withdrawn_at = utcnow()
    removable = [i for i in ids if i not in reported]
    if removable:
        s.execute(delete(Task).where(Task.id.in_(removable)))
    return len(ids)


def _fingerprints(drafts: tuple[TaskDraft, ...]) -> list[str]:
    """What a task *is*: its words and its time. The same event twice gets two fingerprints."""
    seen: Counter[str] = Counter()
    prints = []
    for d in drafts:
        identity = "|".join(str(v) for v in (d.title, d.start, d.end, d.recurrence, d.term_anchor, d.week))
        seen[identity] += 1
        prints.append(hashlib.sha256(f"{identity}|{seen[identity]}".encode()).hexdigest())
    return prints


def _fill(task: Task, d: TaskDraft) -> None:
    task.title, task.start_date, task.end_date = d.title, d.start, d.end
    task.recurrence, task.term_anchor, task.week = d.recurrence, d.term_anchor, d.week
    task.owner, task.section, task.quote, task.source_line = d.owner, d.section, d.quote, d.line


TASK_COLUMNS = (
    Task.id, Task.number, Task.title, Task.start_date, Task.end_date, Task.recurrence, Task.term_anchor, Task.week,
    Task.owner, Task.section, Task.quote, Task.source_line, Plan.valid_from, Plan.valid_to,
)
# For the office's task list only: how each task came to be (chat questions need neither column).
MARK_COLUMNS = (case((Task.edited_at.is_(None), False), else_=True).label("edited"), Plan.name)

# Built once: list_tasks runs for every question, and building a statement costs more than running it.
SCHOOL_TASKS = (select(*TASK_COLUMNS).join(Plan, Task.plan_id == Plan.id)
                .where(Task.school_id == bindparam("school_id"), Task.withdrawn_at.is_(None)).order_by(Task.number))
SCHOOL_TASKS_MARKED = SCHOOL_TASKS.add_columns(*MARK_COLUMNS)
_LATER = (select(*TASK_COLUMNS).join(Plan, Task.plan_id == Plan.id)
          .where(Task.school_id == bindparam("school_id"), Task.withdrawn_at.is_(None), Task.start_date <= bindparam("until"))
          .order_by(Task.start_date, Task.id).limit(bindparam("limit", type_=Integer)))
SCHOOL_TASKS_AFTER = _LATER.where(Task.start_date > bindparam("after"))
SCHOOL_TASKS_PAGE = _LATER.where(Task.start_date >= bindparam("after"),   # the next page: (start, id) past the cursor
                                 or_(Task.start_date > bindparam("after"), Task.id > bindparam("after_id")))
# A task lasts a school year at most, in practice; two are allowed. The span's read starts there for the long ones
# (storage.models.SHORT_TASK), and SHORT_TASK back for the rest, not at the school's first plan ever: years of old
# plans cost nothing, and the two years before the week only their few long tasks.
LONGEST_TASK = timedelta(days=731)
# Unordered: ordered by number, SQLite would walk the school's (school, number) index, every task of every year,
# instead of the date range; the few rows are sorted after.
# Three index ranges, not one OR (which SQLite answers by reading every task of the school): the undated ones
# (start NULL), and the short and the long ones starting by `last` that end on or after `first`.
_CURRENT = select(*TASK_COLUMNS).join(Plan, Task.plan_id == Plan.id).where(Task.school_id == bindparam("school_id"),
                                                                          Task.withdrawn_at.is_(None))
SCHOOL_TASKS_TOUCHING = union_all(
    _CURRENT.where(Task.start_date.is_(None)),
    *(_CURRENT.where(Task.long_span == long, Task.start_date <= bindparam("last"), Task.start_date >= bindparam(since),
                     Task.end_date >= bindparam("first"))
      for long, since in ((False, "short_since"), (True, "long_since"))))


def _row(t: Task, valid_from: date | None = None, valid_to: date | None = None) -> TaskRow:
    return TaskRow(
        id=t.id, number=t.number, title=t.title, start=t.start_date, end=t.end_date,
        recurrence=t.recurrence, term_anchor=t.term_anchor, week=t.week, owner=t.owner,
        section=t.section, quote=t.quote, line=t.source_line, valid_from=valid_from, valid_to=valid_to,
    )
