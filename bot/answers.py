"""Answers shared by the chat and the pushes: the tasks of a span of days ("本周有什么任务", and the
weekly digest, which says the same), and fitting lines to a platform's size limit.

A span's answer reads the span's tasks only; "nothing this week, next up…" asks for the next one
separately (through the start-date index), so plans of later years cost nothing."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from bot import agenda, texts
from bot.context import ChatContext
from bot.messages import Reply
from bot.progress import SchoolProgress
from bot.task_dates import dated_range
from bot.texts.format import describe_span, task_line
from storage.plans import TaskRow, tasks_after

NEXT_HORIZON = timedelta(days=400)   # "next up" looks this far past the span: about a school year


def next_up(ctx: ChatContext, after: date) -> list[TaskRow]:
    """The first dated task after the day, within NEXT_HORIZON."""
    return tasks_after(ctx.database, ctx.school_id, after, after + NEXT_HORIZON, 1)


def span_reply(tasks: list[TaskRow], first: date, last: date, ctx: ChatContext, keyword: str | None = None,
               missing: str | None = None, later: Callable[[], list[TaskRow]] | None = None) -> Reply:
    """The tasks of the days first..last, grouped by day; `missing` is a keyword no task was about
    (the span still answers, and says so). later: what may come after an empty span (by default the
    next dated task), asked only when the span is empty."""
    term = ctx.term_for(first, last)
    duties_rest = bool(ctx.terms) and term is None  # terms are known and none is on: duties rest
    span = describe_span(first, last, ctx.today)
    topic = texts.TOPIC_RELATED.format(keyword=keyword) if keyword and not missing else ""
    title = texts.SPAN_TITLE.format(span=span, topic=topic)
    found = agenda.sort_span(tasks, first, last, term, duties_rest, on_topic=bool(keyword) and not missing, terms=ctx.terms)
    if found.empty:
        return Reply(title, _nothing(title, tasks, last, ctx, later or (lambda: next_up(ctx, last))))
    tallies = SchoolProgress.for_chat(ctx).tallies(found.dated() + found.this_term)
    groups = agenda.span_groups(found, first, last, term, tallies, ctx.today)
    listed = sum(len(g.lines) for g in groups if g.heading == f"**{texts.ROUTINE}**")
    tail = [line for line in (agenda.routine_summary(found.routine, listed),) if line]
    head = [texts.TOPIC_MISSING.format(keyword=missing, span=span)] if missing else []
    lines = agenda.lay_out(f"#### {title}", groups, tail, budget=agenda.MAX_LINES - len(head))
    return Reply(title, fit(lines[:1] + head + lines[1:], ctx.reply_bytes))


def _nothing(title: str, tasks: list[TaskRow], after: date, ctx: ChatContext, later: Callable[[], list[TaskRow]]) -> str:
    upcoming = [(r, t) for t in (*tasks, *later()) if (r := dated_range(t, ctx.term)) is not None and r[0] > after]
    text = texts.NOTHING_IN_SPAN.format(title=title)
    if upcoming:   # the soonest of the span's and the later ones
        soonest = min(upcoming, key=lambda pair: pair[0])[1]
        text += "\n\n" + texts.NEXT_UP.format(line=task_line(soonest, with_dates=True, term=ctx.term).lstrip("- "))
    return text


def shorten_names(names: list[str], budget: int, people: bool = True) -> str:
    """The names joined, within `budget` bytes: when they do not fit, the first ones and how many in all
    ("王芳、李强等 40 人"), never none of them."""
    joined = texts.LIST_SEPARATOR.join(names)
    if len(joined.encode("utf-8")) <= budget:
        return joined
    form = texts.NAMES_AND_MORE if people else texts.UNITS_AND_MORE
    kept, size = [], len(form.format(names="", count=len(names)).encode("utf-8"))
    for name in names:
        cost = len((texts.LIST_SEPARATOR + name).encode("utf-8"))
        if kept and size + cost > budget:
            break
        kept.append(name)
        size += cost
    return form.format(names=texts.LIST_SEPARATOR.join(kept), count=len(names))


def shared_budget(limit: int, fixed_lines: list[str], lists: int) -> int:
    """What each of `lists` name lists may take of a reply of `limit` bytes, after the lines around them."""
    room = limit - 200 - sum(len(line.encode("utf-8")) + 1 for line in fixed_lines) - 40 * lists
    return max(room // max(lists, 1), 60)


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
