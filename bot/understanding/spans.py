"""Time spans in questions: 本周, 下周三, 明天, 10月份, 9月20日到10月10日, 最近一周, 第三周…

`find_span(text, today, term)` returns the inclusive dates and where in the text
they were said, so the rest of the words can be read as a topic. Weeks run
Monday to Sunday. A month without a year is the next such month from today.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.timegrammar.lexicon import ENGLISH_WEEKS, MONTH_PART_WORDS, RELATIVE_DAYS, cn_number, weekday_index
from bot.timegrammar.resolve import Today, month_part, month_range, resolve_month, safe_date, shift_month

NUM = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
SHIFT = {"": None, "本": 0, "这": 0, "这个": 0, "这一": 0, "当": 0, "下": 1, "下个": 1, "下一": 1, "下下": 2, "下下个": 2, "上": -1, "上个": -1, "上一": -1}
WEEK_WORD = r"(?:周|星期|礼拜)"
PREFIX = r"(?P<shift>下下个?|下[个一]?|上[个一]?|本|这[个一]?|当)"


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    at: tuple[int, int]   # where in the text it was said


def _weekday(g, today, term):
    shift, day = SHIFT[g["shift"] or ""], weekday_index(g["day"])
    monday = _monday(today)
    if shift is None:  # a bare 周四: this week's, or next week's once it has passed
        target = monday + timedelta(days=day)
        target = target if target >= today else target + timedelta(weeks=1)
        return target, target
    target = monday + timedelta(weeks=shift, days=day)
    return target, target


def _weekend(g, today, term):
    saturday = _monday(today) + timedelta(weeks=SHIFT[g["shift"] or ""] or 0, days=5)
    return saturday, saturday + timedelta(days=1)


def _week(g, today, term):
    monday = _monday(today) + timedelta(weeks=SHIFT[g["shift"]])
    return monday, monday + timedelta(days=6)


def _relative_day(g, today, term):
    day = today + timedelta(days=RELATIVE_DAYS[g["word"].lower()])
    return day, day


def _english_week(g, today, term):
    monday = _monday(today) + timedelta(weeks=ENGLISH_WEEKS[g["en"].lower()])
    return monday, monday + timedelta(days=6)


def _relative_month(g, today, term):
    return month_range(*shift_month(today, SHIFT[g["shift"]]))


def _relative_month_part(g, today, term):
    """月底, 这个月底, 下个月初."""
    return month_part(*shift_month(today, SHIFT[g["shift"] or ""] or 0), g["part"])


def _month(g, today, term):
    month = cn_number(g["m"])
    if g.get("y"):   # "2025年3月": the year said
        return month_part(int(g["y"]), month, g.get("part")) if 1 <= month <= 12 else None
    return resolve_month(month, Today(today), g.get("part"))


def _day(g, today, term):
    month = cn_number(g["m"]) if g.get("m") else today.month
    found = Today(today).day(month, cn_number(g["d"]))
    return (found, found) if found else None


def _full_date(g, today, term):
    """2026.3.5, 2026-03-05, 2026/3/5: the year said."""
    found = safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    return (found, found) if found else None


def _day_of_shifted_month(g, today, term):
    """本月3号, 下个月10日."""
    year, month = shift_month(today, SHIFT[g["shift"]])
    found = safe_date(year, month, cn_number(g["d"]))
    return (found, found) if found else None


def _two_days(g, today, term):
    """今明两天, 明后天."""
    first = today + timedelta(days=0 if g["pair"].startswith("今") else 1)
    return first, first + timedelta(days=1)


def _coming_days(g, today, term):
    unit = g["unit"]
    days = cn_number(g["n"]) * (30 if "月" in unit else 7 if unit in ("周", "星期", "个星期", "礼拜") else 1)
    return today, today + timedelta(days=max(days, 1) - 1)


def _soon(g, today, term):
    """最近, 近期, 这几天: the coming week from today, as 最近一周."""
    return today, today + timedelta(days=6)


def _term_week(g, today, term):
    if term is None:
        return None
    monday = _monday(term[0]) + timedelta(weeks=cn_number(g["n"]) - 1)
    return monday, monday + timedelta(days=6)


def _this_term(g, today, term):
    return term or guessed_term(today)


def guessed_term(today: date) -> tuple[date, date]:
    """Without configured terms: autumn runs September to January, spring February to July."""
    if today.month >= 9:
        return date(today.year, 9, 1), date(today.year + 1, 1, 31)
    if today.month == 1:
        return date(today.year - 1, 9, 1), date(today.year, 1, 31)
    return date(today.year, 2, 1), date(today.year, 7, 31)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


YEAR_SAID = r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?"
RELATIVE_DAY_WORDS = "|".join(sorted(RELATIVE_DAYS, key=len, reverse=True))
PATTERNS = [
    (re.compile(r"(?<!\d)(?P<y>20\d{2})\s*[./-]\s*(?P<m>1[0-2]|0?[1-9])\s*[./-]\s*(?P<d>[12]\d|3[01]|0?[1-9])(?!\d)"), _full_date),
    (re.compile(r"(?P<pair>今明|明后)(?:两)?天"), _two_days),
    (re.compile(rf"{PREFIX}?{WEEK_WORD}(?P<day>[一二三四五六日天1-7])(?![\d个])"), _weekday),
    (re.compile(rf"{PREFIX}?(?:周末|星期六日|礼拜六日)"), _weekend),
    (re.compile(rf"{PREFIX}\s*{WEEK_WORD}"), _week),
    (re.compile(rf"(?P<word>{RELATIVE_DAY_WORDS})", re.IGNORECASE), _relative_day),
    (re.compile(r"(?<![A-Za-z])(?P<en>this|next|last)\s+week(?![A-Za-z])", re.IGNORECASE), _english_week),
    (re.compile(rf"{YEAR_SAID}(?P<m>{NUM})\s*月份?\s*(?P<part>{MONTH_PART_WORDS})"), _month),
    (re.compile(rf"(?P<shift>下下个?|下个?|上个?|本|这个?|当)月\s*的?\s*(?P<d>{NUM})\s*[日号](?!任务)"), _day_of_shifted_month),
    (re.compile(rf"(?P<shift>下下个?|下个?|上个?|本|这个?|当)?月\s*的?\s*月?(?P<part>{MONTH_PART_WORDS})"), _relative_month_part),
    (re.compile(r"(?P<shift>下下个?|下个?|上个?|本|这个?|当)月(?!份)"), _relative_month),
    (re.compile(rf"(?P<m>{NUM})\s*月\s*(?P<d>{NUM})\s*[日号]?(?!任务)"), _day),
    (re.compile(r"(?<![\d./])(?P<m>1[0-2]|0?[1-9])[./](?P<d>[12]\d|3[01]|0?[1-9])(?![\d./])"), _day),   # 12.8, 12/8
    # 3-5: a month and day, not "1-2节" or "3-5人"
    (re.compile(r"(?<![\d./-])(?P<m>1[0-2]|0?[1-9])-(?P<d>[12]\d|3[01]|0?[1-9])(?![\d./-]|\s*(?:个|节|人|天|周|名|篇|次|小时|分钟|点))"), _day),
    (re.compile(r"(?<![\d月])(?P<d>[12]\d|3[01]|0?[1-9])\s*[日号](?!任务)"), _day),
    (re.compile(rf"{YEAR_SAID}(?P<m>{NUM})\s*月份?"), _month),
    (re.compile(rf"(?:最近|近|未来|接下来|今后|往后)\s*(?P<n>{NUM})\s*(?P<unit>天|日|周|个?星期|礼拜|个月)"), _coming_days),
    (re.compile(rf"第\s*(?P<n>{NUM})\s*周"), _term_week),
    (re.compile(r"本学期|这学期|这个学期|this term", re.IGNORECASE), _this_term),
    (re.compile(r"最近|近期|近日|这几天|近几天|这段时间|这阵子|soon", re.IGNORECASE), _soon),
]
# "周五前", "12月10日之前": from today up to that day.
BY_DAY = re.compile(r"^\s*(?:之前|以前|前)(?![一两二三四五六七八九十\d]|天)")
BARE_DAY = re.compile(r"(?:[12]\d|3[01]|0?[1-9])\s*[日号]")
RANGE_JOIN = re.compile(r"^\s*(?:到|至|-|~|—|–)\s*$")


def find_span(text: str, today: date, term: tuple[date, date] | None = None) -> Span | None:
    found = _all_spans(text, today, term)
    if not found:
        return None
    first = found[0]
    if first.end >= today and (by := BY_DAY.match(text[first.at[1]:])):
        return Span(today, first.end, (first.at[0], first.at[1] + len(by[0])))
    for second in found[1:]:
        if not RANGE_JOIN.match(text[first.at[1]:second.at[0]]):
            continue
        end = second.end
        if BARE_DAY.fullmatch(text[second.at[0]:second.at[1]].strip()) and end < first.start:
            end = _same_month_on(first.start, second.end.day) or end   # "10月1号到7号": the 7th of October
        while end < first.start and second.start == second.end and (first.start - end).days < 7:
            end += timedelta(weeks=1)   # "下周二到周四": the Thursday of that week, not of this one
        if end >= first.start:
            return Span(first.start, end, (first.at[0], second.at[1]))
    return first


def _same_month_on(start: date, day: int) -> date | None:
    found = safe_date(start.year, start.month, day)
    return found if found and found >= start else None


def _all_spans(text: str, today: date, term) -> list[Span]:
    spans: list[Span] = []
    for pattern, resolve in PATTERNS:
        for m in pattern.finditer(text):
            if any(s.at[0] < m.end() and m.start() < s.at[1] for s in spans):
                continue  # an earlier, more specific pattern already read these words
            dates = resolve(m.groupdict(), today, term)
            if dates:
                spans.append(Span(dates[0], dates[1], (m.start(), m.end())))
    return sorted(spans, key=lambda s: s.at)
