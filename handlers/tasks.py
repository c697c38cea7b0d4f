"""Answers to "本周有什么任务", "下周三有什么活动", "运动会什么时候"."""
from __future__ import annotations

from datetime import date, timedelta

from bot import texts
from bot.messages import IncomingMessage, Reply
from bot.schedule import dated_range, in_force, recurs_in
from bot.understanding import Intent
from storage.plans import TaskRow, list_tasks

from .context import ChatContext
from .progress import SchoolProgress


def answer_query(intent: Intent, message: IncomingMessage, ctx: ChatContext) -> Reply:
    if intent.start is None:
        tasks = [t for t in list_tasks(ctx.database, ctx.school_id) if _about(t, intent.keyword)]
        return _whenever(intent.keyword or "", tasks, ctx)
    # Tasks dated after the span are still wanted when it is empty: "下一项…".
    tasks = list_tasks(ctx.database, ctx.school_id, intent.start, date.max)
    return _in_span(intent, [t for t in tasks if _about(t, intent.keyword)], ctx)


def _about(task: TaskRow, keyword: str | None) -> bool:
    if not keyword:
        return True
    return any(keyword in (field or "") for field in (task.title, task.owner, task.section, task.quote))


def _in_span(intent: Intent, tasks: list[TaskRow], ctx: ChatContext) -> Reply:
    first, last = intent.start, intent.end
    term = ctx.term_for(first, last)
    on_holiday = bool(ctx.terms) and term is None  # terms are known and none is on: duties rest
    span = texts.describe_span(first, last, ctx.today)
    topic = f"{intent.keyword}相关" if intent.keyword else ""
    days: dict[date, list[TaskRow]] = {}
    longer, routine = [], []
    for task in tasks:
        covered = dated_range(task, term)
        if covered is not None:
            if covered[0] <= last and covered[1] >= first:
                (days.setdefault(covered[0], []) if covered[0] == covered[1] else longer).append(task)
        elif task.recurrence and not on_holiday and in_force(task, first, last) and recurs_in(task.recurrence, first, last, term):
            routine.append(task)
    title = texts.SPAN_TITLE.format(span=span, topic=topic)
    if not (days or longer or routine):
        return Reply(title, _nothing(title, tasks, last, ctx))
    lines = [f"#### {title}"]
    tallies = SchoolProgress.for_chat(ctx).tallies([t for group in days.values() for t in group] + longer)
    for day in sorted(days):
        lines.append(f"**{texts.describe_day(day)}**")
        lines += [texts.task_line(t, tally=tallies.get(t.id)) for t in days[day]]
    if longer:
        lines.append(f"**{texts.WITHIN_SPAN}**")
        lines += [texts.task_line(t, with_dates=True, term=term, tally=tallies.get(t.id))
                  for t in sorted(longer, key=lambda t: dated_range(t, term))]
    if routine:
        lines.append(f"**{texts.ROUTINE}**")
        lines += [texts.routine_line(t) for t in routine]
    return Reply(title, fit(lines, ctx.reply_bytes))


def _nothing(title: str, tasks: list[TaskRow], after: date, ctx: ChatContext) -> str:
    upcoming = sorted(
        ((r, t) for t in tasks if (r := dated_range(t, ctx.term)) is not None and r[0] > after),
        key=lambda pair: pair[0],
    )
    text = texts.NOTHING_IN_SPAN.format(title=title)
    if upcoming:
        text += "\n\n" + texts.NEXT_UP.format(line=texts.task_line(upcoming[0][1], with_dates=True, term=ctx.term).lstrip("- "))
    return text


def _whenever(keyword: str, tasks: list[TaskRow], ctx: ChatContext) -> Reply:
    """Any time: the plans still in force, soonest first."""
    title = texts.KEYWORD_TITLE.format(keyword=keyword)
    tasks = [t for t in tasks if t.valid_to is None or t.valid_to >= ctx.today]
    if not tasks:
        return Reply(title, texts.NOTHING_FOR_KEYWORD.format(keyword=keyword))
    far = date.max - timedelta(days=1)
    ordered = sorted(tasks, key=lambda t: ((dated_range(t, ctx.term) or (far,))[0], t.number))
    tallies = SchoolProgress.for_chat(ctx).tallies(ordered)
    lines = [f"#### {title}"] + [texts.task_line(t, with_dates=True, term=ctx.term, tally=tallies.get(t.id)) for t in ordered]
    return Reply(title, fit(lines, ctx.reply_bytes))


def fit(lines: list[str], limit: int) -> str:
    """Keep whole lines under the platform's size limit and say how many were left out."""
    kept, size = [], 0
    for i, line in enumerate(lines):
        cost = len(line.encode("utf-8")) + 1
        if size + cost > limit - 200:
            hidden = sum(1 for rest in lines[i:] if rest.startswith("- "))
            kept.append(texts.MORE_HIDDEN.format(count=hidden))
            break
        kept.append(line)
        size += cost
    return "\n".join(kept)
