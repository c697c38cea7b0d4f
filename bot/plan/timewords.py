"""Time expressions in plan text: dates, months, week numbers, weekdays, recurrences, term anchors.

`find_times(text, school_year)` returns non-overlapping `TimeMatch`es with offsets
into `text`. Pure: no clock, the school year is passed in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date, timedelta

from bot.timegrammar.lexicon import MONTH_PART_WORDS, WEEKDAY_CHARS, cn_number
from bot.timegrammar.recurrence import Recurrence
from bot.timegrammar.resolve import month_part, month_range, safe_date

from .schoolyear import SchoolYear

DATE, WEEK, RECUR, ANCHOR = "date", "week", "recurrence", "anchor"

CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
CN_DAY = r"[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
RANGE = r"\s*(?:[-—–~～－]{1,2}|至|到)\s*"
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
    rule: Recurrence | None = None
    anchor: str | None = None
    weak: bool = False      # "本学期": a task only when the clause names an activity
    day_level: bool = False  # names a day (or a part of a month), not a whole month

    @property
    def recurrence(self) -> str | None:
        return self.rule.code if self.rule else None


@dataclass(frozen=True)
class Scope:
    """What the text around an expression has already said about when: the innermost wins.

    `month` dates day-only numbers ("18日（三）"); `week` is a printed week ("第十二周（5月8日—5月12日）"),
    inside which a weekday is that day and 下周 the week after.
    """
    school_year: SchoolYear | None = None
    month: tuple[int, int] | None = None      # (year, month)
    week: tuple[date, date] | None = None


DAY_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*|(?P<next>次年|明年|来年|翌年)\s*)?"
    rf"(?P<m>1[0-2]|0?[1-9]|{CN_MONTH})\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9]|{CN_DAY})\s*(?:[日号]|(?={RANGE}\d))"
    r"(?:\s*[（(]\s*(?:周|星期)?[一二三四五六日天]\s*[）)](?=\s*(?:[-—–~～－]{1,2}|至|到)))?"
    rf"(?:{RANGE}(?:(?P<y2>(?:19|20)\d{{2}})\s*年\s*)?(?:(?P<m2>1[0-2]|0?[1-9])\s*月\s*)?(?P<d2>3[01]|[12]\d|0?[1-9])(?!\s*月)\s*[日号]?)?"
)
ISO_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
    rf"(?:{RANGE}(?:(?P<y2>(?:19|20)\d{{2}})[-/.])?(?:(?P<m2>1[0-2]|0?[1-9])[-/.])?(?P<d2>3[01]|[12]\d|0?[1-9])(?!\d))?"
)
# "9.10" in prose may be a section number or a decimal: outside a calendar cell it is a date only when
# a word follows that is not a unit ("3.22世界水日", not "3.5万元" or "2.0版").
DOTTED_DATE = re.compile(
    r"(?<![\d.．/·第约共达近])(?P<m>1[0-2]|0?[1-9])[.．/·](?P<d>3[01]|[12]\d|0?[1-9])(?![\d%．.:：∶]|\s*月|\s*(?:[-—–~～－]{1,2}|至|到)\s*\d{1,2}\s*月)"
    rf"(?:{RANGE}(?:(?P<m2>1[0-2]|0?[1-9])[.．/·])?(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d%:：∶]))?"
)
UNIT_AFTER_NUMBER = re.compile(r"\s*(?:[万亿千百元米分秒倍个小时天周年岁%‰度级克吨斤里寸尺份])")
# "18日（三）～20日（五）": a day without its month, which the scope supplies and the weekday checks.
WEEKDAY_TAG = r"(?:\s*[（(]\s*(?:周|星期)?(?P<{name}>[一二三四五六日天])\s*[）)])?"
DAY_ONLY = re.compile(
    r"(?<![\d月./．／:：年第每个楼层路街道巷村弄区栋])(?P<d>3[01]|[12]\d|0?[1-9])\s*(?:[日号]" + WEEKDAY_TAG.format(name="wd")
    + rf"|(?={RANGE}\d{{1,2}}\s*[日号]))"
    rf"(?:{RANGE}(?P<d2>3[01]|[12]\d|0?[1-9])\s*[日号]" + WEEKDAY_TAG.format(name="wd2") + ")?"
    r"(?!\s*(?:内|以内|之内|左右|以上|楼|室|会议室|教室|场|馆|厅|线|门|车|床|位))"
)
JOINED = re.compile(RANGE)
# "12月第1周": the weeks of a month, Monday to Sunday, the first holding the 1st.
MONTH_WEEK = re.compile(rf"(?P<m>1[0-2]|0?[1-9]|{CN_MONTH})\s*月(?:份)?\s*(?:的)?第\s*(?P<n>[1-6一二三四五六])\s*(?:周|个?星期)")
# In a month's plan: 本月, 本月底.
THIS_MONTH = re.compile(rf"(?:本|这个?|当)月(?P<part>{MONTH_PART_WORDS})?(?!份?[一二三四五六七八九十\d])")
# Inside a printed week: 本周五, 下周一, 下周.
RELATIVE_WEEK = re.compile(r"(?P<rel>本|这|下)\s*个?\s*(?:周|星期|礼拜)(?P<d>[一二三四五六日天])?(?![一二三四五六日天])")
MONTH = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*|(?P<next>次年|明年|来年|翌年)\s*)?"
    rf"(?<![\d每])(?P<m>1[0-2]|0?[1-9]|{CN_MONTH})(?:\s*(?:——|[-—–~～至到、－])\s*(?P<m2>1[0-2]|0?[1-9]|{CN_MONTH}))?"
    rf"\s*月(?P<fen>份)?\s*(?P<part>{MONTH_PART_WORDS})?(?P<before>(?<=[底末])\s*之?前)?(?![日号\d])"
)
WEEK_LIST = re.compile(r"第\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*[、,，]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})){2,}\s*周")
WEEK_NUMBER = re.compile(
    r"第\s*(?P<w>\d{1,2}|[一二三四五六七八九十]{1,3})\s*"
    rf"(?:(?:{RANGE}|、)第?\s*(?P<w2>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*)?(?:周|个?星期)(?![岁年])"
)
WEEKDAYS = re.compile(
    r"(?<![一两二三四五六七八九十\d本这下上])(?:每\s*)?(?:周|星期|礼拜)(?P<d>[一二三四五六日天])"
    rf"(?P<more>(?:\s*(?:[、和及与]|以及)\s*(?:周|星期|礼拜)?[一二三四五六日天](?!{COUNT_WORD}))*)"
    rf"(?:\s*(?:至|到|[-—~])\s*(?:周|星期|礼拜)?(?P<to>[一二三四五六日天]))?(?!{COUNT_WORD})"
)
CJK = r"(?=[\u4e00-\u9fff])"
# (pattern, the rhythm (or how to read it from the match), weak, characters of which one must be present for the
# pattern to match at all)
RECURRENCES = [
    (re.compile(r"每(?:一?个)?月(?:的)?月?初?\s*[（(]?\s*(?P<n>[12]?\d|3[01])\s*[日号]\s*(?:之|以)?前\s*[）)]?"), lambda m: Recurrence.monthly_by(m["n"]), False, "每"),
    (re.compile(r"每(?:一?个)?月(?:的)?月?(?:底|末)(?:之?前)?|每月最后一(?:周|个工作日|天)|每月下旬"), Recurrence("monthly", part="end"), False, "每"),
    (re.compile(r"每(?:一?个)?月(?:的)?月?初|每月第一周|每月上旬"), Recurrence("monthly", part="start"), False, "每"),
    (re.compile(rf"每(?:一?个)?月(?!份)|月月|(?<![\d一二三四五六七八九十])一月一{CJK}|按月"), Recurrence("monthly"), False, "月"),
    (re.compile(r"[两二]周一次|每[两二]周|每隔一周|隔周|间周|单周|双周|每半个?月|半个?月一次"), Recurrence("biweekly"), False, "周半"),
    (re.compile(rf"每(?:一?个)?(?:周|星期|礼拜)(?![一二三四五六日天](?!{COUNT_WORD}))|周周|(?<![\d一两二三四五六七八九十])一周一{CJK}"), Recurrence("weekly"), False, "周星礼"),
    (re.compile(rf"每一?天|每日|(?<!\d)天天|(?<![\d月])日日|每个(?:工作|上学)日|(?<![\d一二三四五六七八九十])一日一{CJK}"), Recurrence("daily"), False, "天日"),
    (re.compile(r"每(?:一?个)?季度?"), Recurrence("quarterly"), False, "季"),
    (re.compile(r"每(?:一?个)?学期|(?<![第上下本新这该每])一学期"), Recurrence("termly"), False, "学"),
    (re.compile(r"(?:本|这个?)学期"), Recurrence("termly"), True, "学"),
    (re.compile(rf"每(?:一?个)?学年|每一?年度?|(?<![\d一二三四五六七八九十])一年一{CJK}"), Recurrence("yearly"), False, "年"),
]
ANCHORS = [
    (re.compile(r"开学(?:前|初|之初|伊始|之际|第一周|前后|[“\"”‘']?第一课)|学期初|(?:新)?学期伊始|开学季|(?<![学假])期初"), "term_start", "学初"),
    # "期中考试后…" is when; "上学期期末…" is the past, no time of this plan.
    (re.compile(r"(?<!学)(?<!上学期)(?<!上一学期)期中(?:(?:考试|测试|检测)?(?:前后|之?前|之?后|期间))?"), "midterm", "中"),
    (re.compile(r"(?<!上)学期末|(?<!上)学期结束|(?<!上学期)(?<!上一学期)期末(?:(?:考试|测试|检测)?(?:前后|之?前|之?后|期间))?"), "term_end", "末束"),
    (re.compile(r"学年末|学年度末|学年结束"), "year_end", "年"),
    (re.compile(r"暑假|暑期"), "summer", "暑"),
    (re.compile(r"寒假(?:期间|前后)?"), "winter", "寒"),
]
TRIGGERS = re.compile(r"[月周日天年期学假季号]|\d[-/.．·]\d")


def find_times(text: str, school_year: SchoolYear | None, in_cell: bool = False, scope: Scope | None = None) -> list[TimeMatch]:
    """Non-overlapping time expressions in text, in order. Readers ask about the same cell several times
    (is it a date? a term word? a frequency?), so answers are kept for recent texts."""
    return list(_find_times(text, in_cell, scope or Scope(school_year)))


def clear_time_cache() -> None:
    _find_times.cache_clear()


@lru_cache(maxsize=4096)
def _find_times(text: str, in_cell: bool, scope: Scope) -> tuple[TimeMatch, ...]:
    school_year = scope.school_year
    if not TRIGGERS.search(text) and not (in_cell and re.search(r"\d", text)):
        return ()
    present = frozenset(text)
    found: list[TimeMatch] = []
    for pattern, builder in _date_patterns(text, in_cell, scope):
        for m in pattern.finditer(text):
            match = builder(m, school_year, in_cell, scope)
            if match:
                found.append(match)
    for m in MONTH_WEEK.finditer(text) if "第" in text and "月" in text else ():
        if (month_week := _month_week(m, school_year)) is not None:
            found.append(month_week)
    for m in WEEK_LIST.finditer(text) if "第" in text else ():
        found += _week_list(m)
    for m in WEEK_NUMBER.finditer(text) if "第" in text else ():
        first, last = cn_number(m["w"]), cn_number(m["w2"]) if m["w2"] else None
        found.append(TimeMatch(m.start(), m.end(), WEEK, week=first, week_last=last, day_level=True))
    if not present.isdisjoint("周星礼"):
        found += _weekdays(text, scope)
    for pattern, rule, weak, needs in RECURRENCES:
        if present.isdisjoint(needs):
            continue
        for m in pattern.finditer(text):
            found.append(TimeMatch(m.start(), m.end(), RECUR, rule=rule(m) if callable(rule) else rule, weak=weak))
    for pattern, anchor, needs in ANCHORS:
        if present.isdisjoint(needs):
            continue
        for m in pattern.finditer(text):
            found.append(TimeMatch(m.start(), m.end(), ANCHOR, anchor=anchor))
    return tuple(_open_ended(text, _merge_ranges(text, _merge_tags(text, _without_overlaps(found)))))


def _date_patterns(text: str, in_cell: bool, scope: Scope):
    patterns = [(DAY_DATE, _day_date), (MONTH, _month)] if "月" in text else []
    if re.search(r"\d[-/.．·]\d", text):
        patterns += [(ISO_DATE, _iso_date), (DOTTED_DATE, _dotted_date)]
    if (scope.month or scope.week) and re.search(r"\d\s*[日号]", text):
        patterns.append((DAY_ONLY, _day_only))
    if scope.month and "月" in text:
        patterns.append((THIS_MONTH, _this_month))
    return patterns


def _weekdays(text: str, scope: Scope) -> list[TimeMatch]:
    """每周二 is a duty; inside a printed week, 周二 is that week's Tuesday and 下周 the next week."""
    found = []
    if scope.week is not None:
        monday = scope.week[0] - timedelta(days=scope.week[0].weekday())
        for m in RELATIVE_WEEK.finditer(text):
            shift = 7 if m["rel"] == "下" else 0
            if m["d"]:
                day = _day_of_week(scope.week, WEEKDAY_CHARS[m["d"]]) + timedelta(days=shift)
                found.append(TimeMatch(m.start(), m.end(), DATE, first=day, last=day, day_level=True))
            elif shift:
                found.append(TimeMatch(m.start(), m.end(), DATE, first=monday + timedelta(days=7),
                                       last=monday + timedelta(days=13), day_level=True))
    for m in WEEKDAYS.finditer(text):
        if scope.week is None or m.group(0).startswith("每"):
            found.append(TimeMatch(m.start(), m.end(), RECUR, rule=_weekday_rule(m)))
            continue
        if m["to"]:
            first, last = _day_of_week(scope.week, WEEKDAY_CHARS[m["d"]]), _day_of_week(scope.week, WEEKDAY_CHARS[m["to"]])
            if last >= first:
                found.append(TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True))
            continue
        spans = [(m.start(), m.start("d") + 1, m["d"])]
        spans += [(m.start("more") + i, m.start("more") + i + 1, ch) for i, ch in enumerate(m["more"] or "") if ch in WEEKDAY_CHARS]
        for begin, end, ch in spans:
            day = _day_of_week(scope.week, WEEKDAY_CHARS[ch])
            found.append(TimeMatch(begin, end, DATE, first=day, last=day, day_level=True))
    return found


