"""Dated lists: month tables (大事安排), term calendars (行事历) and "9月份" headed lists.

Every form comes down to the same thing: a *when* (a month, a date range or a
week number) followed by one or more activities that happen then.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .items import PlanItem
from .owners import find_owner, owner_from_cell
from .prose import NUMBERING, TITLE_LIMIT, QUOTE_LIMIT
from .schoolyear import SchoolYear
from .timewords import DATE, RECUR, WEEK, TimeMatch, find_times

# What may stand beside a date in a label: "9月份：", "九月工作安排", "第1周".
LABEL_REST = re.compile(
    r"^[\s：:，,、份()（）]*(?:(?:主要|重点|重要)?(?:工作|活动|事项|大事)?(?:安排|计划|要点|内容)?)?[\s：:]*$"
)
# "9月份：开学典礼；军训" — a label that runs on into its activities.
LABEL_PREFIX = re.compile(r"^(?P<label>[^：:\t]{2,14})[：:\t]\s*(?P<rest>\S.*)$")
ITEM_SPLIT = re.compile(r"[；;\n]|\s+/\s+|(?<=\S)\s+(?=(?:\d{1,2}|[（(]\d{1,2}[）)])\s*[.、．)）](?!\d))")
HEADER_WORDS = {
    "week": re.compile(r"周次|教学周|^\s*周\s*$|^\s*周别\s*$"),
    "date": re.compile(r"日期|时间|月份|^\s*月\s*$|时段|起止"),
    "owner": re.compile(r"负责|部门|责任|承办|牵头|主持|执行"),
    "note": re.compile(r"备注|说明|地点|参加|对象|完成情况"),
    "content": re.compile(r"内容|安排|活动|事项|项目|工作|主题|重点"),
}


def date_label(text: str, school_year: SchoolYear | None) -> TimeMatch | None:
    """The time a label names when the label is nothing but a time ("9月份", "第3周 9.15-9.21")."""
    matches = [m for m in find_times(text, school_year, in_cell=True) if m.kind in (DATE, WEEK)]
    if not matches:
        return None
    if not LABEL_REST.match(_outside(text, matches)):
        return None
    dated = next((m for m in matches if m.kind == DATE), None)
    week = next((m for m in matches if m.kind == WEEK), None)
    if dated and week:
        return replace(dated, week=week.week, week_last=week.week_last)
    return dated or week


def _outside(text: str, matches: list[TimeMatch]) -> str:
    parts, pos = [], 0
    for m in matches:
        parts.append(text[pos:m.start])
        pos = m.end
    return "".join(parts) + text[pos:]


def split_label(text: str, school_year: SchoolYear | None) -> tuple[TimeMatch, str] | None:
    m = LABEL_PREFIX.match(text.strip())
    if not m:
        return None
    when = date_label(m["label"], school_year)
    return (when, m["rest"]) if when else None


def activities(cell: str) -> list[str]:
    """One cell or list line may hold several numbered or ；-separated activities."""
    return [p.strip() for p in ITEM_SPLIT.split(cell) if p and p.strip(" 。；;，,")]


def dated_items(piece: str, when: TimeMatch, school_year, line: int, section: str, owner: str | None) -> list[PlanItem]:
    """Items for an activity listed under `when`; a more precise date in the activity itself wins."""
    unnumbered = NUMBERING.sub("", piece)  # "1.10月13日": the list number is not part of a date
    own = find_times(unnumbered, school_year, in_cell=True)
    day = next((m for m in own if m.kind == DATE and m.day_level), None)
    week = next((m for m in own if m.kind == WEEK), None)
    rule = next((m for m in own if m.kind == RECUR and not m.weak), None)
    base = day or when
    title = unnumbered.strip(" 。；;，,：:")
    for m in (day, week):
        if m is not None and title.startswith(unnumbered[m.start:m.end]):
            title = title[m.end - m.start:].strip(" ：:，,")
    if len(title) < 2:
        return []
    return [PlanItem(
        title=title[:TITLE_LIMIT], quote=piece.strip()[:QUOTE_LIMIT], line=line, section=section,
        start=base.first, end=base.last, recurrence=rule.recurrence if rule else None,
        week=(week or when).week, week_last=(week or when).week_last,
        owner=find_owner(piece) or owner,
    )]


@dataclass
class TableReader:
    """Reads the rows of one table, remembering its header and the date of merged rows."""
    school_year: SchoolYear | None
    columns: dict[int, str] | None = None
    when: TimeMatch | None = None

    def read_row(self, cells: tuple[str, ...], line: int, section: str, owner_hint: str | None) -> list[PlanItem] | None:
        """Items of the row; None when the row has no time at all (the caller reads it as prose)."""
        if self.columns is None and self._is_header(cells):
            self.columns = {i: self._role(c) for i, c in enumerate(cells)}
            return []
        when, owner, contents = None, None, []
        for i, cell in enumerate(cells):
            if not cell:
                continue
            role = (self.columns or {}).get(i)
            if role == "owner":
                owner = owner_from_cell(cell)
            elif role == "note":
                continue
            elif role in ("date", "week") or (role is None and date_label(cell, self.school_year)):
                label = date_label(cell, self.school_year) or _first_time(cell, self.school_year)
                if label is None and role == "week" and cell.isdigit():
                    label = TimeMatch(0, len(cell), WEEK, week=int(cell))  # a 周次 column of bare numbers
                when = _more_precise(when, label)
            else:
                contents.append(cell)
        if when is not None:
            self.when = when
        when = when or self.when
        if when is None:
            return None
        items = []
        for cell in contents:
            for piece in activities(cell):
                items += dated_items(piece, when, self.school_year, line, section, owner or owner_hint)
        return items

    def _is_header(self, cells) -> bool:
        roles = [self._role(c) for c in cells if c]
        return sum(r is not None for r in roles) >= 2 and not any(date_label(c, self.school_year) for c in cells if c)

    @staticmethod
    def _role(cell: str) -> str | None:
        if len(cell) > 8:
            return None
        return next((role for role, pattern in HEADER_WORDS.items() if pattern.search(cell)), None)


def _first_time(cell: str, school_year) -> TimeMatch | None:
    return next((m for m in find_times(cell, school_year, in_cell=True) if m.kind in (DATE, WEEK)), None)


def _more_precise(current: TimeMatch | None, new: TimeMatch | None) -> TimeMatch | None:
    if current is None or new is None:
        return current or new
    if current.kind == WEEK and new.kind == DATE:
        return replace(new, week=current.week, week_last=current.week_last)
    if current.kind == DATE and new.kind == WEEK:
        return replace(current, week=new.week, week_last=new.week_last)
    return current
