"""The groups reminders go to, as the scheduler, the sender and the office's pages see them."""
from __future__ import annotations

from bot.reminder_rules.groups import receiving
from storage import chats
from storage.chats import ReminderGroupRow
from storage.db import Database


def reminder_groups(db: Database, wecom_bot: bool = False) -> list[ReminderGroupRow]:
    """Webhook groups unless switched off; conversations an admin switched on (“开启提醒”): DingTalk's,
    and WeCom's when wecom_bot (settings.wecom_bot.long_connection: the 智能机器人 posts into them)."""
    return receiving(chats.active_groups(db), wecom_bot)
