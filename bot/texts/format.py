"""Dates, rhythms and tasks as a teacher reads them: "10月12日 周一", "每周一", "- #12 运动会（体育组）".

Unlike the word modules of this package, this one renders the domain's values (tasks, Recurrence),
so it sits above the domain in the layers: import its functions by name
(`from bot.texts.format import task_line`); `bot.texts` does not re-export them.
"""
from __future__ import annotations

from datetime import date, timedelta

from bot.task_dates import dated_range, recurrence_of
from bot.timegrammar.recurrence import Recurrence

RECURRENCE_WORDS = {
    "daily": "每天", "weekly": "每周", "biweekly": "两周一次", "monthly": "每月", "monthly:start": "每月初",
    "monthly:end": "每月底前", "termly": "每学期", "yearly": "每学年", "quarterly": "每季度",
}
WEEKDAY_WORDS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ANCHOR_WORDS = {
    "term_start": "开学初", "midterm": "期中", "term_end": "期末", "year_end": "学年末", "summer": "暑假", "winter": "寒假",
}
RHYTHM_WORDS = {"daily": "每天", "weekly": "每周", "biweekly": "两周一次", "monthly": "每月", "termly": "每学期",
                "yearly": "每学年", "quarterly": "每季度"}
UNDATED = "未定时间"


def describe_recurrence(recurrence: Recurrence) -> str:
    if recurrence.weekdays:
        return "每" + "、".join(WEEKDAY_WORDS[d] for d in recurrence.weekdays)
    if recurrence.by_day is not None:
        return f"每月{recurrence.by_day}日前"
    return RECURRENCE_WORDS.get(recurrence.code, recurrence.code)


def describe_dates(start: date, end: date | None) -> str:
    end = end or start
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.day == 1 and _is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}月–{end.year}年{end.month}月"
    return f"{start.month}月{start.day}日–{end.month}月{end.day}日"


def describe_when(start: date | None, end: date | None, recurrence: str | None, anchor: str | None, week: int | None) -> str:
    """A stored task's or a plan item's time, from its fields as kept (the rhythm as its code)."""
    parts = []
    if start is not None:
        parts.append(describe_dates(start, end))
    elif week is not None:
        parts.append(f"第{week}周")
    if recurrence:
        rhythm = Recurrence.parse(recurrence)
        parts.append(describe_recurrence(rhythm) if rhythm else recurrence)   # a newer version's code: as written
    if anchor and start is None:
        parts.append(ANCHOR_WORDS.get(anchor, anchor))
    return " ".join(parts) or UNDATED


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def describe_range_heading(start: date, end: date) -> str:
    """A heading for items covering a range: "10月（全月）", "10月12日–10月16日"."""
    if start.day == 1 and _is_month_end(end) and (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月（全月）"
    return describe_dates(start, end)


def describe_long_span(start: date, end: date, year: int) -> str:
    """A long task's days on a calendar page: "11月1日至11月30日", with the year when it is not the page's."""
    def words(day: date) -> str:
        return f"{day.month}月{day.day}日" if day.year == year else f"{day.year}年{day.month}月{day.day}日"
    return f"{words(start)}至{words(end)}"


def rhythm_word(recurrence: Recurrence) -> str:
    return RHYTHM_WORDS.get(recurrence.kind, recurrence.kind)


def describe_day(day: date) -> str:
    return f"{day.month}月{day.day}日 {WEEKDAY_WORDS[day.weekday()]}"


def describe_span(first: date, last: date, today: date) -> str:
    monday = today - timedelta(days=today.weekday())
    names = {
        (today, today): "今天", (today + timedelta(days=1),) * 2: "明天",
        (monday, monday + timedelta(days=6)): "本周", (monday + timedelta(days=7), monday + timedelta(days=13)): "下周",
    }
    if (first, last) in names:
        return f"{names[(first, last)]}（{describe_dates(first, last)}）"
    if first == last:
        return describe_day(first)
    return describe_dates(first, last)


def owner_note(owner: str | None) -> str:
    """"（体育组）" after a task's title, or nothing."""
    return f"（{owner}）" if owner else ""


def task_line(task, with_dates: bool = False, term=None, tally: str | None = None) -> str:
    when = ""
    if with_dates:
        covered = dated_range(task, term)
        when = describe_when(task.start, task.end, task.recurrence, task.term_anchor, task.week)
        if task.start is None and covered is not None:
            when += f"（{describe_dates(*covered)}）"
        when += " "
    progress = f" · {tally}" if tally else ""
    return f"- #{task.number} {when}{task.title}{owner_note(task.owner)}{progress}"


def routine_line(task) -> str:
    return f"- {describe_recurrence(recurrence_of(task))}：#{task.number} {task.title}{owner_note(task.owner)}"
