"""Help, and the friendly pointer to it for anything not understood."""
from __future__ import annotations

from bot import texts
from bot.context import ChatContext
from bot.messages import IncomingMessage, Reply
from bot.understanding import Help, Intent


def answer_help(intent: Help, message: IncomingMessage, ctx: ChatContext) -> Reply:
    return Reply(texts.HELP_TITLE, texts.HELP)


def answer_unknown(intent: Intent, message: IncomingMessage, ctx: ChatContext) -> Reply:
    return Reply(texts.UNKNOWN_TITLE, texts.UNKNOWN)
