"""The groups reminders go to, as the scheduler, the sender and the office's pages see them."""
from __future__ import annotations

from bot.reminder_rules.groups import receiving
from storage import chats
from storage.chats import ReminderGroupRow
from storage.db import Database


def reminder_groups(db: Database) -> list[ReminderGroupRow]:
    """Webhook groups unless switched off; DingTalk conversations an admin switched on (“开启提醒”)."""
    return receiving(chats.active_groups(db))
