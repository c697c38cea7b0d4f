"""Corrections the office makes by hand: edit, add, delete and merge tasks.

Every change marks the task `edited_at`, so a later re-import of the plan keeps it
(storage/plans.py). Deleting a task someone reported on hides it instead. The values
come checked (bot/task_edit_rules.py); they are stored as given.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from .db import Database
from .models import Plan, School, StatusReport, Task, utcnow

BY_HAND = "手工添加"   # the plan that holds tasks added on the office's pages


@dataclass(frozen=True)
class TaskChange:
    title: str
    start: date | None = None
    end: date | None = None
    owner: str | None = None
    recurrence: str | None = None


class TaskGone(LookupError):
    """No such current task in the school (deleted meanwhile, or another school's)."""


def update_task(db: Database, school_id: int, task_id: int, change: TaskChange) -> None:
    with db.transaction() as s:
        _apply(_task(s, school_id, task_id), change)


def add_task(db: Database, school_id: int, change: TaskChange) -> int:
    """A task the plan missed; it gets the next number. Returns the number."""
    with db.transaction() as s:
        school = s.scalar(select(School).where(School.id == school_id).with_for_update())
        plan = s.scalar(select(Plan).where(Plan.school_id == school_id, Plan.name == BY_HAND))
        if plan is None:
            plan = Plan(school_id=school_id, name=BY_HAND, source_filename="", checksum="")
            s.add(plan)
            s.flush()
        task = Task(school_id=school_id, plan_id=plan.id, number=school.next_task_number, fingerprint=f"manual:{uuid.uuid4().hex}")
        school.next_task_number += 1
        _apply(task, change)
        s.add(task)
        return task.number


def delete_task(db: Database, school_id: int, task_id: int) -> None:
    with db.transaction() as s:
        task = _task(s, school_id, task_id)
        if s.scalar(select(StatusReport.id).where(StatusReport.task_id == task.id).limit(1)) is not None:
            task.withdrawn_at = task.edited_at = utcnow()   # hidden, its reports kept
        else:
            s.delete(task)


def merge_tasks(db: Database, school_id: int, keep_id: int, other_id: int) -> None:
    """Two lines of the plan that are one task: the other's reports move to the one kept."""
    if keep_id == other_id:
        raise ValueError("merging needs two different tasks")   # merged into itself, the task would be deleted
    with db.transaction() as s:
        keep, other = _task(s, school_id, keep_id), _task(s, school_id, other_id)
        s.execute(update(StatusReport).where(StatusReport.task_id == other.id).values(task_id=keep.id))
        keep.edited_at = utcnow()
        if not keep.quote and other.quote:
            keep.quote = other.quote
        s.delete(other)


def _task(s, school_id: int, task_id: int) -> Task:
    task = s.scalar(select(Task).where(Task.id == task_id, Task.school_id == school_id, Task.withdrawn_at.is_(None)))
    if task is None:
        raise TaskGone(task_id)
    return task


def _apply(task: Task, change: TaskChange) -> None:
    task.title, task.start_date = change.title, change.start
    task.end_date = change.end or change.start   # every dated task has both days: the span queries compare end_date
    task.owner, task.recurrence = change.owner, change.recurrence
    if change.start:
        task.term_anchor, task.week = None, None   # a stored date is what counts: no vague one beside it
    task.edited_at = utcnow()
