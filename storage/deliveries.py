"""The reminder ledger: each (reminder, occurrence, group) is one row, recorded once and sent at most once.

A row is marked `sending` before its push and `sent` after. After a crash, rows
still `sending` are the pushes that were in flight: they are sent again, which is
the one duplicate no webhook lets anyone rule out. Aware datetimes in, naive UTC stored.
Callers take the kinds and states (storage.models.ReminderKind, DeliveryState) from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import bindparam, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import DeliveryState, ReminderDelivery, ReminderKind, SchedulerMark, naive_utc
from .read_receipts import ReadWatch, watch


@dataclass(frozen=True)
class NewDelivery:
    dedupe_key: str
    kind: ReminderKind
    task_id: int | None
    chat_id: int
    occurrence: date
    due_at: datetime
    detail: str | None = None


@dataclass(frozen=True)
class DeliveryRow(NewDelivery):
    """A delivery as the ledger holds it: what was recorded, with its id, state and attempts so far."""
    id: int = field(kw_only=True)
    state: DeliveryState = field(kw_only=True)
    attempts: int = field(default=0, kw_only=True)


def record(db: Database, deliveries: list[NewDelivery]) -> int:
    """Add the deliveries the ledger does not hold yet, in one transaction; returns how many were new."""
    if not deliveries:
        return 0
    with db.transaction() as s:
        known: set[str] = set()
        keys = [d.dedupe_key for d in deliveries]
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            known |= set(s.scalars(select(ReminderDelivery.dedupe_key).where(ReminderDelivery.dedupe_key.in_(keys[i:i + 500]))))
    fresh = [d for d in deliveries if d.dedupe_key not in known]
    try:
        with db.transaction() as s:
            s.add_all(_new_row(d) for d in fresh)
        return len(fresh)
    except IntegrityError:  # another pass recorded some at the same time: go one by one
        return sum(_record_one(db, d) for d in fresh)


def _record_one(db: Database, delivery: NewDelivery) -> int:
    try:
        with db.transaction() as s:
            s.add(_new_row(delivery))
        return 1
    except IntegrityError:
        return 0


def _new_row(d: NewDelivery) -> ReminderDelivery:
    return ReminderDelivery(dedupe_key=d.dedupe_key, kind=d.kind, task_id=d.task_id, chat_id=d.chat_id, occurrence=d.occurrence,
                            due_at=naive_utc(d.due_at), state=DeliveryState.PENDING, attempts=0, detail=d.detail)


def outstanding(db: Database, now: datetime) -> list[DeliveryRow]:
    """Rows to push now: pending, in flight at a crash, or due for a retry."""
    moment = naive_utc(now)
    with db.read() as s:
        return [_row(r) for r in s.scalars(OUTSTANDING, {"moment": moment})]


# State first, then due time: an index range per open state (ix_reminder_delivery_state_due); sent,
# failed and dropped rows, the whole history, are never read. Built once: this runs every minute.
OUTSTANDING = (
    select(ReminderDelivery)
    .where(ReminderDelivery.state.in_((DeliveryState.PENDING.value, DeliveryState.SENDING.value, DeliveryState.RETRY.value)))
    .where(ReminderDelivery.due_at <= bindparam("moment"))
    .where(or_(ReminderDelivery.state != DeliveryState.RETRY.value, ReminderDelivery.next_attempt_at <= bindparam("moment")))
    .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
)


def mark(db: Database, delivery_id: int, state: DeliveryState, error: str | None = None, next_attempt: datetime | None = None,
         reads: ReadWatch | None = None) -> None:
    """reads: for a sent message whose read status the platform keeps, when to ask for it."""
    values = {"state": state, "last_error": error, "next_attempt_at": naive_utc(next_attempt) if next_attempt else None}
    if state == DeliveryState.SENDING:
        values["attempts"] = ReminderDelivery.attempts + 1
    if state == DeliveryState.SENT:
        values["sent_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
    with db.transaction() as s:
        s.execute(update(ReminderDelivery).where(ReminderDelivery.id == delivery_id).values(**values))
        if reads is not None and state == DeliveryState.SENT:
            watch(s, delivery_id, reads)


def get_mark(db: Database, name: str) -> datetime | None:
    with db.read() as s:
        row = s.get(SchedulerMark, name)
        return row.at.replace(tzinfo=timezone.utc) if row else None


def set_mark(db: Database, name: str, at: datetime) -> None:
    with db.transaction() as s:
        row = s.get(SchedulerMark, name)
        if row is None:
            s.add(SchedulerMark(name=name, at=naive_utc(at)))
        else:
            row.at = naive_utc(at)


def _row(r: ReminderDelivery) -> DeliveryRow:
    return DeliveryRow(r.dedupe_key, ReminderKind(r.kind), r.task_id, r.chat_id, r.occurrence,
                       r.due_at.replace(tzinfo=timezone.utc), r.detail, id=r.id, state=DeliveryState(r.state),
                       attempts=r.attempts)


def take_lease(db: Database, name: str, holder: str, now: datetime, seconds: int) -> bool:
    """Hold (or renew) the named lease until now + seconds; False while another live holder has it.

    One conditional UPDATE decides, so two processes racing cannot both win.
    """
    expiry, moment = naive_utc(now + timedelta(seconds=seconds)), naive_utc(now)
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


def troubled_groups(db: Database, since: datetime) -> list[tuple[int, int, int]]:
    """(chat id, failed, retrying) for each group with reminders that failed or wait for a retry since then."""
    query = (select(ReminderDelivery.chat_id,
                    func.sum(case((ReminderDelivery.state == DeliveryState.FAILED, 1), else_=0)),
                    func.sum(case((ReminderDelivery.state == DeliveryState.RETRY, 1), else_=0)))
             .where(ReminderDelivery.due_at >= naive_utc(since), ReminderDelivery.state.in_((DeliveryState.FAILED, DeliveryState.RETRY)))
             .group_by(ReminderDelivery.chat_id))
    with db.read() as s:
        return [(chat, int(failed or 0), int(retrying or 0)) for chat, failed, retrying in s.execute(query)]