def _merge_ranges(text: str, found: list[TimeMatch]) -> list[TimeMatch]:
    """"4月中旬至5月上旬", "2月下旬至3月": two dates joined by 至 or a dash are one span."""
    merged: list[TimeMatch] = []
    for match in found:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.kind == DATE == match.kind and previous.first and match.last
                and JOINED.fullmatch(text[previous.end:match.start]) and match.last > previous.last):
            merged[-1] = replace(previous, end=match.end, last=match.last, day_level=previous.day_level or match.day_level)
            continue
        merged.append(match)
    return merged


def _day_of_week(week: tuple[date, date], weekday: int) -> date:
    """That weekday among the printed days (a grid row may run Sunday to Saturday), else in the week of its first day."""
    for offset in range(7):
        day = week[0] + timedelta(days=offset)
        if day > week[1]:
            break
        if day.weekday() == weekday:
            return day
    return week[0] + timedelta(days=weekday - week[0].weekday())


def _merge_tags(text: str, found: list[TimeMatch]) -> list[TimeMatch]:
    """"周一(5月8日)" and "5月8日（周一）" are one date: the explicit date wins, the weekday only tags it."""
    merged: list[TimeMatch] = []
    for match in found:
        previous = merged[-1] if merged else None
        if previous is not None and _is_tag_pair(text, previous, match):
            explicit = match if _is_weekday(text, previous) else previous
            merged[-1] = replace(explicit, start=previous.start, end=_close_bracket(text, match.end))
            continue
        merged.append(match)
    return merged


