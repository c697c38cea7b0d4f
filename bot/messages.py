"""The one internal message every platform adapter produces, and the reply handlers return."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What the database and the answers can hold; a platform may send more, an attacker surely will.
LIMITS = {"msg_id": 200, "chat_id": 200, "sender_id": 100, "sender_name": 100, "text": 4000, "chat_name": 200,
          "quoted_text": 2000}
MAX_MENTIONS = 50


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

    def cleaned(self) -> IncomingMessage:
        """Control characters (NUL among them) gone and every text cut to what is stored, so SQLite and
        PostgreSQL take the same message the same way."""
        fields = {name: CONTROL.sub("", getattr(self, name) or "")[:limit] for name, limit in LIMITS.items()}
        mentioned = tuple(CONTROL.sub("", m)[:LIMITS["sender_id"]] for m in self.mentioned_user_ids[:MAX_MENTIONS])
        return replace(self, **fields, mentioned_user_ids=mentioned)


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
    status_buttons: int | None = None    # a task's number: WeCom's AI bot sends the reply as a card with 已完成 · 进行中 · 有困难
