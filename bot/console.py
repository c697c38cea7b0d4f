"""The terminal as a platform: lets anyone try the bot without a DingTalk or WeCom account."""
from __future__ import annotations

import getpass
import uuid
from datetime import date, datetime, time

from bot.config import Settings
from bot.messages import IncomingMessage


def console_message(text: str, settings: Settings, today: str | None = None) -> IncomingMessage:
    now = datetime.now(settings.tz)
    if today:
        now = datetime.combine(date.fromisoformat(today), time(8, 0), tzinfo=settings.tz)
    user = getpass.getuser()
    return IncomingMessage(
        platform="console", msg_id=uuid.uuid4().hex, chat_id="console", sender_id=user,
        sender_name=user, text=text, sent_at=now, is_group=False,
        is_admin=True,   # whoever has the school's terminal can edit its config anyway
    )