def _is_weekday(text: str, match: TimeMatch) -> bool:
    return text[match.start:match.end].lstrip("每").startswith(("周", "星期", "礼拜", "本周", "下周"))


def _is_tag_pair(text: str, first: TimeMatch, second: TimeMatch) -> bool:
    if not re.fullmatch(r"\s*[（(]\s*", text[first.end:second.start]):
        return False
    weekday_first, weekday_second = _is_weekday(text, first), _is_weekday(text, second)
    if weekday_first == weekday_second:
        return False
    explicit = second if weekday_first else first
    return explicit.kind == DATE and explicit.first is not None


def _close_bracket(text: str, end: int) -> int:
    m = re.match(r"\s*[）)]", text[end:])
    return end + m.end() if m else end


def _open_ended(text: str, found: list[TimeMatch]) -> list[TimeMatch]:
    """"1月31日起" starts a period that the plan leaves open."""
    return [replace(m, last=None) if m.kind == DATE and m.first == m.last and m.first is not None
            and re.match(r"\s*起(?!草|床|步|点)", text[m.end:]) else m for m in found]


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


PLACEHOLDER_YEAR = re.compile(r"[xX×＊*○〇]{2,4}\s*年\s*$")


def _day_date(m, school_year, in_cell, scope=None) -> TimeMatch | None:
    if PLACEHOLDER_YEAR.search(m.string[max(0, m.start() - 6):m.start()]):
        return None  # "xxxx年9月1日": a template's signature line
    month, day = cn_number(m["m"]), cn_number(m["d"])
    year = _year(m, month, school_year)
    if year is None:
        return None
    first = safe_date(year, month, day)
    last = first
    if m["d2"]:
        month2 = int(m["m2"]) if m["m2"] else month
        year2 = year + 1 if month2 < month else year
        if m.groupdict().get("y2"):
            year2 = int(m["y2"])
        last = safe_date(year2, month2, int(m["d2"]))
    if first is None or last is None or last < first:
        return None
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True)


