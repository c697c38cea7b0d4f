"""Questions about the term itself: "现在是第几周", "什么时候放寒假", "下学期什么时候开学"."""
from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.context import ChatContext
from bot.messages import Reply
from bot.task_dates import anchor_range, next_term, term_now_or_next, term_week
from bot.texts.format import describe_dates, describe_day
from bot.understanding import Query


def answer_week_number(intent: Query, ctx: ChatContext) -> Reply:
    day = intent.start if intent.start and intent.start > ctx.today else ctx.today
    title = texts.WEEK_NUMBER_TITLE
    if not ctx.terms:
        return Reply(title, texts.WEEK_NUMBER_UNKNOWN)
    term = ctx.term_for(day, day)
    name = term.name if term else ""
    if term is None:
        upcoming = next_term(ctx.terms, day)
        if upcoming is None:
            return Reply(title, texts.WEEK_NUMBER_BREAK.format(day=describe_day(day)))
        return Reply(title, texts.WEEK_NUMBER_BEFORE.format(term=upcoming.name,
                                                            start=describe_dates(upcoming.start, upcoming.start)))
    monday = day - timedelta(days=day.weekday())
    week = term_week(term, monday)
    said = texts.TODAY if day == ctx.today else describe_day(day)
    return Reply(title, texts.WEEK_NUMBER.format(day=said, term=name, week=week,
                                                 monday=describe_dates(monday, monday),
                                                 sunday=describe_dates(monday + timedelta(days=6), monday + timedelta(days=6))))


def answer_term_dates(ctx: ChatContext) -> Reply:
    """The term in force (or next), the break after it and the term after that: 开学, 放假, 期中, 期末, weeks."""
    title = texts.TERM_DATES_TITLE
    ordered = sorted(ctx.terms, key=lambda t: t.start)
    current = term_now_or_next(ordered, ctx.today)
    if current is None:
        return Reply(title, texts.WEEK_NUMBER_UNKNOWN)
    now = ordered.index(current)
    lines = [f"#### {title}"]
    for i, term in enumerate(ordered[now:now + 2]):
        weeks = term_week(term, term.end)
        lines.append(texts.TERM_LINE.format(name=term.name, start=describe_day(term.start), end=describe_day(term.end), weeks=weeks))
        if i == 0 and term.start <= ctx.today:
            middle, final = anchor_range("midterm", term), anchor_range("term_end", term)
            lines.append(texts.TERM_EXAMS.format(midterm=describe_dates(*middle), final=describe_dates(*final)))
        following = ordered[now + i + 1] if now + i + 1 < len(ordered) else None
        if i == 0:
            name = texts.WINTER_BREAK if term.end.month in (12, 1, 2) else texts.SUMMER_BREAK
            after = term.end + timedelta(days=1)
            dates = (describe_dates(after, following.start - timedelta(days=1)) if following is not None
                     else texts.BREAK_FROM.format(day=describe_dates(after, after)))
            lines.append(texts.BREAK_LINE.format(name=name, dates=dates))
    return Reply(title, "\n".join(lines))
