"""Which school a chat belongs to, and the schools there are."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import office_settings
from .db import Database
from .models import ChatGroup, ChatMembership, School


def school_count(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(School)).scalar_one()


def school_names(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(School.name).order_by(School.name)))


def find_school(db: Database, name: str) -> int | None:
    """By exact name, else the one school whose name contains the words given."""
    with db.read() as s:
        exact = s.scalar(select(School.id).where(School.name == name))
        if exact is not None:
            return exact
        partial = list(s.scalars(select(School.id).where(School.name.contains(name, autoescape=True))))
        return partial[0] if len(partial) == 1 else None


def school_of_chat(db: Database, platform: str, conversation_id: str) -> int | None:
    with db.read() as s:
        return s.scalar(select(ChatGroup.school_id).where(*is_conversation(platform, conversation_id)))


def link_chat(db: Database, platform: str, conversation_id: str, name: str, school_id: int) -> None:
    with db.transaction() as s:
        chat_in(s, platform, conversation_id, name=name).school_id = school_id


ROBOT_PREFIX = "robot:"   # conversation ids of the groups configured by webhook
# The WeCom app's one-to-one reminders, kept as a group of their own so the ledger, the pacing and the office's
# settings page treat them like any group's. A WeCom userid has no colon, so no conversation can take this id.
APP_CHANNEL = "app:private"


def is_app_channel(platform: str, conversation_id: str | None, by_webhook: bool) -> bool:
    return not by_webhook and platform == "wecom" and conversation_id == APP_CHANNEL


CONFIGURED_GROUPS = "configured_groups_digest"   # office_settings: the config's groups last written
APP_CHANNEL_SETTINGS = {"enabled": True, "digest": False, "eve": False, "morning": False, "recurring": False}


@dataclass(frozen=True)
class ReminderGroupRow:
    """An active group: reached through its robot webhook, or (DingTalk) by the enterprise robot in the conversation."""
    id: int
    school_id: int | None
    platform: str
    name: str
    webhook_url: str | None
    webhook_secret: str | None
    conversation_id: str | None   # None for a webhook group
    settings: dict

    @property
    def by_webhook(self) -> bool:
        return self.webhook_url is not None

    @property
    def by_app(self) -> bool:
        """The WeCom app's one-to-one reminders (APP_CHANNEL), sent to each person the reminder concerns."""
        return is_app_channel(self.platform, self.conversation_id, self.by_webhook)


def sync_configured_groups(db: Database, school_id: int, groups, app_channel: bool, app_name: str) -> bool:
    """The groups the config names, written only when the config has changed since (a digest of it is kept with
    them): a pass over thousands of groups every minute must not rewrite them all. False when nothing changed."""
    digest = hashlib.sha256(json.dumps([school_id, [(g.name, g.platform, g.webhook, g.secret or "") for g in groups],
                                        app_channel, app_name], ensure_ascii=False).encode()).hexdigest()
    if office_settings.get(db, CONFIGURED_GROUPS) == digest:
        return False
    with db.transaction() as s:
        _sync_robots(s, school_id, groups)
        _sync_app_channel(s, school_id, app_channel, app_name)
        office_settings.put_in(s, CONFIGURED_GROUPS, digest)
    return True


def sync_robot_groups(db: Database, school_id: int, groups) -> None:
    """Create or update the configured robot groups (objects with name, platform, webhook, secret).
    Their reminder settings are left alone: admins change those in chat."""
    with db.transaction() as s:
        _sync_robots(s, school_id, groups)


def _sync_robots(s: Session, school_id: int, groups) -> None:
    """One read of the robot groups there are, not one per configured group."""
    existing = {(r.platform, r.conversation_id): r
                for r in s.scalars(select(ChatGroup).where(ChatGroup.conversation_id.startswith(ROBOT_PREFIX)))}
    for group in groups:
        key = (group.platform, f"{ROBOT_PREFIX}{group.name}")
        row = existing.get(key)
        if row is None:
            row = existing[key] = ChatGroup(platform=key[0], conversation_id=key[1], settings={})
            s.add(row)
        row.name, row.school_id, row.is_active = group.name, school_id, True
        row.webhook_url, row.webhook_secret = group.webhook, group.secret or None


def _sync_app_channel(s: Session, school_id: int, on: bool, name: str) -> None:
    """The WeCom app's one-to-one reminders: created on first need with deadlines and chases only (the office
    may change that), kept active while `on`, never deleted (its ledger rows stay)."""
    row = s.scalar(select(ChatGroup).where(*is_conversation("wecom", APP_CHANNEL)))
    if row is None and not on:
        return
    if row is None:
        row = ChatGroup(platform="wecom", conversation_id=APP_CHANNEL, name=name, settings=dict(APP_CHANNEL_SETTINGS))
        s.add(row)
    row.school_id, row.is_active = school_id, on


