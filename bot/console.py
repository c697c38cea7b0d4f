"""The terminal as a platform: lets anyone try the bot without a DingTalk or WeCom account."""
from __future__ import annotations

import getpass
import uuid
from datetime import date, datetime, time

from bot.config import Settings
from bot.messages import IncomingMessage
from storage.people import MemberRow, console_sender_id


def console_message(text: str, settings: Settings, today: str | None = None,
                    member: MemberRow | None = None) -> IncomingMessage:
    """From the OS user, or with `member` (`chat --as`) from that roster member, with their rights."""
    now = datetime.now(settings.tz)
    if today:
        now = datetime.combine(date.fromisoformat(today), time(8, 0), tzinfo=settings.tz)
    if member is None:
        user = getpass.getuser()
        sender_id, sender_name = user, user
        is_admin = True   # whoever has the school's terminal can edit its config anyway
    else:
        sender_id, sender_name = console_sender_id(member.id), member.name
        # Trying the bot as a teacher shows what the teacher may do: "完成 12 王老师" is refused to a non-admin.
        is_admin = member.is_admin or bool({member.dingtalk_user_id, member.wecom_user_id} & set(settings.admins))
    return IncomingMessage(
        platform="console", msg_id=uuid.uuid4().hex, chat_id="console", sender_id=sender_id,
        sender_name=sender_name, text=text, sent_at=now, is_group=False, is_admin=is_admin,
    )
