"""What a reminder says. The digest is the same answer a teacher gets for "本周有什么任务"."""
from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.messages import IncomingMessage, Reply
from bot.understanding import Intent
from handlers.context import ChatContext
from handlers.tasks import answer_query
from storage.deliveries import DeliveryRow
from storage.plans import TaskRow


def render(delivery: DeliveryRow, task: TaskRow | None, context: ChatContext) -> Reply | None:
    """The message for one ledger row; None when its task has since left the plan."""
    if delivery.kind == "digest":
        monday = delivery.occurrence
        return answer_query(Intent("query", monday, monday + timedelta(days=6)), _NOBODY, context)
    if delivery.kind == "alert":
        return Reply(texts.REMIND_ALERT_TITLE, texts.REMIND_ALERT.format(group=delivery.detail or ""))
    if delivery.kind == "missed":
        return Reply(texts.REMIND_MISSED_TITLE, texts.REMIND_MISSED.format(count=delivery.detail or "若干"))
    if task is None:
        return None
    line = texts.task_line(task).lstrip("- ")
    day = texts.describe_day(delivery.occurrence)
    words = {
        "eve": lambda: texts.REMIND_EVE.format(day=day, line=line),
        "morning": lambda: texts.REMIND_MORNING.format(day=day, line=line),
        "recurring": lambda: texts.REMIND_RECURRING.format(day=day, line=line),
        "deadline": lambda: texts.REMIND_DEADLINE.format(days=delivery.detail or "", end=day, line=line),
    }[delivery.kind]()
    return Reply(texts.REMIND_TITLE, words)


_NOBODY = IncomingMessage("scheduler", "", "", "", "", "", None)  # answer_query never reads the message
