"""Status reports: every report is a new row, never overwritten; states are derived from the history."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from . import chats
from .db import Database
from .models import ChatGroup, StatusReport


@dataclass(frozen=True)
class NewReport:
    task_id: int
    member_id: int
    reported_by_id: int | None
    status: str                  # done | doing | blocked | todo (an undo)
    words: str
    note: str | None = None
    platform: str | None = None
    platform_msg_id: str | None = None
    conversation_id: str | None = None
    reported_at: datetime | None = None   # when the teacher sent it (aware); default now


@dataclass(frozen=True)
class ReportRow:
    task_id: int
    member_id: int
    reported_by_id: int | None
    status: str
    note: str | None
    reported_at: datetime        # aware, UTC


def record_report(db: Database, report: NewReport) -> bool:
    """Store one report; False when this platform message already recorded it (a redelivery)."""
    try:
        with db.transaction() as s:
            chat_id = None
            if report.platform and report.conversation_id:
                chat_id = s.scalar(select(ChatGroup.id).where(*chats.is_conversation(report.platform, report.conversation_id)))
            s.add(StatusReport(task_id=report.task_id, member_id=report.member_id, reported_by_id=report.reported_by_id,
                               chat_id=chat_id, status=report.status, note=report.note, words=report.words[:500],
                               platform=report.platform, platform_msg_id=report.platform_msg_id,
                               reported_at=(report.reported_at or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)))
        return True
    except IntegrityError:
        return False


LATEST = (select(StatusReport.task_id, StatusReport.member_id, StatusReport.reported_by_id, StatusReport.status,
                 StatusReport.note, StatusReport.reported_at)
          .where(StatusReport.task_id.in_(bindparam("task_ids", expanding=True)))
          .order_by(StatusReport.reported_at, StatusReport.id))


def latest_reports(db: Database, task_ids: Iterable[int]) -> dict[int, dict[int, ReportRow]]:
    """For each task, each member's latest report."""
    ids = sorted(set(task_ids))
    latest: dict[int, dict[int, ReportRow]] = {}
    if not ids:
        return latest
    with db.read() as s:
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            rows = s.execute(LATEST, {"task_ids": chunk})
            for task_id, member_id, by, status, note, at in rows:
                latest.setdefault(task_id, {})[member_id] = ReportRow(task_id, member_id, by, status, note,
                                                                      at.replace(tzinfo=timezone.utc))
    return latest


def report_count(db: Database, task_id: int) -> int:
    with db.read() as s:
        return len(s.execute(select(StatusReport.id).where(StatusReport.task_id == task_id)).all())


def recorded(db: Database, platform: str, platform_msg_id: str) -> bool:
    """Whether a report came from this platform message (or event)."""
    with db.read() as s:
        return s.scalar(select(StatusReport.id).where(StatusReport.platform == platform,
                                                      StatusReport.platform_msg_id == platform_msg_id).limit(1)) is not None
