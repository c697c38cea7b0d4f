"""Reminder settings in chat: anyone may look (“提醒设置”), admins change them.

“提醒设置 周报 8:00” changes this group; “提醒设置 全体教师群 前一天 关” changes a named
group (a webhook group cannot hear messages, so it is changed from another chat).
“开启提醒” in a DingTalk group lets the enterprise robot push reminders there; in a WeCom group, the
智能机器人 (when it holds a long connection, ctx.wecom_bot_push).
"""
from __future__ import annotations

from bot import texts
from bot.context import ChatContext
from bot.messages import IncomingMessage, Reply
from bot.reminder_rules.groups import reachable, reminders_on
from bot.reminder_rules.setting_words import describe, parse_setting_words, reminder_settings
from bot.understanding import Settings
from storage import chats
from storage.chats import ChatRow


def answer_settings(intent: Settings, message: IncomingMessage, ctx: ChatContext) -> Reply:
    target, words = _target(intent.words, message, ctx)
    if target is None:
        names = texts.LIST_SEPARATOR.join(chats.group_names(ctx.database, ctx.school_id)) or texts.NO_GROUPS
        return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_NO_GROUP.format(groups=names))
    if intent.switch is None and not words:
        return Reply(texts.SETTINGS_TITLE, _show(target, ctx))
    if not message.is_admin:
        return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_NOT_ADMIN, mention_sender=True)
    if intent.switch is not None:
        changes = {"enabled": intent.switch}
    else:
        parsed = parse_setting_words(words)
        if parsed.error == "unknown":
            return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_UNKNOWN)
        if parsed.error:
            return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_BAD_VALUE.format(problem=parsed.error))
        changes = parsed.changes
    if changes.get("enabled") and not target.by_webhook:
        if not reachable(target, ctx.wecom_bot_push):
            return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_WECOM_GROUP)
        if target.platform == "dingtalk" and not ctx.robot_push:
            return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_ROBOT_UNCONFIGURED)
    updated = chats.update_chat_settings(ctx.database, target.id, changes)
    return Reply(texts.SETTINGS_TITLE, texts.SETTINGS_UPDATED + "\n\n" + _show(updated, ctx))


def _target(words: str, message: IncomingMessage, ctx: ChatContext) -> tuple[ChatRow | None, str]:
    """A group named first in the words, else the chat the message came from (if it is a group)."""
    first, _, rest = words.partition(" ")
    if first and ctx.school_id is not None:
        named = chats.find_chat_by_name(ctx.database, ctx.school_id, first)
        if named is not None:
            return named, rest.strip()
    if not message.is_group or message.platform == "console":
        return None, words
    return chats.ensure_chat(ctx.database, message.platform, message.chat_id, message.chat_name, ctx.school_id), words


def _show(chat: ChatRow, ctx: ChatContext) -> str:
    enabled = reminders_on(chat, ctx.wecom_bot_push)
    via = (texts.SETTINGS_VIA_WEBHOOK if chat.by_webhook else
           texts.SETTINGS_VIA_ROBOT if chat.platform == "dingtalk" else texts.SETTINGS_VIA_WECOM_BOT)
    lines = [texts.SETTINGS_HEADER.format(group=texts.NAMED_GROUP.format(name=chat.name) if chat.name else texts.THIS_GROUP) + (via if enabled else "")]
    if not enabled and not chat.by_webhook:
        lines.append(texts.SETTINGS_OFF_HERE)
    lines += describe(reminder_settings(chat.settings), enabled)
    lines += ["", texts.SETTINGS_EXAMPLES]
    return "\n".join(lines)
