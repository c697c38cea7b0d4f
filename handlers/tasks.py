"""Answers to "本周有什么任务", "下周三有什么活动", "运动会什么时候", "本周有什么要交的", "例行"."""
from __future__ import annotations

import re
from datetime import date, timedelta

from bot import agenda, texts
from bot.answers import NEXT_HORIZON, fit, next_up, span_reply
from bot.context import ChatContext
from bot.messages import IncomingMessage, Reply
from bot.progress import SchoolProgress
from bot.task_dates import dated_range, in_force, recurrence_of
from bot.texts.format import describe_day, describe_recurrence, describe_span, task_line
from bot.timegrammar.resolve import month_range
from bot.understanding import Ask, Query, Unknown
from bot.understanding.normalize import normalize
from bot.understanding.questions import CHATTER
from bot.understanding.topics import CLOSE, LOOSE, topic_score
from storage.plans import TaskRow, list_tasks, tasks_after

from .help import answer_unknown
from .term import answer_term_dates, answer_week_number

MAX_NEAREST = 5
# A message that is nothing but a few words: perhaps the name of something in the plan.
BARE_WORDS = re.compile(r"^[\u4e00-\u9fa5“”《》\"]{3,16}$")
CLOSE_MARGIN = 0.15
FAR_MONTH_DAYS = 180
# "运动会什么时候" looks this far back and ahead of today: this school year's plan and the next one imported
# early, not every year kept in the database.
AROUND_TODAY = timedelta(days=366)
LATER_PAGE = 100


def answer_query(intent: Query, message: IncomingMessage, ctx: ChatContext) -> Reply:
    if intent.ask == Ask.WEEK_NUMBER:
        return answer_week_number(intent, ctx)
    if intent.ask == Ask.TERM_DATES:
        return answer_term_dates(ctx)
    if intent.ask == Ask.ROUTINE:
        return _routine(_around_today(ctx), ctx)   # a duty dated September may still be in force (its plan is)
    if intent.start is None:
        return _whenever(intent, message, _around_today(ctx), ctx)
    tasks = list_tasks(ctx.database, ctx.school_id, intent.start, intent.end)   # the span's, and undated ones
    about, missing = _on_topic(intent.keyword, tasks)
    if intent.ask == Ask.DEADLINE:
        return _due(intent, about, missing, ctx)
    if (recent := _the_month_just_past(intent, about, ctx)) is not None:
        return answer_query(recent, message, ctx)   # "9月份有什么" asked in October
    if missing and (later := _later_about(missing, ctx, intent.end)):
        # "下周有运动会吗": not next week, but here is when ("下一项…"); what comes later is already read
        return span_reply(later, intent.start, intent.end, ctx, intent.keyword, None, lambda: [])
    on_topic = bool(intent.keyword) and not missing
    after = (lambda: _later_about(intent.keyword, ctx, intent.end)) if on_topic else (lambda: next_up(ctx, intent.end))
    return span_reply(about, intent.start, intent.end, ctx, intent.keyword, missing, after)


def answer_unrecognised(intent: Unknown, message: IncomingMessage, ctx: ChatContext) -> Reply:
    """Words we could not read as a question may still name a task ("班主任费"): then say when it is."""
    words = normalize(message.text)
    if BARE_WORDS.match(words) and not CHATTER.search(words):
        tasks = _around_today(ctx)
        if any(topic_score(words, (t.title,)) >= CLOSE for t in tasks):
            return _whenever(Query(keyword=words, ask=Ask.NAME), message, tasks, ctx)
    return answer_unknown(intent, message, ctx)


def _around_today(ctx: ChatContext) -> list[TaskRow]:
    return list_tasks(ctx.database, ctx.school_id, ctx.today - AROUND_TODAY, ctx.today + AROUND_TODAY)


def _later_about(keyword: str, ctx: ChatContext, after: date) -> list[TaskRow]:
    """The next tasks after the day that are about the keyword, a page at a time in date order (the
    start-date index), within NEXT_HORIZON; [] when none is."""
    until, cursor, close = after + NEXT_HORIZON, (after, None), []
    while page := tasks_after(ctx.database, ctx.school_id, cursor[0], until, LATER_PAGE, cursor[1]):
        scored = [(score, t) for score, t in _scores(keyword, page) if score >= CLOSE]
        close += scored
        if any(score >= 1.0 for score, _ in scored):   # named outright: nothing later can name it better
            break
        cursor = (page[-1].start, page[-1].id)
    return _closest(close) if close else []


def _scores(keyword: str, tasks: list[TaskRow]) -> list[tuple[float, TaskRow]]:
    if len(keyword) == 1:   # "有会吗": one character says something only in a title (运动会), not in any heading
        return [(topic_score(keyword, (t.title,)), t) for t in tasks]
    return [(topic_score(keyword, (t.title, t.owner, t.section, t.quote)), t) for t in tasks]


def _closest(scored: list[tuple[float, TaskRow]]) -> list[TaskRow]:
    """The close matches; when some name the topic outright, only those near them (班主任费 is not 班主任)."""
    best = max((score for score, _ in scored), default=0.0)
    floor = max(CLOSE, best - CLOSE_MARGIN)
    return [t for score, t in scored if score >= floor]


