"""Which school a chat belongs to, and the schools there are."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from .db import Database
from .models import ChatGroup, ChatMembership, School


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


ROBOT_PREFIX = "robot:"   # conversation ids of the groups configured by webhook


@dataclass(frozen=True)
class ReminderGroupRow:
    """A group reminders go to: through its robot webhook, or (DingTalk) the enterprise robot in the conversation."""
    id: int
    school_id: int | None
    platform: str
    name: str
    webhook_url: str | None
    webhook_secret: str | None
    conversation_id: str | None
    settings: dict


def sync_robot_groups(db: Database, school_id: int, groups) -> None:
    """Create or update the configured robot groups (objects with name, platform, webhook, secret).
    Their reminder settings are left alone: admins change those in chat."""
    with db.transaction() as s:
        for group in groups:
            key = f"{ROBOT_PREFIX}{group.name}"
            row = s.scalar(select(ChatGroup).where(ChatGroup.platform == group.platform, ChatGroup.conversation_id == key))
            if row is None:
                row = ChatGroup(platform=group.platform, conversation_id=key, settings={})
                s.add(row)
            row.name, row.school_id, row.is_active = group.name, school_id, True
            row.webhook_url, row.webhook_secret = group.webhook, group.secret or None


def reminder_groups(db: Database) -> list[ReminderGroupRow]:
    """Webhook groups unless switched off; DingTalk conversations an admin switched on (“开启提醒”)."""
    with db.transaction() as s:
        rows = s.scalars(select(ChatGroup).where(ChatGroup.is_active.is_(True)).order_by(ChatGroup.id))
        found = []
        for r in rows:
            settings = dict(r.settings or {})
            if reminders_on(r.platform, r.webhook_url is not None, settings):
                conversation = None if r.webhook_url else r.conversation_id
                found.append(ReminderGroupRow(r.id, r.school_id, r.platform, r.name, r.webhook_url, r.webhook_secret,
                                              conversation, settings))
        return found


def reminders_on(platform: str, by_webhook: bool, settings: dict) -> bool:
    """Webhook groups were configured to get reminders; a conversation has to be switched on."""
    if by_webhook:
        return settings.get("enabled", True) is not False
    return platform == "dingtalk" and settings.get("enabled") is True


@dataclass(frozen=True)
class ChatRow:
    id: int
    school_id: int | None
    platform: str
    name: str
    conversation_id: str | None
    by_webhook: bool
    settings: dict

    @property
    def reminders_on(self) -> bool:
        return reminders_on(self.platform, self.by_webhook, self.settings)


def _chat_row(r: ChatGroup) -> ChatRow:
    return ChatRow(r.id, r.school_id, r.platform, r.name, r.conversation_id, r.webhook_url is not None, dict(r.settings or {}))


def ensure_chat(db: Database, platform: str, conversation_id: str, name: str, school_id: int | None) -> ChatRow:
    """The row for a conversation the bot is in, created on first need."""
    with db.transaction() as s:
        chat = s.scalar(select(ChatGroup).where(ChatGroup.platform == platform, ChatGroup.conversation_id == conversation_id))
        if chat is None:
            chat = ChatGroup(platform=platform, conversation_id=conversation_id, name=name, school_id=school_id, settings={})
            s.add(chat)
            s.flush()
        elif name and not chat.name:
            chat.name = name
        return _chat_row(chat)


def find_chat_by_name(db: Database, school_id: int, name: str) -> ChatRow | None:
    with db.engine.connect() as conn:
        ids = list(conn.execute(select(ChatGroup.id).where(ChatGroup.name == name, ChatGroup.is_active.is_(True),
                                                           (ChatGroup.school_id == school_id) | ChatGroup.school_id.is_(None))).scalars())
    if len(ids) != 1:
        return None
    with db.transaction() as s:
        return _chat_row(s.get(ChatGroup, ids[0]))


def group_names(db: Database, school_id: int) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(ChatGroup.name).where(ChatGroup.is_active.is_(True), ChatGroup.name != "",
                                                              (ChatGroup.school_id == school_id) | ChatGroup.school_id.is_(None))
                                 .order_by(ChatGroup.name)).scalars())


def update_chat_settings(db: Database, chat_id: int, changes: dict) -> ChatRow:
    """Merge changes into a group's settings, under a row lock so two admins' edits both land."""
    with db.transaction() as s:
        chat = s.scalar(select(ChatGroup).where(ChatGroup.id == chat_id).with_for_update())
        chat.settings = {**(chat.settings or {}), **changes}
        return _chat_row(chat)


def member_ids(db: Database, chat_id: int) -> list[int]:
    """The people seen writing in a group."""
    with db.engine.connect() as conn:
        return list(conn.execute(select(ChatMembership.member_id).where(ChatMembership.chat_id == chat_id)).scalars())


def school_chats(db: Database, school_id: int) -> list[ChatRow]:
    """Every group of the school the bot can reach: webhook groups and conversations it has seen."""
    with db.transaction() as s:
        rows = s.scalars(select(ChatGroup).where(ChatGroup.is_active.is_(True), ChatGroup.platform.in_(("dingtalk", "wecom")),
                                                 (ChatGroup.school_id == school_id) | ChatGroup.school_id.is_(None))
                         .order_by(ChatGroup.name, ChatGroup.id))
        return [_chat_row(r) for r in rows]


def get_chat(db: Database, chat_id: int) -> ChatRow | None:
    with db.transaction() as s:
        row = s.get(ChatGroup, chat_id)
        return _chat_row(row) if row else None
