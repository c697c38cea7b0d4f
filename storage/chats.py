"""Which school a chat belongs to, and the schools there are."""
from __future__ import annotations

from sqlalchemy import func, select

from .db import Database
from .models import ChatGroup, School


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