def _iso_date(m, school_year, in_cell, scope=None) -> TimeMatch | None:
    first = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    last = first
    if first and m["d2"]:
        last = safe_date(int(m["y2"] or first.year), int(m["m2"] or first.month), int(m["d2"]))
    if first is None or last is None or last < first:
        return None
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True)


def _month(m, school_year, in_cell, scope=None) -> TimeMatch | None:
    if PLACEHOLDER_YEAR.search(m.string[max(0, m.start() - 6):m.start()]):
        return None
    is_cn = not m["m"].isdigit()
    if is_cn and not (in_cell or m["fen"] or m["part"]):
        return None  # "一月一汇总" is "once a month", not January
    month = cn_number(m["m"])
    month2 = cn_number(m["m2"]) if m["m2"] else month
    year = _year(m, month, school_year)
    if year is None:
        return None
    year2 = year + 1 if month2 < month else year
    part = m["part"]
    if month2 == month and year2 == year:
        first, last = month_part(year, month, part)
    else:
        first, last = month_range(year, month)[0], month_range(year2, month2)[1]
    if m["before"]:
        first = last  # "3月底前": a deadline on the month's last day
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=bool(part))


def _dotted_date(m, school_year, in_cell, scope=None) -> TimeMatch | None:
    if not in_cell and "/" not in m.group(0) and "·" not in m.group(0):
        if not m.string[:m.start()].strip() and int(m["d"]) < 10 and int(m["m"]) < 10:
            return None  # "3.2 教学常规" opens a numbered heading; "9.10 教师节" is a day
        after = m.string[m.end():m.end() + 3].lstrip()
        if not after or not re.match(r"[\u4e00-\u9fff“”\"（(]", after) or UNIT_AFTER_NUMBER.match(after):
            return None
    return _day_date(m, school_year, in_cell, scope)


