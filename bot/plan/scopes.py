"""Scopes: the time of an item is the innermost of document year → month heading or dated list →
printed week (a week heading, a week row, a calendar grid's row) → the day a line opens with →
the date inside the item. The walker feeds the plan's lines in order and keeps those scopes."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from .calendar_grid import GridRow
from .calendar_rows import activities, date_label, dated_items, rule_label, split_label
from .tables import TableReader, is_header_line
from .document import Line
from .items import PlanItem
from .not_items import HEADING_ONLY, METADATA, REMARK, SIGNATURE, SLOGAN, WEEK_ONE
from .owners import find_owner
from .prose import CONTINUES_DAY, EVENT_NOUN, ProseContext, inline_entries, line_lead, prose_items
from .schoolyear import SchoolYear
from .sections import TITLE_LINE, SectionPath, split_numbered
from .timewords import DATE, WEEK, Scope, TimeMatch, find_times

WEEK_HEADING_MAX = 40
SHORT_ENTRY = 30          # a line this short under a printed week is one of its activities
LIST_LINE_MAX = 50        # an unnumbered line this short under "9月份" is one of its activities
NUMBERED_LIST_MAX = 120   # a numbered one may be longer
OUTER_LEVELS = 2          # 第一部分 / 一、 / （一） end a dated list


class PlanWalker:
    """Feeds lines in order, keeping the scopes that date them: the section path, the month and the
    printed week in force, the dated list, the day a line opened, and each table's state."""

    def __init__(self, school_year: SchoolYear | None, grid: dict[int, GridRow], term_start: date | None = None) -> None:
        self.scope = Scope(school_year)
        self.term_start = term_start
        self.grid = grid
        self.sections = SectionPath()
        self.list_when: TimeMatch | None = None
        self.week: TimeMatch | None = None
        self.weeks_entered = 0
        self.in_grid = False       # the week in force is a calendar grid's row
        self.lead: TimeMatch | None = None
        self.tables: dict[object, TableReader] = {}
        self.items: list[PlanItem] = []

    def feed(self, line: Line) -> None:
        text = line.text.strip()
        if not text:
            return
        before = len(self.items)
        self._feed(line, text)
        for item in self.items[before:]:
            if item.start is not None and item.end is not None and (item.end - item.start).days <= 8:
                self.scope = replace(self.scope, month=(item.start.year, item.start.month))

    def _feed(self, line: Line, text: str) -> None:
        if METADATA.search(text):
            self._seed_month(text)
            return
        if (row := self.grid.get(line.number)) is not None:
            self.list_when = None
            self._enter_week(TimeMatch(0, 0, DATE, first=row.first, last=row.last, day_level=True))
            self.in_grid = True
            self._grid_notes(line, row.notes)
            return
        if line.cells:
            self._row(line)
            return
        self.tables.pop(None, None)  # a run of tab-separated text rows has ended
        if (when := date_label(text, self._scope())) is not None:
            self._label(self._dated(when))
            return
        if (rule := rule_label(text, self._scope())) is not None:
            self.list_when = rule   # "（一）每天": the duties listed under it are daily
            return
        if (week := week_heading(text, self._scope())) is not None:
            self.list_when = None
            self._enter_week(week)
            return
        if WEEK_ONE.search(text) and len(text) <= WEEK_HEADING_MAX:
            return
        if remark := REMARK.match(text):
            self.week = self.list_when = None
            self.in_grid = False   # the notes under a table speak of the whole plan
            self._prose(line, text[remark.end():], default=None)   # "注：1．每周一…": a standing duty may hide here
            return
        if SIGNATURE.match(text):
            self.list_when = None
            return
        if SLOGAN.match(text) and not EVENT_NOUN.search(text) and not any(
                m.kind == DATE for m in find_times(text, self.scope.school_year)):
            return   # "好好学习，天天向上": its 天天 is rhetoric
        if is_header_line(text):
            return
        if self.in_grid and self.week is not None:
            if not is_header_line(text):
                self._grid_notes(line, (text,))   # the notes of a grid row, on the lines under it
            return
        numbered = split_numbered(text, line.heading_level)
        labelled = split_label(text, self._scope())
        if self.list_when is not None and labelled is None and self._continues_list(text, numbered):
            self._listed(line, text, self.list_when)
            return
        self.list_when = None
        if labelled is not None:
            when, rest = self._dated(labelled[0]), labelled[1]
            if _is_week(when):
                self._enter_week(when)
                for piece in activities(rest):   # "第一周：a；b；周三…": each activity in that week
                    self._prose(line, piece, self.week)
            else:
                self.list_when = when
                self._listed(line, rest, when)
            return
        if numbered is None and TITLE_LINE.match(text):
            self._title_month(text)
            if self.sections.titles:
                self.sections.enter(0, text)  # "XX学校年度大事安排" heads the table after it
            return   # a title names the plan or its part; its 期末 is not a task
        elif numbered is not None and numbered.heading is not None:
            self.sections.enter(numbered.level, numbered.marker.strip() + numbered.heading)
            if not numbered.body and HEADING_ONLY.search(numbered.heading):
                return   # "四、每月工作要点" heads the items; its 每月 is theirs, not its own
            if not numbered.body and numbered.level <= OUTER_LEVELS:
                return   # "二、德育·安全", "二、第一学期（9月—1月）": a part of the plan, no task of its own
        self._prose(line, text, self._week_default(text))

    def _dated(self, when: TimeMatch) -> TimeMatch:
        """"第一周" once the term's first day is known: that Monday to Sunday, a printed week from here on."""
        if when.kind != WEEK or when.first is not None or when.week is None or self.term_start is None:
            return when
        monday = self.term_start - timedelta(days=self.term_start.weekday())
        first = monday + timedelta(weeks=when.week - 1)
        last = monday + timedelta(weeks=when.week_last or when.week, days=-1)
        return replace(when, kind=DATE, first=first, last=last, day_level=True)

    def _grid_notes(self, line: Line, notes) -> None:
        for note in notes:
            for piece in activities(note):
                self._prose(line, piece, default=self.week)   # a grid row's notes happen in its days

    def _label(self, when: TimeMatch) -> None:
        if _is_week(when):
            self._enter_week(when)
            self.list_when = None
        elif self.week is not None and when.first is not None and self.week.first <= when.first <= (self.week.last or when.first):
            self.list_when = when   # "周一" over that day's entries, inside the printed week
        elif when.first is None and when.week is not None and self.week is not None:
            self.list_when = None   # "第5周" over its printed dates: the dates follow
        else:
            self.week = None
            self.list_when = when
            if when.first is not None:
                self.scope = replace(self.scope, month=(when.first.year, when.first.month))

    def _enter_week(self, when: TimeMatch) -> None:
        self.in_grid = False
        self.weeks_entered += self.week is None or self.week.first != when.first
        self.week = when
        self.scope = replace(self.scope, month=(when.first.year, when.first.month))

    def _scope(self) -> Scope:
        if self.week is None or self.week.first is None:
            return self.scope
        return replace(self.scope, week=(self.week.first, self.week.last))

    def _title_month(self, text: str) -> None:
        """"星光小学2025年3月德育工作月历": its 本月 and day numbers are March's."""
        months = [m for m in find_times(text, self.scope.school_year) if m.kind == DATE and m.first and not m.day_level]
        if len(months) == 1 and months[0].first.month == months[0].last.month:
            self.scope = replace(self.scope, month=(months[0].first.year, months[0].first.month))

    def _seed_month(self, text: str) -> None:
        """A page's publication date says which month day-only dates ("18日（三）") start from."""
        if self.scope.month is None:
            dates = [m for m in find_times(text, self.scope.school_year) if m.kind == DATE and m.first]
            if dates:
                self.scope = replace(self.scope, month=(dates[0].first.year, dates[0].first.month))

    def _week_default(self, text: str) -> TimeMatch | None:
        """A printed week dates the entries under it; after many weeks (a term calendar), only its short lines."""
        return self.week if self.weeks_entered == 1 or len(text) <= SHORT_ENTRY else None

    def _prose(self, line: Line, text: str, default: TimeMatch | None) -> None:
        scope = self._scope()
        context = ProseContext(scope, line.number, self.sections.current, self._owner_hint(), default=default, lead=self.lead)
        pieces = inline_entries(text) if default is not None else [text]
        found = [item for piece in pieces for item in prose_items(piece, context)]
        self.lead = line_lead(text, find_times(text, scope.school_year, scope=scope)) or (
            self.lead if CONTINUES_DAY.match(text) else None)
        self.items += found

    def _continues_list(self, text: str, numbered) -> bool:
        if numbered is not None and numbered.level <= OUTER_LEVELS:
            return False
        limit = NUMBERED_LIST_MAX if numbered is not None else LIST_LINE_MAX
        return len(text) <= limit

    def _listed(self, line: Line, text: str, when: TimeMatch) -> None:
        for piece in activities(text):
            self.items += dated_items(piece, when, self._scope(), line.number, self.sections.current, self._owner_hint())

    def _row(self, line: Line) -> None:
        only = line.cells[0] if len(line.cells) == 1 else ""   # a cell merged across the whole row
        if only and (TITLE_LINE.match(only) or REMARK.match(only) or WEEK_ONE.search(only)
                     or SIGNATURE.match(only) or METADATA.search(only)):
            self._title_month(only)   # a sheet's merged title, note or signature row: no task
            return
        reader = self.tables.setdefault(line.table, TableReader())
        scope = self._scope()
        items = reader.read_row(line.text, line.cells, scope, line.number, self.sections.current, self._owner_hint())
        if items is None:  # a row with no date anywhere: read its words as prose
            context = ProseContext(scope, line.number, self.sections.current, self._owner_hint())
            items = [i for cell in line.cells if cell for i in prose_items(cell, context)]
        self.items += items

    def _owner_hint(self) -> str | None:
        for title in reversed(self.sections.titles):
            if owner := find_owner(title):
                return owner
        return None


def week_heading(text: str, scope: Scope) -> TimeMatch | None:
    """"育才路小学第6周工作安排（3月25日—3月29日）": a title naming a printed week, whatever stands before it."""
    if len(text) > WEEK_HEADING_MAX or re.search(r"[，,。；;]", text):
        return None
    weeks = [m for m in find_times(text, scope.school_year, in_cell=True, scope=scope)   # as date_label asked: cached
             if m.kind == DATE and _is_week(m) and re.search(r"\d", text[m.start:m.end])]   # printed, not 下周
    if len(weeks) != 1 or not re.search(r"第\s*[\d一二三四五六七八九十]{1,3}\s*周|安排|计划|要点|行事", text):
        return None
    return weeks[0]


def _is_week(when: TimeMatch) -> bool:
    return when.first is not None and when.last is not None and 4 <= (when.last - when.first).days <= 8
