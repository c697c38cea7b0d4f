"""What a handler may know besides the message: the school, the day, the term. No HTTP, no platform."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.task_dates import term_for, term_now_or_next
from storage.db import Database
from storage.school_calendar import Term

SCHOOL_TZ = ZoneInfo("Asia/Shanghai")   # the default; the configured timezone is passed in
DEFAULT_REPLY_BYTES = 3800  # under both DingTalk's and WeCom's markdown limits


@dataclass(frozen=True)
class ChatContext:
    database: Database
    school_id: int | None   # None only for a chat not yet linked to one of several schools
    today: date
    terms: tuple[Term, ...] = ()
    reply_bytes: int = DEFAULT_REPLY_BYTES
    robot_push: bool = False   # the DingTalk app's credentials are set: its robot can post into groups
    member_id: int | None = None   # the sender, as the school's roster knows them
    tz: ZoneInfo = SCHOOL_TZ
    wecom_bot_push: bool = False   # the WeCom 智能机器人 holds a long connection: it can post into its groups

    def term_for(self, first: date, last: date) -> Term | None:
        """The configured term a span of days falls in (the first it touches)."""
        return term_for(self.terms, first, last)

    @property
    def term(self) -> Term | None:
        return term_now_or_next(self.terms, self.today)