def _month_week(m, school_year) -> TimeMatch | None:
    month = cn_number(m["m"])
    year = school_year.year_of_month(month) if school_year else None
    if year is None:
        return None
    first_of_month = date(year, month, 1)
    monday = first_of_month - timedelta(days=first_of_month.weekday()) + timedelta(weeks=cn_number(m["n"]) - 1)
    return TimeMatch(m.start(), m.end(), DATE, first=monday, last=monday + timedelta(days=6), day_level=True)


def _week_list(m) -> list[TimeMatch]:
    """"第2、4、6、8周": one week each, each on its own number so that none hides another."""
    numbers = list(re.finditer(r"\d{1,2}|[一二三四五六七八九十]{1,3}", m.group(0)))
    return [TimeMatch(m.start() + (0 if i == 0 else n.start()), m.start() + n.end() + (1 if i == len(numbers) - 1 else 0),
                      WEEK, week=cn_number(n.group(0)), day_level=True) for i, n in enumerate(numbers)]


def _this_month(m, school_year, in_cell, scope: Scope) -> TimeMatch | None:
    first, last = month_part(*scope.month, m["part"])
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=bool(m["part"]))


def _day_only(m, school_year, in_cell, scope: Scope) -> TimeMatch | None:
    first = _place_day(int(m["d"]), m["wd"], scope)
    if first is None:
        return None
    last = first
    if m["d2"]:
        day2 = int(m["d2"])
        month_first = first.replace(day=1)
        if day2 < first.day:
            month_first = (month_first + timedelta(days=32)).replace(day=1)
        last = safe_date(month_first.year, month_first.month, day2)
    if last is None or last < first:
        return None
    return TimeMatch(m.start(), m.end(), DATE, first=first, last=last, day_level=True)


def _place_day(day: int, weekday: str | None, scope: Scope) -> date | None:
    """The day of the scope's week, else of its month or a later one that the weekday agrees with."""
    wanted = WEEKDAY_CHARS[weekday] if weekday else None
    if scope.week is not None:
        for offset in range((scope.week[1] - scope.week[0]).days + 1):
            candidate = scope.week[0] + timedelta(days=offset)
            if candidate.day == day:
                return candidate
    if scope.month is None:
        return None
    year, month = scope.month
    for _ in range(12 if wanted is not None else 1):
        candidate = safe_date(year, month, day)
        if candidate is not None and (wanted is None or candidate.weekday() == wanted):
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday_rule(m) -> Recurrence:
    days = [WEEKDAY_CHARS[m["d"]]]
    days += [WEEKDAY_CHARS[ch] for ch in m["more"] if ch in WEEKDAY_CHARS]
    if m["to"]:
        days += list(range(days[-1] + 1, WEEKDAY_CHARS[m["to"]] + 1))
    return Recurrence("weekly", weekdays=tuple(sorted(set(days))))
