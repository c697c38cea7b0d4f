"""What the office's pages keep: sign-in attempts, uploaded plans awaiting review, feed tokens."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from .db import Database
from .models import LoginAttempt, PlanDraft, School, utcnow


def record_login(db: Database, ip: str, ok: bool) -> None:
    with db.transaction() as s:
        s.add(LoginAttempt(ip=ip[:64], ok=ok))
        s.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=30)))


def failed_logins(db: Database, ip: str, since: timedelta) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.ip == ip[:64], LoginAttempt.ok.is_(False), LoginAttempt.at >= utcnow() - since)).scalar_one()


@dataclass(frozen=True)
class Draft:
    id: int
    school_id: int
    filename: str
    data: bytes
    created_at: datetime


def save_draft(db: Database, school_id: int, filename: str, data: bytes) -> int:
    with db.transaction() as s:
        s.execute(delete(PlanDraft).where(PlanDraft.created_at < utcnow() - timedelta(days=2)))   # abandoned reviews
        draft = PlanDraft(school_id=school_id, filename=filename, data=data)
        s.add(draft)
        s.flush()
        return draft.id


def get_draft(db: Database, draft_id: int, school_id: int) -> Draft | None:
    with db.transaction() as s:
        d = s.scalar(select(PlanDraft).where(PlanDraft.id == draft_id, PlanDraft.school_id == school_id))
        return Draft(d.id, d.school_id, d.filename, d.data, d.created_at) if d else None


def drop_draft(db: Database, draft_id: int) -> None:
    with db.transaction() as s:
        s.execute(delete(PlanDraft).where(PlanDraft.id == draft_id))


def feed_token(db: Database, school_id: int, renew: bool = False) -> str:
    with db.transaction() as s:
        school = s.scalar(select(School).where(School.id == school_id).with_for_update())
        if renew or not school.feed_token:
            school.feed_token = secrets.token_urlsafe(24)
        return school.feed_token


def school_by_feed_token(db: Database, token: str) -> int | None:
    if not token:
        return None
    with db.engine.connect() as conn:
        found = conn.execute(select(School.id, School.feed_token).where(School.feed_token == token)).first()
    # compare_digest: the lookup found it, this keeps the final check constant-time
    return found.id if found and secrets.compare_digest(found.feed_token, token) else None
