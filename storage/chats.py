"""Which school a chat belongs to, and the schools there are."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from .db import Database
from .models import ChatGroup, Member, MemberRole, School


def school_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(School)).scalar_one()


def school_names(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(School.name).order_by(School.name)).scalars())


def find_school(db: Database, name: str) -> int | None:
    """By exact name, else the one school whose name contains the words given."""
    with db.engine.connect() as conn:
        exact = conn.execute(select(School.id).where(School.name == name)).scalar()
        if exact is not None:
            return exact
        partial = list(conn.execute(select(School.id).where(School.name.contains(name, autoescape=True))).scalars())
        return partial[0] if len(partial) == 1 else None


def school_of_chat(db: Database, platform: str, conversation_id: str) -> int | None:
    with db.engine.connect() as conn:
        return conn.execute(
            select(ChatGroup.school_id).where(ChatGroup.platform == platform, ChatGroup.conversation_id == conversation_id)
        ).scalar()


def link_chat(db: Database, platform: str, conversation_id: str, name: str, school_id: int) -> None:
    with db.transaction() as s:
        chat = s.scalar(select(ChatGroup).where(ChatGroup.platform == platform, ChatGroup.conversation_id == conversation_id))
        if chat is None:
            chat = ChatGroup(platform=platform, conversation_id=conversation_id, name=name, settings={})
            s.add(chat)
        chat.school_id = school_id


@dataclass(frozen=True)
class RobotGroupRow:
    id: int
    school_id: int | None
    platform: str
    name: str
    webhook_url: str
    webhook_secret: str | None
    settings: dict


def sync_robot_groups(db: Database, school_id: int, groups) -> None:
    """Create or update the configured robot groups (objects with name, platform, webhook, secret)."""
    with db.transaction() as s:
        for group in groups:
            key = f"robot:{group.name}"
            row = s.scalar(select(ChatGroup).where(ChatGroup.platform == group.platform, ChatGroup.conversation_id == key))
            if row is None:
                row = ChatGroup(platform=group.platform, conversation_id=key, settings={})
                s.add(row)
            row.name, row.school_id, row.is_active = group.name, school_id, True
            row.webhook_url, row.webhook_secret = group.webhook, group.secret or None


def robot_groups(db: Database) -> list[RobotGroupRow]:
    with db.transaction() as s:
        rows = s.scalars(select(ChatGroup).where(ChatGroup.is_active.is_(True), ChatGroup.webhook_url.is_not(None)).order_by(ChatGroup.id))
        return [RobotGroupRow(r.id, r.school_id, r.platform, r.name, r.webhook_url, r.webhook_secret, dict(r.settings or {})) for r in rows]


@dataclass(frozen=True)
class Person:
    name: str
    mobile: str | None
    dingtalk_user_id: str | None
    wecom_user_id: str | None


def people_for_owner(db: Database, school_id: int, owner: str) -> list[Person]:
    """Members a plan owner names: those holding the role (班主任) or in the department (教务处)."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(Member.name, Member.mobile, Member.dingtalk_user_id, Member.wecom_user_id).distinct()
            .outerjoin(MemberRole, MemberRole.member_id == Member.id)
            .where(Member.school_id == school_id)
            .where((MemberRole.role == owner) | (Member.department == owner))
            .order_by(Member.name)
        )
        return [Person(*row) for row in rows]
