"""Admin commands in chat: linking a group to its school when the bot serves several."""
from __future__ import annotations

from bot import texts
from bot.context import ChatContext
from bot.messages import IncomingMessage, Reply
from bot.understanding import Link
from storage.chats import find_school, link_chat, school_names


def answer_link(intent: Link, message: IncomingMessage, ctx: ChatContext) -> Reply:
    if not message.is_admin:
        return Reply(texts.LINK_TITLE, texts.LINK_NOT_ADMIN, mention_sender=True)
    name = intent.school
    school_id = find_school(ctx.database, name)
    if school_id is None:
        return Reply(texts.LINK_TITLE, texts.LINK_UNKNOWN.format(name=name, schools=texts.LIST_SEPARATOR.join(school_names(ctx.database))))
    link_chat(ctx.database, message.platform, message.chat_id, name, school_id)
    return Reply(texts.LINK_TITLE, texts.LINK_DONE.format(school=name))
