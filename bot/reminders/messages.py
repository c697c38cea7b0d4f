"""What a reminder says. The digest is the same answer a teacher gets for "本周有什么任务" (bot.answers)."""
from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.answers import shared_budget, shorten_names, span_reply
from bot.context import ChatContext
from bot.messages import Mention, Reply
from bot.progress import SchoolProgress
from bot.texts.format import describe_day, task_line
from storage.deliveries import DeliveryRow, ReminderKind
from storage.people import MemberRow
from storage.plans import TaskRow, list_tasks


def render(delivery: DeliveryRow, task: TaskRow | None, context: ChatContext, platform: str = "dingtalk") -> Reply | None:
    """The message for one ledger row; None when its task has since left the plan, or a chase
    finds everyone has reported by the time it is sent."""
    if delivery.kind == ReminderKind.DIGEST:
        monday = delivery.occurrence
        sunday = monday + timedelta(days=6)
        return span_reply(list_tasks(context.database, context.school_id, monday, sunday), monday, sunday, context)
    if delivery.kind == ReminderKind.ALERT:
        return Reply(texts.REMIND_ALERT_TITLE, texts.REMIND_ALERT.format(group=delivery.detail or ""))
    if delivery.kind == ReminderKind.MISSED:
        return Reply(texts.REMIND_MISSED_TITLE, texts.REMIND_MISSED.format(count=delivery.detail or texts.REMIND_MISSED_SOME))
    if task is None:
        return None
    if delivery.kind == ReminderKind.CHASE:
        return _chase(task, context, platform)
    line = task_line(task).lstrip("- ")
    day = describe_day(delivery.occurrence)
    words = {
        ReminderKind.EVE: lambda: texts.REMIND_EVE.format(day=day, line=line),
        ReminderKind.MORNING: lambda: texts.REMIND_MORNING.format(day=day, line=line),
        ReminderKind.RECURRING: lambda: texts.REMIND_RECURRING.format(day=day, line=line),
        ReminderKind.DEADLINE: lambda: texts.REMIND_DEADLINE.format(days=delivery.detail or "", end=day, line=line),
    }[delivery.kind]()
    return Reply(texts.REMIND_TITLE, words, status_buttons=task.number if delivery.kind == ReminderKind.DEADLINE else None)


def _chase(task: TaskRow, context: ChatContext, platform: str) -> Reply | None:
    """On a deadline's morning: who has not reported yet, by name and @."""
    school = SchoolProgress.for_chat(context)
    progress = school.with_reads(school.of([task]))[task.id]
    waiting = [s.unit for s in progress.states if s.status != "done"]
    if not waiting:
        return None
    ids = sorted({m for unit in waiting for m in unit.member_ids})
    unread = [s.unit.label for s in progress.unread()]
    line = task_line(task).lstrip("- ")
    budget = shared_budget(context.reply_bytes, [line], 2 if unread else 1)   # names shortened, never dropped
    people = not any(u.is_department for u in waiting)
    text = texts.REMIND_CHASE.format(line=line, tally=progress.tally(), number=task.number,
                                     names=shorten_names([u.label for u in waiting], budget, people),
                                     unread=texts.REMIND_CHASE_UNREAD.format(names=shorten_names(unread, budget, people))
                                     if unread else "")
    return Reply(texts.REMIND_CHASE_TITLE, text, mentions=mentions_for([school.members[i] for i in ids], platform),
                 status_buttons=task.number)


def mentions_for(members: list[MemberRow], platform: str) -> tuple[Mention, ...]:
    """DingTalk @s by mobile or user id; WeCom by userid."""
    if platform == "dingtalk":
        return tuple(Mention(m.name, m.mobile, m.dingtalk_user_id) for m in members if m.mobile or m.dingtalk_user_id)
    return tuple(Mention(m.name, None, m.wecom_user_id) for m in members if m.wecom_user_id)

