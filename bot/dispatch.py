"""From an internal message to a reply: drop redeliveries, understand, run the handler for the intent."""
from __future__ import annotations

import logging

from bot.config import Settings
from bot.messages import IncomingMessage, Reply
from bot.schedule import Term
from bot.understanding import parse
from handlers import HANDLERS
from handlers.context import DEFAULT_REPLY_BYTES, ChatContext
from storage import plans
from storage.db import Database
from storage.messages import remember_inbound

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.terms = tuple(Term(t.start, t.end) for t in settings.school.terms)
        self._school_id: int | None = None

    @property
    def school_id(self) -> int:
        """One configured school: every chat belongs to it. Looked up on first use, so the app starts without a database."""
        if self._school_id is None:
            self._school_id = plans.ensure_school(self.database, self.settings.school.name, self.settings.school.terms)
        return self._school_id

    def handle(self, message: IncomingMessage, reply_bytes: int = DEFAULT_REPLY_BYTES) -> Reply | None:
        """The reply, or None when this platform message was already answered."""
        if not remember_inbound(self.database, message.platform, message.msg_id):
            log.info("dropping redelivered %s message %s", message.platform, message.msg_id)
            return None
        today = message.sent_at.astimezone(self.settings.tz).date()
        context = ChatContext(self.database, self.school_id, today, self.terms, reply_bytes)
        term = context.term
        intent = parse(message.text, today, (term.start, term.end) if term else None)
        return HANDLERS[intent.kind](intent, message, context)
