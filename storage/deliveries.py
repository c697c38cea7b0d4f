"""The reminder ledger: each (reminder, occurrence, group) is one row, recorded once and sent at most once.

A row is marked `sending` before its push and `sent` after. After a crash, rows
still `sending` are the pushes that were in flight: they are sent again, which is
the one duplicate no webhook lets anyone rule out. Aware datetimes in, naive UTC stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import ReminderDelivery, SchedulerMark


@dataclass(frozen=True)
class NewDelivery:
    dedupe_key: str
    kind: str
    task_id: int | None
    chat_id: int
    occurrence: date
    due_at: datetime
    detail: str | None = None


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    dedupe_key: str
    kind: str
    task_id: int | None
    chat_id: int
    occurrence: date
    due_at: datetime
    state: str
    attempts: int
    detail: str | None = None


def record(db: Database, deliveries: list[NewDelivery]) -> int:
    """Add the deliveries the ledger does not hold yet; returns how many were new."""
    if not deliveries:
        return 0
    keys = [d.dedupe_key for d in deliveries]
    with db.transaction() as s:
        known = set(s.scalars(select(ReminderDelivery.dedupe_key).where(ReminderDelivery.dedupe_key.in_(keys))))
    added = 0
    for delivery in deliveries:
        if delivery.dedupe_key in known:
            continue
        try:
            with db.transaction() as s:
                s.add(ReminderDelivery(
                    dedupe_key=delivery.dedupe_key, kind=delivery.kind, task_id=delivery.task_id, chat_id=delivery.chat_id,
                    occurrence=delivery.occurrence, due_at=_utc(delivery.due_at), state="pending", attempts=0,
                    detail=delivery.detail,
                ))
            added += 1
        except IntegrityError:
            continue  # another scheduler pass recorded it first
    return added


def outstanding(db: Database, now: datetime) -> list[DeliveryRow]:
    """Rows to push now: pending, in flight at a crash, or due for a retry."""
    moment = _utc(now)
    query = (
        select(ReminderDelivery)
        .where(ReminderDelivery.due_at <= moment)
        .where(or_(
            ReminderDelivery.state.in_(("pending", "sending")),
            (ReminderDelivery.state == "retry") & (ReminderDelivery.next_attempt_at <= moment),
        ))
        .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
    )
    with db.transaction() as s:
        return [_row(r) for r in s.scalars(query)]


def mark(db: Database, delivery_id: int, state: str, error: str | None = None, next_attempt: datetime | None = None) -> None:
    values = {"state": state, "last_error": error, "next_attempt_at": _utc(next_attempt) if next_attempt else None}
    if state == "sending":
        values["attempts"] = ReminderDelivery.attempts + 1
    if state == "sent":
        values["sent_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
    with db.transaction() as s:
        s.execute(update(ReminderDelivery).where(ReminderDelivery.id == delivery_id).values(**values))


def get_mark(db: Database, name: str) -> datetime | None:
    with db.transaction() as s:
        row = s.get(SchedulerMark, name)
        return row.at.replace(tzinfo=timezone.utc) if row else None


def set_mark(db: Database, name: str, at: datetime) -> None:
    with db.transaction() as s:
        row = s.get(SchedulerMark, name)
        if row is None:
            s.add(SchedulerMark(name=name, at=_utc(at)))
        else:
            row.at = _utc(at)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _row(r: ReminderDelivery) -> DeliveryRow:
    return DeliveryRow(r.id, r.dedupe_key, r.kind, r.task_id, r.chat_id, r.occurrence,
                       r.due_at.replace(tzinfo=timezone.utc), r.state, r.attempts, r.detail)


def take_lease(db: Database, name: str, holder: str, now: datetime, seconds: int) -> bool:
    """Hold (or renew) the named lease until now + seconds; False while another live holder has it.

    One conditional UPDATE decides, so two processes racing cannot both win.
    """
    expiry, moment = _utc(now + timedelta(seconds=seconds)), _utc(now)
    with db.transaction() as s:
        taken = s.execute(
            update(SchedulerMark)
            .where(SchedulerMark.name == name, or_(SchedulerMark.holder == holder, SchedulerMark.at < moment))
            .values(holder=holder, at=expiry)
        ).rowcount
    if taken:
        return True
    try:
        with db.transaction() as s:
            if s.get(SchedulerMark, name) is not None:
                return False
            s.add(SchedulerMark(name=name, at=expiry, holder=holder))
        return True
    except IntegrityError:
        return False