def _on_topic(keyword: str | None, tasks: list[TaskRow]) -> tuple[list[TaskRow], str | None]:
    """The tasks about the keyword; when none is, all of them and the word not found (the span still answers)."""
    if not keyword:
        return tasks, None
    close = _closest(_scores(keyword, tasks))
    return (close, None) if close else (tasks, keyword)


def _the_month_just_past(intent: Query, tasks: list[TaskRow], ctx: ChatContext) -> Query | None:
    """A month named without a year is the next one; when that is most of a year away and holds
    nothing, the month just past is meant: the plan in hand is its school year's."""
    first, last = intent.start, intent.end
    whole_month = first.day == 1 and (last + timedelta(days=1)).day == 1 and (first.year, first.month) == (last.year, last.month)
    if not whole_month or (first - ctx.today).days < FAR_MONTH_DAYS:
        return None
    term = ctx.term_for(first, last)
    if not agenda.sort_span(tasks, first, last, term, bool(ctx.terms) and term is None, terms=ctx.terms).empty:
        return None
    return Query(*month_range(first.year - 1, first.month), intent.keyword)


def _due(intent: Query, tasks: list[TaskRow], missing: str | None, ctx: ChatContext) -> Reply:
    first, last = intent.start, intent.end
    term = ctx.term_for(first, last)
    span = describe_span(first, last, ctx.today)
    topic = texts.TOPIC_RELATED.format(keyword=intent.keyword) if intent.keyword and not missing else ""
    title = texts.DUE_TITLE.format(span=span, topic=topic)
    due = agenda.sort_due(tasks, first, last, term)
    if not due:
        return Reply(title, texts.NOTHING_DUE.format(span=span))
    tallies = SchoolProgress.for_chat(ctx).tallies([t for group in due.values() for t in group])
    groups = [agenda.Group(f"**{texts.DUE_ON.format(day=describe_day(day))}**",
                           [task_line(t, tally=tallies.get(t.id)) for t in group]) for day, group in due.items()]
    head = [texts.TOPIC_MISSING.format(keyword=missing, span=span)] if missing else []
    lines = agenda.lay_out(f"#### {title}", groups, [], budget=agenda.MAX_LINES - len(head))
    return Reply(title, fit(lines[:1] + head + lines[1:], ctx.reply_bytes))


def _whenever(intent: Query, message: IncomingMessage, tasks: list[TaskRow], ctx: ChatContext) -> Reply:
    """Any time: the tasks about the keyword still in force, soonest first; else the nearest few."""
    keyword = intent.keyword or ""
    title = texts.KEYWORD_TITLE.format(keyword=keyword)
    current = [t for t in tasks if t.valid_to is None or t.valid_to >= ctx.today]
    scored = sorted(_scores(keyword, current), key=lambda pair: -pair[0])
    chosen = _closest(scored)
    head = []
    if not chosen:
        chosen = [t for score, t in scored[:MAX_NEAREST] if score >= LOOSE]
        head = [texts.TOPIC_NEAREST.format(keyword=keyword)]
    if not chosen:
        if intent.ask == Ask.NAME:   # a bare name the plan does not know was probably not a question
            return answer_unknown(intent, message, ctx)
        return Reply(title, texts.NOTHING_FOR_KEYWORD.format(keyword=keyword))
    far = date.max - timedelta(days=1)
    ordered = sorted(agenda.once(chosen), key=lambda t: ((dated_range(t, ctx.term) or (far,))[0], t.number))
    tallies = SchoolProgress.for_chat(ctx).tallies(ordered)
    room = agenda.MAX_LINES - 1 - len(head)
    lines = [f"#### {title}"] + head + [task_line(t, with_dates=True, term=ctx.term, tally=tallies.get(t.id))
                                        for t in ordered[:room]]
    if len(ordered) > room:
        lines.append(texts.MORE_HIDDEN.format(count=len(ordered) - room))
    return Reply(title, fit(lines, ctx.reply_bytes))


def _routine(tasks: list[TaskRow], ctx: ChatContext) -> Reply:
    """Every routine duty in force now, one line per rhythm."""
    title = texts.ROUTINE_TITLE
    duties = [t for t in agenda.once(tasks) if recurrence_of(t) and in_force(t, ctx.today, ctx.today)]
    if not duties:
        return Reply(title, texts.ROUTINE_NONE)
    by_rhythm: dict[str, list[TaskRow]] = {}
    for task in sorted(duties, key=lambda t: t.number):
        by_rhythm.setdefault(describe_recurrence(recurrence_of(task)), []).append(task)
    lines = ["#### " + texts.ROUTINE_HEADING.format(title=title, count=len(duties))]
    for rhythm, group in by_rhythm.items():
        lines.append(texts.ROUTINE_RHYTHM.format(rhythm=rhythm, tasks=texts.ROUTINE_TASK_SEPARATOR.join(f"#{t.number} {t.title}" for t in group)))
    return Reply(title, fit(lines, ctx.reply_bytes))
