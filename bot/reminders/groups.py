"""The groups reminders go to, as the scheduler, the sender and the office's pages see them."""
from __future__ import annotations

from bot import texts
from bot.config import Settings
from bot.reminder_rules.groups import receiving
from storage import chats
from storage.chats import ReminderGroupRow
from storage.db import Database


def reminder_groups(db: Database, wecom_bot: bool = False) -> list[ReminderGroupRow]:
    """Webhook groups unless switched off; conversations an admin switched on (“开启提醒”): DingTalk's,
    and WeCom's when wecom_bot (settings.wecom_bot.long_connection: the 智能机器人 posts into them)."""
    return receiving(chats.active_groups(db), wecom_bot)


def sync_configured(db: Database, settings: Settings, school_id: int) -> bool:
    """The groups the config names: its robot webhooks, and the WeCom app's one-to-one reminders when switched on;
    written only when the config changed (False: nothing to do)."""
    return chats.sync_configured_groups(db, school_id, settings.groups,
                                        settings.wecom.private_reminders and settings.wecom.app_can_send,
                                        texts.APP_CHANNEL_NAME)
