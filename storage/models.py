"""The schema: schools and their plans' tasks, and the chats, people, reports and
deliveries that the chat, reminder and status features build on.

Times are stored as naive UTC; dates are school-calendar dates in the school's zone.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def naive_utc(moment: datetime) -> datetime:
    """An aware datetime as stored: naive UTC."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _fit_text(mapper, _connection, target) -> None:
    """Every text fits its column and holds no NUL: PostgreSQL refuses both where SQLite would not,
    and an owner of 163 characters or a NUL in a nickname must not fail on one database only."""
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        value = getattr(target, prop.key, None)
        if not isinstance(value, str) or not isinstance(column.type, (String, Text)):
            continue
        cleaned = value.replace("\x00", "")
        length = getattr(column.type, "length", None)
        if length and len(cleaned) > length:
            cleaned = cleaned[:length]
        if cleaned != value:
            setattr(target, prop.key, cleaned)


class School(Base):
    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Task numbers are typed by teachers ("完成 12"); they are never reused within a school.
    next_task_number: Mapped[int] = mapped_column(Integer, default=1)
    # The secret in the calendar feed's URL (/feed/<token>.ics); made on first use, changeable.
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Term(Base):
    __tablename__ = "term"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # Set when the office changes the dates on its page: the config's dates no longer apply.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    source_filename: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    school_year: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    # The days the plan is in force; recurring duties and term anchors apply only within them.
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the office removes the plan: its tasks are gone, but ones with reports stay hidden under it.
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Dates in the plan's text that no task took (bot/plan/unread.py), for the office to check.
    unread_dates: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tasks: Mapped[list[Task]] = relationship(back_populates="plan")


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("school_id", "number"),
        Index("ix_task_school_dates", "school_id", "start_date", "end_date"),
        Index("ix_task_school_span_dates", "school_id", "long_span", "start_date", "end_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Lasts longer than SHORT_TASK (a term's duty, a year's project): a span's read finds these by their own index
    # range, so the short ones, nearly all, are looked for only SHORT_TASK back. Kept by _mark_long_span.
    long_span: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    recurrence: Mapped[str | None] = mapped_column(String(40))
    term_anchor: Mapped[str | None] = mapped_column(String(20))
    week: Mapped[int | None] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    source_line: Mapped[int] = mapped_column(Integer, default=0)
    # Identity across re-imports: an unchanged task keeps its id, number and reports.
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when the office corrects the task by hand: a re-import keeps the correction.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    plan: Mapped[Plan] = relationship(back_populates="tasks")


SHORT_TASK = timedelta(days=62)   # a day, a week, a month or two: nearly every task a plan holds


@event.listens_for(Task, "before_insert")
@event.listens_for(Task, "before_update")
def _mark_long_span(mapper, connection, task: Task) -> None:
    """Every write of a task goes through the ORM (storage/plans.py, storage/task_edits.py): its span is marked here."""
    task.long_span = is_long_span(task.start_date, task.end_date)


def is_long_span(start: date | None, end: date | None) -> bool:
    return start is not None and end is not None and end - start > SHORT_TASK


class ChatGroup(Base):
    """A place the bot talks: a DingTalk/WeCom conversation, a robot webhook, or both."""
    __tablename__ = "chat_group"
    __table_args__ = (UniqueConstraint("platform", "conversation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(20))          # dingtalk | wecom | console
    conversation_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200), default="")
    webhook_url: Mapped[str | None] = mapped_column(Text)
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # reminder times, opt-outs, quiet hours
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("school_id", "dingtalk_user_id"),
        UniqueConstraint("school_id", "wecom_user_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(30))
    dingtalk_user_id: Mapped[str | None] = mapped_column(String(100))
    wecom_user_id: Mapped[str | None] = mapped_column(String(100))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MemberRole(Base):
    """A role that plan owners map to: 班主任 of 三年级, 教研组长 of 数学…"""
    __tablename__ = "member_role"
    __table_args__ = (UniqueConstraint("member_id", "role", "grade", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(50))
    grade: Mapped[str | None] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(20))


class ChatMembership(Base):
    __tablename__ = "chat_membership"
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat_group.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StatusReport(Base):
    """One report, never overwritten: a task's state is derived from the history."""
    __tablename__ = "status_report"
    __table_args__ = (
        Index("ix_status_report_task_member", "task_id", "member_id", "reported_at"),
        # A platform's redelivery of one message records nothing new (NULL ids, as from the console, never clash).
        UniqueConstraint("platform", "platform_msg_id", "task_id", "member_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chat_group.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10))     # done | doing | blocked | todo
    note: Mapped[str | None] = mapped_column(Text)
    words: Mapped[str] = mapped_column(Text, default="")
    platform: Mapped[str | None] = mapped_column(String(20))
    platform_msg_id: Mapped[str | None] = mapped_column(String(200))
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InboundMessage(Base):
    """Every platform message, stored before it is acknowledged: the row is the work queue.

    received → working (claimed, with a lease) → handled; a message whose work died is
    claimed again once its lease runs out. Platforms retry: (platform, msg_id) is unique,
    and a retry of a handled message is dropped.
    """
    __tablename__ = "inbound_message"
    __table_args__ = (UniqueConstraint("platform", "msg_id"), Index("ix_inbound_message_state", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    msg_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="received", server_default="handled")
    payload: Mapped[str | None] = mapped_column(Text)       # the message as JSON, until it is handled
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReminderKind(StrEnum):
    """What a ledger row reminds of; stored as its value."""
    DIGEST = "digest"          # the week's tasks, on its first school day
    EVE = "eve"                # the school day before a short event
    MORNING = "morning"        # the morning of a short event
    DEADLINE = "deadline"      # some days before a longer task ends
    RECURRING = "recurring"    # a routine duty's weekday
    CHASE = "chase"            # a deadline's morning: who has not reported
    ALERT = "alert"            # to the admin group: another group's robot keeps failing
    MISSED = "missed"          # reminders missed while the bot was down, as one note


class DeliveryState(StrEnum):
    """Where a ledger row is on its way out; stored as its value."""
    PENDING = "pending"        # recorded, not tried yet
    SENDING = "sending"        # being pushed: still so after a crash means it was in flight
    SENT = "sent"
    RETRY = "retry"            # throttled, paced or a passing error: tried again at next_attempt_at
    FAILED = "failed"          # an error that will not heal, or too many attempts
    DROPPED = "dropped"        # nothing to say any more: the task left the plan, or everyone reported


class ReminderDelivery(Base):
    """The push ledger: one row per (reminder kind, task, occurrence, group), sent at most once."""
    __tablename__ = "reminder_delivery"
    # What to send each minute is read by state first: the sent history never enters that read.
    __table_args__ = (Index("ix_reminder_delivery_state_due", "state", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))       # a ReminderKind
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat_group.id", ondelete="CASCADE"))
    occurrence: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(DateTime)   # indexed after state: ix_reminder_delivery_state_due
    state: Mapped[str] = mapped_column(String(10), default=DeliveryState.PENDING.value)  # a DeliveryState
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)  # after a throttle or failure
    detail: Mapped[str | None] = mapped_column(Text)  # e.g. how many reminders a "missed while offline" note folds
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReadCheck(Base):
    """A sent group message whose read status DingTalk keeps (the enterprise robot's processQueryKey),
    and when to ask for it: next_at, then later_at (the deadline's morning, before the chase)."""
    __tablename__ = "read_check"
    delivery_id: Mapped[int] = mapped_column(ForeignKey("reminder_delivery.id", ondelete="CASCADE"), primary_key=True)
    receipt_key: Mapped[str] = mapped_column(String(300))
    next_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    later_at: Mapped[datetime | None] = mapped_column(DateTime)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)   # the last answer; None: nothing known yet
    failures: Mapped[int] = mapped_column(Integer, default=0)


class MessageRead(Base):
    """Who has read a tracked message, by the platform's user id (as the roster holds it)."""
    __tablename__ = "message_read"
    delivery_id: Mapped[int] = mapped_column(ForeignKey("reminder_delivery.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SchedulerMark(Base):
    """Named instants the scheduler keeps across restarts: the end of the last dispatch pass,
    and the lease (holder, expiry) that lets only one scheduler process dispatch at a time."""
    __tablename__ = "scheduler_mark"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    holder: Mapped[str | None] = mapped_column(String(100))


class PlanDraft(Base):
    """An uploaded plan shown for review before it is stored: the file itself, until accepted."""
    __tablename__ = "plan_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginAttempt(Base):
    """Sign-in attempts on the office's pages, for rate limiting across all web workers."""
    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class LoginGuard(Base):
    """Failed sign-ins per address in the current window: reserved before the password is checked,
    in one locked step, so simultaneous guesses cannot all pass the limit."""
    __tablename__ = "login_guard"
    ip: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OfficeState(Base):
    """Counters for the office's pages; session_generation ends every session when it moves (logout)."""
    __tablename__ = "office_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class OfficeSetting(Base):
    """What the office sets on its pages instead of in config.yaml: the password's hash, the cookie key,
    the first-run set-up code, the school's name. A value in config.yaml wins (the IT person's word)."""
    __tablename__ = "office_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Holiday(Base):
    """A school's own day off (sports day, exam marking…), besides the national calendar."""
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("school_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(100), default="")
