"""Read receipts of the enterprise robot's group messages: which sent rows to ask DingTalk about, when,
and who it says has read them. Aware datetimes in, naive UTC stored (as the ledger)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from .db import Database
from .models import ChatGroup, MessageRead, ReadCheck, ReminderDelivery, naive_utc

MAX_FAILURES = 5          # then the row is asked no more: what it had stays
CHUNK = 500               # under SQLite's bound-parameter limit


@dataclass(frozen=True)
class DueCheck:
    delivery_id: int
    receipt_key: str
    conversation_id: str      # the group's openConversationId
    later_at: datetime | None
    failures: int


@dataclass(frozen=True)
class ReadWatch:
    """A sent message to ask about: its key, at `first`, and again at `later` (None: once)."""
    receipt_key: str
    first: datetime
    later: datetime | None = None


def watch(session, delivery_id: int, what: ReadWatch) -> None:
    """Inside the transaction that marks the row sent, so a sent row is never left unwatched by a crash."""
    later = naive_utc(what.later) if what.later is not None and what.later > what.first else None
    session.merge(ReadCheck(delivery_id=delivery_id, receipt_key=what.receipt_key[:300], next_at=naive_utc(what.first),
                          later_at=later, failures=0))


def due(db: Database, now: datetime, limit: int) -> list[DueCheck]:
    query = (select(ReadCheck, ChatGroup.conversation_id)
             .join(ReminderDelivery, ReminderDelivery.id == ReadCheck.delivery_id)
             .join(ChatGroup, ChatGroup.id == ReminderDelivery.chat_id)
             .where(ReadCheck.next_at <= naive_utc(now))
             .order_by(ReadCheck.next_at).limit(limit))
    with db.read() as s:
        return [DueCheck(c.delivery_id, c.receipt_key, conversation or "",
                         c.later_at.replace(tzinfo=timezone.utc) if c.later_at else None, c.failures)
                for c, conversation in s.execute(query)]


def answered(db: Database, check: DueCheck, user_ids: Iterable[str], now: datetime) -> int:
    """Store who has read it (ids are only ever added) and move to the later check, if one is left."""
    moment = naive_utc(now)
    later = naive_utc(check.later_at) if check.later_at is not None and check.later_at > now else None
    with db.transaction() as s:
        known = set(s.scalars(select(MessageRead.user_id).where(MessageRead.delivery_id == check.delivery_id)))
        fresh = sorted({u[:100] for u in user_ids if isinstance(u, str) and u} - known)
        s.add_all(MessageRead(delivery_id=check.delivery_id, user_id=u, seen_at=moment) for u in fresh)
        s.execute(update(ReadCheck).where(ReadCheck.delivery_id == check.delivery_id)
                  .values(checked_at=moment, next_at=later, later_at=None, failures=0))
    return len(fresh)


def failed(db: Database, check: DueCheck, now: datetime, retry: bool) -> None:
    """Ask again later with a growing delay, but never past the later check; give up after MAX_FAILURES."""
    failures = check.failures + 1
    again = now + timedelta(minutes=10 * 2 ** check.failures) if retry and failures < MAX_FAILURES else None
    if check.later_at is not None and (again is None or again > check.later_at):
        again, later = check.later_at, None   # the deadline's morning is still worth asking
    else:
        later = check.later_at
    with db.transaction() as s:
        s.execute(update(ReadCheck).where(ReadCheck.delivery_id == check.delivery_id)
                  .values(next_at=naive_utc(again) if again else None, later_at=naive_utc(later) if later else None,
                          failures=failures))


def reads(db: Database, task_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Per task, the user ids seen reading any of its tracked messages; a task is present once DingTalk
    has answered for it."""
    ids = sorted(set(task_ids))
    by_task: dict[int, set[str]] = defaultdict(set)
    with db.read() as s:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            answered_tasks = s.scalars(
                select(ReminderDelivery.task_id).distinct()
                .join(ReadCheck, ReadCheck.delivery_id == ReminderDelivery.id)
                .where(ReminderDelivery.task_id.in_(chunk), ReadCheck.checked_at.is_not(None)))
            for task_id in answered_tasks:
                by_task[task_id]
            rows = s.execute(select(ReminderDelivery.task_id, MessageRead.user_id)
                             .join(MessageRead, MessageRead.delivery_id == ReminderDelivery.id)
                             .where(ReminderDelivery.task_id.in_(chunk)))
            for task_id, user_id in rows:
                by_task[task_id].add(user_id)
    return {task: frozenset(users) for task, users in by_task.items()}
