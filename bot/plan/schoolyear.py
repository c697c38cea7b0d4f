"""Which calendar year a bare month ("10月份") means, read from the plan's title.

Plans name their period as a school year ("2023-2024学年", "2023学年"), a term
("2022年春学期", "2023-2024学年第二学期") or a calendar year ("2024年度").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

AUTUMN, SPRING = "autumn", "spring"
YEAR = r"((?:19|20)\d{2})"
SPAN = re.compile(YEAR + r"\s*年?\s*[-—–~～至/]\s*" + YEAR + r"\s*(?:年\s*)?(?:(?:度\s*)?学年|年度学年|(?=(?:度\s*)?(?:第\s*[一二12]|[上下]|春|秋)季?\s*学期))")
SPAN_TERM = re.compile(r"^\s*(?:年?\s*度?\s*)?(?:学年度?)?\s*(?:第\s*([一二12])\s*学期|([上下春秋])季?\s*学期)")
SINGLE_SCHOOL_YEAR = re.compile(YEAR + r"\s*学年")
TERM = re.compile(YEAR + r"\s*年?\s*(?:度\s*)?(春|春季|秋|秋季|上|下)\s*学期")
# Only right after the school year, so a body mention of "上学期" is not read as the plan's term.
ORDINAL_TERM = re.compile(r"学年度?\s*(?:第\s*([一二12])\s*学期|([上下])学期)")
CALENDAR_YEAR = re.compile(YEAR + r"\s*年\s*(?:度|工作|[\u4e00-\u9fff]{0,6}?工作(?:计划|安排|要点|总结)|[\u4e00-\u9fff]{0,4}?(?:行事历|计划))")
MONTH_TITLE = re.compile(YEAR + r"\s*年\s*(1[0-2]|0?[1-9])\s*月(?!\s*\d{1,2}\s*[日号])(?:份)?[\u4e00-\u9fff]{0,8}?(?:计划|安排|月历|行事历|要点)")
TITLE_LINES = 12
FULL_DATE = re.compile(YEAR + r"\s*(?:年\s*|[-/.])(1[0-2]|0?[1-9])\s*(?:月\s*|[-/.])(?:3[01]|[12]\d|0?[1-9])(?!\d)")
INTAKE = re.compile(YEAR + r"\s*级(?:新生|学生|高一|初一|一年级)")   # "2025级新生" enter that autumn  # the period is named in the title block, not in the body


@dataclass(frozen=True)
class SchoolYear:
    first: int                 # calendar year in which the school year starts (September)
    term: str | None = None    # AUTUMN, SPRING or None for a whole school year
    calendar: bool = False     # a calendar-year plan ("2024年度")
    august_opens: bool = False  # the plan speaks of August before September: the August before the term

    def year_of_month(self, month: int) -> int:
        if self.calendar:
            return self.first
        if month == 8 and self.august_opens and self.term != SPRING:
            return self.first
        if self.term == SPRING:
            return self.first + 1  # a spring plan looks ahead within its own year
        if self.term == AUTUMN:
            return self.first if month >= 8 else self.first + 1  # autumn terms often start in late August
        return self.first if month >= 9 else self.first + 1

    @property
    def period(self) -> tuple[date, date]:
        """The days the plan is in force: its term, school year or calendar year."""
        if self.calendar:
            return date(self.first, 1, 1), date(self.first, 12, 31)
        if self.term == AUTUMN:
            return date(self.first, 8, 1), date(self.first + 1, 2, 15)
        if self.term == SPRING:
            return date(self.first + 1, 1, 15), date(self.first + 1, 8, 31)
        return date(self.first, 8, 1), date(self.first + 1, 8, 31)

    @property
    def label(self) -> str:
        if self.calendar:
            return f"{self.first}年度"
        suffix = {AUTUMN: "第一学期", SPRING: "第二学期"}.get(self.term, "")
        return f"{self.first}-{self.first + 1}学年{suffix}"


FIRST_MONTH = re.compile(r"(?<![\d年/-])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?![底末])")


def with_august(school_year: SchoolYear, body: str) -> SchoolYear:
    """August is the first year's when the plan names it before any later month (开学阶段, 暑期准备)."""
    m = FIRST_MONTH.search(body)
    if school_year.term is not None or school_year.calendar or not m:
        return school_year
    first = m.group(1)
    return replace(school_year, august_opens=first in ("8", "08", "八"))


def parse_school_year_option(value: str) -> SchoolYear:
    """--school-year 2023-2024 (a school year) or 2024 (a calendar year)."""
    match = re.fullmatch(r"\s*" + YEAR + r"\s*(?:[-—–/~]\s*" + YEAR + r")?\s*", value or "")
    if not match:
        raise ValueError(f"school year must look like 2023-2024 or 2024, got {value!r}")
    first, second = int(match.group(1)), match.group(2)
    if second is None:
        return SchoolYear(first=first, calendar=True)
    if int(second) != first + 1:
        raise ValueError(f"a school year spans two consecutive years, got {value!r}")
    return SchoolYear(first=first)


def detect_school_year(lines: list[str]) -> SchoolYear | None:
    """Look in the title block first, then anywhere, so a body mention of another year doesn't win."""
    head = "\n".join(lines[:TITLE_LINES])
    return _detect(head) or _month_title(head) or _detect("\n".join(lines))


def year_from_dates(lines: list[str]) -> SchoolYear | None:
    """A plan whose title names no year may still date itself: "2025年8月18日" under a notice, "2025级新生".
    The school year most of its full dates fall in."""
    votes: dict[int, int] = {}
    for line in lines:
        for m in FULL_DATE.finditer(line):
            year, month = int(m.group(1)), int(m.group(2))
            first = year if month >= 8 else year - 1
            votes[first] = votes.get(first, 0) + 1
        for m in INTAKE.finditer(line):
            votes[int(m.group(1))] = votes.get(int(m.group(1)), 0) + 1
    return SchoolYear(first=max(votes, key=lambda y: (votes[y], y))) if votes else None


def _month_title(text: str) -> SchoolYear | None:
    """"2025年3月德育工作月历": a month's plan belongs to the term that month is in."""
    m = MONTH_TITLE.search(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return SchoolYear(first=year, term=AUTUMN) if month >= 8 else SchoolYear(first=year - 1, term=SPRING)


def _detect(text: str) -> SchoolYear | None:
    term_word = _ordinal_term(text)
    if m := SPAN.search(text):
        first = int(m.group(1))
        if t := SPAN_TERM.match(text[m.end():]):
            word = t.group(1) or t.group(2)
            term_word = AUTUMN if word in ("一", "1", "上", "秋") else SPRING
        return SchoolYear(first=first, term=term_word)
    if m := TERM.search(text):
        year, word = int(m.group(1)), m.group(2)
        if word in ("春", "春季", "下"):
            return SchoolYear(first=year - 1, term=SPRING)
        return SchoolYear(first=year, term=AUTUMN)
    if m := SINGLE_SCHOOL_YEAR.search(text):
        return SchoolYear(first=int(m.group(1)), term=term_word)
    if m := CALENDAR_YEAR.search(text):
        return SchoolYear(first=int(m.group(1)), calendar=True)
    return None


def _ordinal_term(text: str) -> str | None:
    m = ORDINAL_TERM.search(text)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    return AUTUMN if word in ("一", "1", "上") else SPRING
