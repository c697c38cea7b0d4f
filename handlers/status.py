"""Status reports and progress questions. Until the status feature lands, say so plainly."""
from __future__ import annotations

from bot import texts
from bot.messages import IncomingMessage, Reply
from bot.understanding import Intent

from .context import ChatContext


def answer_status(intent: Intent, message: IncomingMessage, ctx: ChatContext) -> Reply:
    return Reply(texts.STATUS_NOT_READY_TITLE, texts.STATUS_NOT_READY, mention_sender=True)
