"""What the office's pages keep: sign-in attempts, uploaded plans awaiting review, feed tokens, the install's id."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import LoginAttempt, LoginGuard, OfficeState, PlanDraft, School, utcnow


def record_login(db: Database, ip: str, ok: bool) -> None:
    with db.transaction() as s:
        s.add(LoginAttempt(ip=ip[:64], ok=ok))
        s.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=30)))


def reserve_attempt(db: Database, ip: str, limit: int, window: timedelta) -> bool:
    """Count this attempt as failed before the password is checked, in one locked step; False when the
    address has used up its attempts in the window. A right password gives its attempt back."""
    ip = ip[:64]
    for _ in range(2):   # the first attempt from an address may race another to create its row
        try:
            with db.transaction() as s:
                guard = s.scalar(select(LoginGuard).where(LoginGuard.ip == ip).with_for_update())
                if guard is None:
                    s.add(LoginGuard(ip=ip, failures=1, window_start=utcnow()))
                    return True
                if guard.window_start < utcnow() - window:
                    guard.failures, guard.window_start = 0, utcnow()
                if guard.failures >= limit:
                    return False
                guard.failures += 1
                return True
        except IntegrityError:
            continue
    return False


def give_back_attempt(db: Database, ip: str) -> None:
    with db.transaction() as s:
        guard = s.get(LoginGuard, ip[:64])
        if guard is not None:
            guard.failures = 0


def session_generation(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(OfficeState.value).where(OfficeState.key == "session_generation")).scalar() or 0


def end_all_sessions(db: Database) -> None:
    for _ in range(2):
        try:
            with db.transaction() as s:
                state = s.get(OfficeState, "session_generation", with_for_update=True)
                if state is None:
                    s.add(OfficeState(key="session_generation", value=1))
                else:
                    state.value += 1
            return
        except IntegrityError:
            continue


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
    with db.read() as s:
        d = s.scalar(select(PlanDraft).where(PlanDraft.id == draft_id, PlanDraft.school_id == school_id))
        return Draft(d.id, d.school_id, d.filename, d.data, d.created_at) if d else None


def drop_draft(db: Database, draft_id: int) -> None:
    with db.transaction() as s:
        s.execute(delete(PlanDraft).where(PlanDraft.id == draft_id))


def feed_token(db: Database, school_id: int, renew: bool = False) -> str:
    if not renew:   # the common case reads: the token is made once
        with db.read() as s:
            token = s.scalar(select(School.feed_token).where(School.id == school_id))
        if token:
            return token
    with db.transaction() as s:
        school = s.scalar(select(School).where(School.id == school_id).with_for_update())
        if renew or not school.feed_token:
            school.feed_token = secrets.token_urlsafe(24)
        return school.feed_token


def school_by_feed_token(db: Database, token: str) -> int | None:
    if not token:
        return None
    with db.read() as s:
        found = s.execute(select(School.id, School.feed_token).where(School.feed_token == token)).first()
    # compare_digest: the lookup found it, this keeps the final check constant-time
    return found.id if found and secrets.compare_digest(found.feed_token, token) else None


INSTALL_ID = "install_id"


def install_id(db: Database) -> int:
    """A random number drawn once per database and kept: it tells this install's calendar events from
    another's. Two workers may race to draw it; the one whose insert loses reads the winner's."""
    for _ in range(3):
        with db.read() as s:
            found = s.execute(select(OfficeState.value).where(OfficeState.key == INSTALL_ID)).scalar()
        if found is not None:
            return found
        drawn = secrets.randbits(32) - 2**31   # the column is a 32-bit INTEGER on PostgreSQL: use all of it
        try:
            with db.transaction() as s:
                s.add(OfficeState(key=INSTALL_ID, value=drawn))
            return drawn
        except IntegrityError:
            continue
    raise RuntimeError("install id neither found nor created")
