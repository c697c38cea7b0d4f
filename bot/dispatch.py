"""From an internal message to a reply: drop redeliveries, understand, run the handler for the intent."""
from __future__ import annotations

import logging
from dataclasses import replace

from bot import texts
from bot.config import Settings
from bot.context import DEFAULT_REPLY_BYTES, ChatContext
from bot.messages import IncomingMessage, Reply
from bot.understanding import parse
from handlers import HANDLERS
from storage import chats, people, plans
from storage.db import Database
from storage.messages import remember_inbound
from storage.school_calendar import school_terms

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self._school_id: int | None = None
        self._robot_push = bool(settings.dingtalk.app_key and settings.dingtalk.app_secret)

    @property
    def school_id(self) -> int:
        """One configured school: every chat belongs to it. Looked up on first use, so the app starts without a database."""
        if self._school_id is None:
            self._school_id = plans.home_school(self.database, self.settings.school)
        return self._school_id

    def handle(self, message: IncomingMessage, reply_bytes: int = DEFAULT_REPLY_BYTES) -> Reply | None:
        """The reply, or None when this message was already answered: for callers that answer at once
        (the console); the platforms store the message first and answer through bot/inbox.py."""
        message = message.cleaned()
        if not remember_inbound(self.database, message.platform, message.msg_id):
            log.info("dropping redelivered %s message %s", message.platform, message.msg_id)
            return None
        return self.answer(message, reply_bytes)

    def answer(self, message: IncomingMessage, reply_bytes: int = DEFAULT_REPLY_BYTES) -> Reply:
        """Understand the message and run the handler for what it asks."""
        if message.sender_id and message.sender_id in self.settings.admins:
            message = replace(message, is_admin=True)
        today = message.sent_at.astimezone(self.settings.tz).date()
        school_id = self._school_of(message)
        sender = self._meet(message, school_id)
        if sender is not None and sender.is_admin:   # marked 管理员 in the roster
            message = replace(message, is_admin=True)
        terms = school_terms(self.database, school_id) if school_id is not None else ()
        context = ChatContext(self.database, school_id, today, terms, reply_bytes, self._robot_push,
                              sender.member_id if sender else None, self.settings.tz)
        term = context.term
        intent = parse(message.text, today, (term.start, term.end) if term else None)
        if context.school_id is None and intent.kind not in ("link", "help"):
            return Reply(texts.ONBOARD_TITLE, texts.ONBOARD.format(example=self.settings.school.name))
        return HANDLERS[intent.kind](intent, message, context)

    def _meet(self, message: IncomingMessage, school_id: int | None) -> people.Sender | None:
        """Whoever writes is known from then on, and as a member of the group they wrote in."""
        if school_id is None:
            return None
        return people.meet(self.database, school_id, message.platform, message.sender_id, message.sender_name,
                           message.chat_id if message.is_group else None, message.chat_name)

    def _school_of(self, message: IncomingMessage) -> int | None:
        """With one school every chat is its; with several, the one the chat was linked to."""
        default = self.school_id
        # The console runs on the school's own machine: it speaks for the configured school.
        if message.platform == "console" or chats.school_count(self.database) <= 1:
            return default
        return chats.school_of_chat(self.database, message.platform, message.chat_id)