def active_groups(db: Database) -> list[ReminderGroupRow]:
    """Every active group, by id; which of them get reminders is bot.reminder_rules.groups' to say."""
    with db.read() as s:   # plain columns: every pass reads every group, thousands in a district
        rows = s.execute(ACTIVE_GROUPS)
        return [ReminderGroupRow(r.id, r.school_id, r.platform, r.name, r.webhook_url, r.webhook_secret,
                                 None if r.webhook_url else r.conversation_id, r.settings or {}) for r in rows]


ACTIVE_GROUPS = (select(ChatGroup.id, ChatGroup.school_id, ChatGroup.platform, ChatGroup.name, ChatGroup.webhook_url,
                        ChatGroup.webhook_secret, ChatGroup.conversation_id, ChatGroup.settings)
                 .where(ChatGroup.is_active.is_(True)).order_by(ChatGroup.id))


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
    def by_app(self) -> bool:
        return is_app_channel(self.platform, self.conversation_id, self.by_webhook)


def _chat_row(r: ChatGroup) -> ChatRow:
    return ChatRow(r.id, r.school_id, r.platform, r.name, r.conversation_id, r.webhook_url is not None, dict(r.settings or {}))


def ensure_chat(db: Database, platform: str, conversation_id: str, name: str, school_id: int | None) -> ChatRow:
    """The row for a conversation the bot is in, created on first need; a name is kept once known."""
    with db.transaction() as s:
        chat = chat_in(s, platform, conversation_id, name=name, school_id=school_id)
        if name and not chat.name:
            chat.name = name
        s.flush()
        return _chat_row(chat)


def find_chat_by_name(db: Database, school_id: int, name: str) -> ChatRow | None:
    with db.read() as s:
        rows = list(s.scalars(select(ChatGroup).where(ChatGroup.name == name, ChatGroup.is_active.is_(True), _of_school(school_id))
                              .limit(2)))
        return _chat_row(rows[0]) if len(rows) == 1 else None


def group_names(db: Database, school_id: int) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(ChatGroup.name).where(ChatGroup.is_active.is_(True), ChatGroup.name != "", _of_school(school_id))
                              .order_by(ChatGroup.name)))


def update_chat_settings(db: Database, chat_id: int, changes: dict) -> ChatRow:
    """Merge changes into a group's settings, under a row lock so two admins' edits both land."""
    with db.transaction() as s:
        chat = s.scalar(select(ChatGroup).where(ChatGroup.id == chat_id).with_for_update())
        chat.settings = {**(chat.settings or {}), **changes}
        return _chat_row(chat)


def member_ids(db: Database, chat_id: int) -> list[int]:
    """The people seen writing in a group."""
    with db.read() as s:
        return list(s.scalars(select(ChatMembership.member_id).where(ChatMembership.chat_id == chat_id)))


def school_chats(db: Database, school_id: int) -> list[ChatRow]:
    """Every group of the school the bot can reach: webhook groups and conversations it has seen."""
    with db.read() as s:
        rows = s.scalars(select(ChatGroup).where(ChatGroup.is_active.is_(True), ChatGroup.platform.in_(("dingtalk", "wecom")),
                                                 _of_school(school_id))
                         .order_by(ChatGroup.name, ChatGroup.id))
        return [_chat_row(r) for r in rows]


def get_chat(db: Database, chat_id: int) -> ChatRow | None:
    with db.read() as s:
        row = s.get(ChatGroup, chat_id)
        return _chat_row(row) if row else None


def is_conversation(platform: str, conversation_id: str) -> tuple:
    """The where-clauses for the one chat a platform's conversation id names (for storage's own queries)."""
    return ChatGroup.platform == platform, ChatGroup.conversation_id == conversation_id


def _of_school(school_id: int):
    """The school's groups and those not yet linked to any school."""
    return (ChatGroup.school_id == school_id) | ChatGroup.school_id.is_(None)


def chat_in(s: Session, platform: str, conversation_id: str, **new) -> ChatGroup:
    """The conversation's row in the caller's transaction, added with the `new` values when there is none yet."""
    chat = s.scalar(select(ChatGroup).where(*is_conversation(platform, conversation_id)))
    if chat is None:
        chat = ChatGroup(platform=platform, conversation_id=conversation_id, settings={}, **new)
        s.add(chat)
    return chat
