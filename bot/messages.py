"""The one internal message every platform adapter produces, and the reply handlers return."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class IncomingMessage:
    platform: str            # dingtalk | wecom | console
    msg_id: str              # the platform's id, for dropping redelivered messages
    chat_id: str             # conversation (group or one-to-one)
    sender_id: str
    sender_name: str
    text: str
    sent_at: datetime        # aware
    is_group: bool = True
    is_admin: bool = False
    chat_name: str = ""      # the group's title, where the platform sends it
    quoted_text: str = ""    # the message this one replies to (quotes), where the platform passes it
    mentioned_user_ids: tuple[str, ...] = ()   # platform user ids @-mentioned in the message
    reply_target: Any = field(default=None, compare=False)  # adapter-specific: a sessionWebhook, a user id…


@dataclass(frozen=True)
class Mention:
    name: str
    mobile: str | None = None
    user_id: str | None = None      # the platform's user id (DingTalk staffId, WeCom userid)


@dataclass(frozen=True)
class Reply:
    title: str
    markdown: str
    mention_sender: bool = False
    mentions: tuple[Mention, ...] = ()   # people to @ in a group push
