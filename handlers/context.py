"""What a handler may know besides the message: the school, the day, the term. No HTTP, no platform."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.schedule import Term
from storage.db import Database

DEFAULT_REPLY_BYTES = 3800  # under both DingTalk's and WeCom's markdown limits


@dataclass(frozen=True)
class ChatContext:
    database: Database
    school_id: int
    today: date
    term: Term | None = None
    reply_bytes: int = DEFAULT_REPLY_BYTES
