"""Time expressions in plan text: dates, months, week numbers, weekdays, recurrences, term anchors.

`find_times(text, school_year)` returns non-overlapping `TimeMatch`es with offsets
into `text`. Pure: no clock, the school year is passed in.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .schoolyear import SchoolYear

DATE, WEEK, RECUR, ANCHOR = "date", "week", "recurrence", "anchor"
WEEKDAY_CODES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
CN_DAY = r"[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
RANGE = r"\s*(?:——|[-—–~～至到－])\s*"
COUNT_WORD = r"[次回遍节篇份个项]"  # "每周一次" is once a week, not Mondays


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    kind: str
    first: date | None = None
    last: date | None = None
    week: int | None = None
    week_last: int | None = None
    recurrence: str | None = None
    anchor: str | None = None
    weak: bool = False      # "本学期": a task only when the clause names an activity
    day_level: bool = False  # names a day (or a part of a month), not a whole month


def cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[text]


DAY_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*|(?P<next>次年|明年|来年|翌年)\s*)?"
    rf"(?P<m>1[0-2]|0?[1-9]|{CN_MONTH})\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9]|{CN_DAY})\s*(?:[日号]|(?={RANGE}\d))"
    rf"(?:{RANGE}(?:(?P<m2>1[0-2]|0?[1-9])\s*月\s*)?(?P<d2>3[01]|[12]\d|0?[1-9])(?!\s*月)\s*[日号]?)?"
)
ISO_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
    rf"(?:{RANGE}(?:(?P<y2>(?:19|20)\d{{2}})[-/.])?(?:(?P<m2>1[0-2]|0?[1-9])[-/.])?(?P<d2>3[01]|[12]\d|0?[1-9])(?!\d))?"
)
# "9.10" is a date only in a calendar cell; in prose it is a section number or a decimal.
DOTTED_DATE = re.compile(
    r"(?<![\d.．])(?P<m>1[0-2]|0?[1-9])[.．/](?P<d>3[01]|[12]\d|0?[1-9])(?![\d%．.]|\s*月)"
    rf"(?:{RANGE}(?:(?P<m2>1[0-2]|0?[1-9])[.．/])?(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d%]))?"
)
MONTH = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*|(?P<next>次年|明年|来年|翌年)\s*)?"
    rf"(?<![\d每])(?P<m>1[0-2]|0?[1-9]|{CN_MONTH})(?:\s*(?:——|[-—–~～至到、－])\s*(?P<m2>1[0-2]|0?[1-9]|{CN_MONTH}))?"
    r"\s*月(?P<fen>份)?\s*(?P<part>上旬|中旬|下旬|中下旬|初|底|末)?(?![日号\d])"
)
WEEK_NUMBER = re.compile(
    r"第\s*(?P<w>\d{1,2}|[一二三四五六七八九十]{1,3})\s*"
    rf"(?:(?:{RANGE}|、)第?\s*(?P<w2>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*)?(?:周|个?星期)(?![岁年])"
)
WEEKDAYS = re.compile(
    r"(?<![一两二三四五六七八九十\d])(?:每\s*)?(?:周|星期|礼拜)(?P<d>[一二三四五六日天])"
    rf"(?P<more>(?:\s*(?:[、和及与]|以及)\s*(?:周|星期|礼拜)?[一二三四五六日天](?!{COUNT_WORD}))*)"
    rf"(?:\s*(?:至|到|[-—~])\s*(?:周|星期|礼拜)?(?P<to>[一二三四五六日天]))?(?!{COUNT_WORD})"
)
CJK = r"(?=[\u4e00-\u9fff])"
# (pattern, value, weak, characters of which one must be present for the pattern to match at all)
RECURRENCES = [
    (re.compile(r"每(?:一?个)?月(?:的)?月?初?\s*[（(]?\s*(?P<n>[12]?\d|3[01])\s*[日号]\s*(?:之|以)?前\s*[）)]?"), "monthly:by{n}", False, "每"),
    (re.compile(r"每(?:一?个)?月(?:的)?月?(?:底|末)(?:之?前)?|每月最后一周"), "monthly:end", False, "每"),
    (re.compile(r"每(?:一?个)?月(?:的)?月?初"), "monthly:start", False, "每"),
    (re.compile(rf"每(?:一?个)?月(?!份)|月月|(?<![\d一二三四五六七八九十])一月一{CJK}|按月"), "monthly", False, "月"),
    (re.compile(r"[两二]周一次|每[两二]周|每隔一周|隔周|间周|单周|双周|每半个?月|半个?月一次"), "biweekly", False, "周半"),
    (re.compile(rf"每(?:一?个)?(?:周|星期|礼拜)(?![一二三四五六日天](?!{COUNT_WORD}))|周周|(?<![\d一两二三四五六七八九十])一周一{CJK}"), "weekly", False, "周星礼"),
    (re.compile(rf"每一?天|每日|(?<!\d)天天|(?<![\d月])日日|每个(?:工作|上学)日|(?<![\d一二三四五六七八九十])一日一{CJK}"), "daily", False, "天日"),
    (re.compile(r"每(?:一?个)?季度?"), "quarterly", False, "季"),
    (re.compile(r"每(?:一?个)?学期|(?<![第上下本新这该每])一学期"), "termly", False, "学"),
    (re.compile(r"(?:本|这个?)学期"), "termly", True, "学"),
    (re.compile(rf"每(?:一?个)?学年|每一?年度?|(?<![\d一二三四五六七八九十])一年一{CJK}"), "yearly", False, "年"),
]
ANCHORS = [
    (re.compile(r"开学(?:前|初|之初|伊始|之际|第一周|前后|[“\"”‘']?第一课)|学期初|(?:新)?学期伊始|开学季"), "term_start", "学"),
    (re.compile(r"(?<!学)期中"), "midterm", "中"),
    (re.compile(r"学期末|学期结束|期末"), "term_end", "末束"),
    (re.compile(r"学年末|学年度末|学年结束"), "year_end", "年"),
    (re.compile(r"暑假|暑期"), "summer", "暑"),
    (re.compile(r"寒假"), "winter", "寒"),
]
TRIGGERS = re.compile(r"[月周日天年期学假季]|\d[-/.]\d")


def find_times(text: str, school_year: SchoolYear | None, in_cell: bool = False) -> list[TimeMatch]:
    if not TRIGGERS.search(text) and not (in_cell and re.search(r"\d", text)):
        return []
    found: list[TimeMatch] = []
    for pattern, builder in _date_patterns(text, in_cell):
        for m in pattern.finditer(text):
            match = builder(m, school_year, in_cell)
            if match:
                found.append(match)
    for m in WEEK_NUMBER.finditer(text) if "第" in text else ():
        first, last = cn_number(m["w"]), cn_number(m["w2"]) if m["w2"] else None
        found.append(TimeMatch(m.start(), m.end(), WEEK, week=first, week_last=last, day_level=True))
    for m in WEEKDAYS.finditer(text) if _has_any(text, "周星礼") else ():
        found.append(TimeMatch(m.start(), m.end(), RECUR, recurrence=_weekday_rule(m)))
    for pattern, value, weak, needs in RECURRENCES:
        if not _has_any(text, needs):
            continue
        for m in pattern.finditer(text):
            found.append(TimeMatch(m.start(), m.end(), RECUR, recurrence=value.format(**m.groupdict()), weak=weak))
    for pattern, anchor, needs in ANCHORS:
        if not _has_any(text, needs):
            continue
        for m in pattern.finditer(text):
            found.append(TimeMatch(m.start(), m.end(), ANCHOR, anchor=anchor))
    return _without_overlaps(found)


def _date_patterns(text: str, in_cell: bool):
    patterns = [(DAY_DATE, _day_date), (MONTH, _month)] if "月" in text else []
    if re.search(r"\d[-/.．]\d", text):
        patterns.append((ISO_DATE, _iso_date))
        if in_cell:
            patterns.append((DOTTED_DATE, _day_date))
    return patterns


def _has_any(text: str, chars: str) -> bool:
    return any(ch in text for ch in chars)


def _without_overlaps(found: list[TimeMatch]) -> list[TimeMatch]:
    chosen, taken_until = [], -1
    for match in sorted(found, key=lambda t: (t.start, -(t.end - t.start))):
        if match.start >= taken_until:
            chosen.append(match)
            taken_until = match.end
    return chosen


def _year(m, month: int, school_year: SchoolYear | None) -> int | None:
    if m.groupdict().get("y"):
        return int(m["y"])
    if school_year is None:
        return None
    if m.groupdict().get("next") and school_year.calendar:
        return school_year.first + 1
    return school_year.year_of_month(month)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_date(m, school_year, in_cell) -> TimeMatch | None:
    month, day = cn_number(m["m"]), cn_number(m["d"])
    year = _year(m, month, school_year)
    if year is None:
        return None
    first = _safe_date(year, month, day)
    last = first
    if m["d2"]:
        month2 = int(m["m2"]) if m["m2"] else month
        year2 = year + 1 if month2 < month else year
        last = _safe_date(year2, month2, int(m["d2"]))
    if first is None or last is None or last < first:
        return None
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True)


def _iso_date(m, school_year, in_cell) -> TimeMatch | None:
    first = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    last = first
    if first and m["d2"]:
        last = _safe_date(int(m["y2"] or first.year), int(m["m2"] or first.month), int(m["d2"]))
    if first is None or last is None or last < first:
        return None
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True)


def _month(m, school_year, in_cell) -> TimeMatch | None:
    is_cn = not m["m"].isdigit()
    if is_cn and not (in_cell or m["fen"] or m["part"]):
        return None  # "一月一汇总" is "once a month", not January
    month = cn_number(m["m"])
    month2 = cn_number(m["m2"]) if m["m2"] else month
    year = _year(m, month, school_year)
    if year is None:
        return None
    year2 = year + 1 if month2 < month else year
    first, last = date(year, month, 1), date(year2, month2, calendar.monthrange(year2, month2)[1])
    part = m["part"]
    if part:
        first, last = _month_part(first, last, part)
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=bool(part))


def _month_part(first: date, last: date, part: str) -> tuple[date, date]:
    if part in ("上旬", "初"):
        return first, first.replace(day=10)
    if part == "中旬":
        return first.replace(day=11), first.replace(day=20)
    if part == "中下旬":
        return first.replace(day=11), last
    return last.replace(day=21), last  # 下旬, 底, 末


def _weekday_rule(m) -> str:
    days = [WEEKDAY_CHARS[m["d"]]]
    days += [WEEKDAY_CHARS[ch] for ch in m["more"] if ch in WEEKDAY_CHARS]
    if m["to"]:
        days += list(range(days[-1] + 1, WEEKDAY_CHARS[m["to"]] + 1))
    return "weekly:" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(days)))
