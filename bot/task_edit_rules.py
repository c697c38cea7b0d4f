"""The office's corrections to tasks (its task pages), checked before storage writes them.

A task needs a name and cannot end before it starts; an owner or rule left blank means none. str() of EditError is the one line in Chinese the page shows.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot import texts
from bot.errors import UserError
from storage import task_edits
from storage.db import Database
from storage.task_edits import TaskChange

TITLE_CHARS = 200


class EditError(UserError):
    """A correction that cannot be made: no title, ends before it starts, the task is gone."""


def checked_change(change: TaskChange) -> TaskChange:
    """The change as it is stored; EditError when it cannot be."""
    title = change.title.strip()
    if not title:
        raise EditError(texts.TASK_TITLE_EMPTY)
    if change.start and change.end and change.end < change.start:
        raise EditError(texts.TASK_ENDS_EARLY)
    return TaskChange(title[:TITLE_CHARS], change.start, change.end, (change.owner or "").strip() or None, change.recurrence or None)


def update_task(db: Database, school_id: int, task_id: int, change: TaskChange) -> None:
    checked = checked_change(change)
    with _still_there():
        task_edits.update_task(db, school_id, task_id, checked)


def add_task(db: Database, school_id: int, change: TaskChange) -> int:
    """A task the plan missed; returns the number it gets."""
    return task_edits.add_task(db, school_id, checked_change(change))


def delete_task(db: Database, school_id: int, task_id: int) -> None:
    with _still_there():
        task_edits.delete_task(db, school_id, task_id)


def merge_tasks(db: Database, school_id: int, keep_id: int, other_id: int) -> None:
    if keep_id == other_id:
        raise EditError(texts.MERGE_SAME_TASK)
    with _still_there():
        task_edits.merge_tasks(db, school_id, keep_id, other_id)


@contextmanager
def _still_there() -> Iterator[None]:
    try:
        yield
    except task_edits.TaskGone as exc:
        raise EditError(texts.TASK_GONE) from exc
