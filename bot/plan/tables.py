"""Tables as schools fill them in: a header naming the columns, cells typed by what they hold and
fitted to the columns, merged cells carried down, several tasks or times in one cell."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot.timegrammar.lexicon import cn_number
from bot.timegrammar.recurrence import Recurrence

from .calendar_rows import (activities, anchor_label, anchor_labels, date_label, date_labels, dated_items,
                            week_scope, words_outside)
from .items import PlanItem
from .owners import find_owner, owner_from_cell
from .prose import QUOTE_LIMIT
from .timewords import ANCHOR, DATE, RECUR, WEEK, Scope, TimeMatch, find_times

WEEK_NUMBERS = re.compile(r"^\s*(?P<w>\d{1,2})(?:\s*[-—–~～至]\s*(?P<w2>\d{1,2}))?\s*$")
WEEK_CELL = re.compile(r"^\s*第?\s*(?P<w>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:周|教学周)\s*$")
FREQUENCY_CELL = re.compile(
    r"^\s*(?:每|隔|单|双|两|一)\S{0,4}?\s*(?:不少于|至少|不超过)?\s*[一二两三四五六七八九十\d]*\s*(?:次|回|节|个?月|天|周|小时)?\s*$")
CLOCK_CELL = re.compile(r"^\s*(?:上午|下午|中午|晚上)?\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[-—–~～至]+\s*\d{1,2}\s*[:：]\s*\d{2})?\s*$")
LOCATION_CELL = re.compile(r"^(?=.*\d).{0,14}(?:室|楼|厅|场|馆|教室|办公室)$")
TIME_OF_DAY = re.compile(r"(?:上午|下午|中午|晚上|早上|傍晚|课后|课前|放学后|放学前|午餐前|升旗后)?\s*(?:第[一二三四五六七八九十\d]+(?:[、,，至到-][一二三四五六七八九十\d]+)*节(?:课)?)?")
HEADER_WORDS = {
    "week": re.compile(r"周次|教学周|^周$|^周别$"),
    "date": re.compile(r"日期|时间|月份|^月$|时段|起止"),
    "owner": re.compile(r"负责|部门|责任|承办|牵头|主持|执行|处室"),
    "note": re.compile(r"备注|说明|地点|参加|参与|对象|完成情况|记载|人员|^星期$|^周几$"),   # a weekday column repeats the date
    "content": re.compile(r"内容|安排|活动|事项|项目|工作|主题|重点|要求"),
}
ACCEPTS = {   # which kinds of cell a column of this role may hold, for rows that lost merged cells
    "week": {"week", "anchor"},
    "date": {"date", "anchor", "time", "week", "clock"},
    "owner": {"owner", "label"},
    "note": {"location", "label", "owner", "content"},
    "content": {"content", "label", "frequency"},
    None: {"label", "content", "frequency", "location"},
}
PREFERS = {"week": {"week"}, "date": {"date"}, "owner": {"owner"}, "note": {"location"}, "content": {"content", "label"}, None: {"label"}}
HEADER_CELL_MAX = 8
CARRIED = {"week", "date", "owner", None}   # a merged cell above stands for these columns
OWNER_END = re.compile(r"(?:处|室|办|团委|党委|组|部|中心|年段|年级|工会|家委会|委员会|队|校长|主任|老师)$")


def several_times(cell: str, kind: str, role: str | None, scope: Scope) -> list[TimeMatch]:
    """The times of a cell that names several and nothing else."""
    if kind == "anchor":
        return anchor_labels(cell, scope)
    if kind == "week" or (kind == "date" and role in ("date", "week")):
        weeks = [m for m in find_times(cell, scope.school_year, in_cell=True, scope=scope) if m.kind == WEEK]
        return weeks if len(weeks) > 1 and all(m.week_last is None for m in weeks) else []
    if kind == "content" and role == "date":
        return date_labels(cell, scope)
    return []


@lru_cache(maxsize=4096)
def cell_kind(cell: str, scope: Scope) -> str:
    """What a table cell holds; the row reader asks for each cell more than once."""
    if not cell:
        return "empty"
    if WEEK_CELL.match(cell):
        return "week"
    if (label := date_label(cell, scope)) is not None:
        return "week" if label.kind == WEEK else "date"
    if anchor_labels(cell, scope):
        return "anchor"
    if FREQUENCY_CELL.match(cell) and _frequency(cell, scope):
        return "frequency"
    if _time_cell(cell, scope):
        return "time"
    if CLOCK_CELL.match(cell):
        return "clock"
    if LOCATION_CELL.match(cell):
        return "location"
    if looks_like_owner(cell):
        return "owner"
    if len(cell) <= 6 and not re.search(r"[，,。；;]", cell):
        return "label"
    return "content"


def looks_like_owner(cell: str) -> bool:
    parts = [p for p in re.split(r"[、，,/／\s]+", cell) if p]
    return bool(parts) and len(cell) <= 24 and all(
        len(p) <= 8 and not re.search(r"[\d．.]", p) and (OWNER_END.search(p) or find_owner(p) == p) for p in parts)


def _frequency(cell: str, scope: Scope) -> Recurrence | None:
    rules = [m for m in find_times(cell, scope.school_year, in_cell=True, scope=scope) if m.kind == RECUR and not m.weak]
    return rules[0].rule if len(rules) == 1 else None


def _time_cell(cell: str, scope: Scope) -> bool:
    """"周四下午第七节": a weekday and a time of day, no activity."""
    matches = [m for m in find_times(cell, scope.school_year, in_cell=True, scope=scope) if m.kind == RECUR]
    return bool(matches) and not TIME_OF_DAY.sub("", words_outside(cell, matches)).strip()


def combine_rules(weekday_rule: Recurrence | None, frequency: Recurrence | None) -> Recurrence | None:
    """A time cell and a frequency cell: "周二…" with "每周1次" is weekly:TUE, with "每月1次" monthly;
    "每月5日前" with "每月" is monthly:by5 (the time cell is the more precise of the same rhythm)."""
    if frequency is None:
        return weekday_rule
    if weekday_rule is not None and weekday_rule.kind == frequency.kind:
        return weekday_rule
    return frequency.on_weekdays(weekday_rule.weekdays if weekday_rule else ())


@dataclass
class _RowParts:
    when: TimeMatch | None = None            # the row's own date, week or term word
    carried_when: TimeMatch | None = None    # what a merged date cell above stands for
    each: list[TimeMatch] = field(default_factory=list)   # a cell naming several times: an item for each
    frequency: Recurrence | None = None      # a 频次 cell
    time_rule: Recurrence | None = None      # a time cell's rhythm ("周二下午", "每月5日前")
    time_words: str = ""
    owner: str | None = None
    labels: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)


class TableReader:
    """Reads the rows of one table, remembering its header and what merged cells above stand for."""

    def __init__(self) -> None:
        self.roles: list[str | None] | None = None
        self.carried: dict[int, str] = {}
        self.when: TimeMatch | None = None
        self.frequency: str | None = None
        self.owner: str | None = None

    def read_row(self, text: str, cells: tuple[str, ...], scope: Scope, line: int, section: str,
                 owner_hint: str | None) -> list[PlanItem] | None:
        """Items of the row; None when the row has no time at all (the caller reads it as prose)."""
        if self._is_header(cells, scope):
            if self.roles is None:
                self.roles = [header_role(c) for c in cells]
            return []
        parts = self._parts(cells, scope)
        if parts.when is not None:
            self.when = parts.when
        elif not parts.contents and not parts.labels:
            return []
        when, rule = self._time(parts)
        if when is None and rule is None:
            return None
        return self._items(parts, when or TimeMatch(0, 0, RECUR, rule=rule), rule, scope,
                           PlanItem(title="", quote=_row_quote(text, cells), line=line, section=section,
                                    owner=parts.owner or owner_hint))

    def _parts(self, cells: tuple[str, ...], scope: Scope) -> _RowParts:
        """What each cell of the row says, by its column and by what it holds."""
        parts = _RowParts()
        for column, (cell, inherited) in self._aligned(cells, scope).items():
            role = self.roles[column] if self.roles and column < len(self.roles) else None
            known = parts.when or parts.carried_when
            if known is not None and known.first is not None:   # "1月 | 18日": the day of the month cell before it
                scope = replace(scope, month=(known.first.year, known.first.month))
            kind = "week" if role == "week" and WEEK_NUMBERS.match(cell) else cell_kind(cell, scope)   # 周次: "6", "18—19"
            if kind == "anchor" and role == "content":
                kind = "content"   # "期中考试" under 工作内容 is the activity, not its time
            if not inherited and len(several := several_times(cell, kind, role, scope)) > 1:
                parts.each = several   # "期初、期中、期末", "第2、4、6周", "8月18日-23日；8月26日至30日": one item each
            elif kind in ("date", "week", "anchor"):
                label = date_label(cell, scope) or anchor_label(cell, scope)
                if label is None and kind == "week":
                    label = _week_number(cell)
                if inherited:
                    parts.carried_when = _more_precise(parts.carried_when, label)
                else:
                    parts.when = _more_precise(parts.when, label)
            elif kind == "frequency" and role == "date":
                parts.time_rule = _frequency(cell, scope)   # "每月月底前" under 时间: when, more precisely than 频次
            elif kind == "frequency":
                parts.frequency = _frequency(cell, scope)
            elif kind == "time":
                parts.time_rule = next((m.rule for m in find_times(cell, scope.school_year, in_cell=True, scope=scope)
                                        if m.kind == RECUR), None)
                parts.time_words = _time_words(cell)
            elif role == "owner" or (kind == "owner" and role in (None, "owner")):
                parts.owner = owner_from_cell(cell)   # "教学处 / 高三年段" → "教学处、高三年段"
            elif role == "note" or kind in ("location", "clock"):
                continue   # where, or at what hour: not what
            elif (kind == "label" and role != "content") or inherited:
                parts.labels.append(cell)
            else:
                parts.contents.append(cell)
        return parts

    def _time(self, parts: _RowParts) -> tuple[TimeMatch | None, Recurrence | None]:
        """The row's own time, else what a merged cell above stands for; and its rhythm."""
        if parts.when is None and (parts.frequency or parts.time_rule):
            parts.carried_when = self.when = None   # a standing duty's own rhythm closes the merged date above
        when = parts.when or (parts.each[0] if parts.each else None) or parts.carried_when or self.when
        frequency = parts.frequency or (self.frequency if not parts.contents else None)
        if frequency:
            self.frequency = frequency
        rule = combine_rules(parts.time_rule, frequency)
        if parts.each or (when is not None and when.kind == ANCHOR):
            rule = None   # "期中考试后一周内" says when in the term; "每学期1次" only repeats it
        return when, rule

    @staticmethod
    def _items(parts: _RowParts, when: TimeMatch, rule: Recurrence | None, scope: Scope, row: PlanItem) -> list[PlanItem]:
        contents, labels = parts.contents, parts.labels
        if labels and not contents and not (parts.time_rule or parts.frequency):
            # a short activity ("开学典礼"), or one said in parts ("一至六年级 | 语文"): not a schedule's labels
            contents, labels = ["".join(c for c in labels if not c.isdigit())], []
        inner = week_scope(scope, when)
        items = [item for cell in contents for piece in activities(cell) for each in parts.each or [when]
                 for item in dated_items(piece, each, inner, row.line, row.section, row.owner, rule)]
        if not contents and labels and (rule or when.first):
            # A standing schedule ("语文 | 高一 | 周二下午"): its labels name who meets, the table that they meet.
            title = "".join(labels) + "活动" + (f"（{parts.time_words}）" if parts.time_words else "")
            items.append(replace(row, title=title, start=when.first, end=when.last, recurrence=rule.code if rule else None,
                                 week=when.week, owner=row.owner or "".join(labels)))
        return items

    def _is_header(self, cells, scope: Scope) -> bool:
        """Column names: short cells, at least two of them naming different roles, none a time."""
        filled = [re.sub(r"\s+", "", c) for c in cells if c]
        roles = {header_role(c) for c in filled} - {None}
        return (len(roles) >= 2 and all(len(c) <= HEADER_CELL_MAX for c in filled)
                and not any(cell_kind(c, scope) in ("date", "week", "anchor") for c in filled))

    def _aligned(self, cells: tuple[str, ...], scope: Scope) -> dict[int, tuple[str, bool]]:
        """Column → (cell, inherited). A row that lost merged cells (or was padded with empty ones) has its
        cells matched to the columns that can hold them, and the row above fills the columns left over."""
        if not self.roles:
            return {i: (c, False) for i, c in enumerate(cells) if c}
        present = _fit_columns(cells, self.roles, scope)
        values = {i: (c, False) for i, c in present.items()}
        for column, role in enumerate(self.roles):
            if column not in present and role in CARRIED and column in self.carried:
                values[column] = (self.carried[column], True)
        for column, cell in present.items():
            role = self.roles[column] if column < len(self.roles) else None
            if role in CARRIED:
                self.carried[column] = cell
        return dict(sorted(values.items()))


def is_header_line(text: str) -> bool:
    """"月份 周次 日  期  行 事 内 容", "星期 工作安排 记载": a table's header with its cells run together."""
    words = re.sub(r"\s+", "", text)
    if len(words) > 2 * HEADER_CELL_MAX or re.search(r"[\d，,。；;]", words):
        return False
    return sum(1 for p in HEADER_WORDS.values() if p.search(words) or any(p.search(w) for w in text.split())) >= 2


def _fit_columns(cells: tuple[str, ...], roles: list[str | None], scope: Scope) -> dict[int, str]:
    """The filled cells, in order, onto increasing columns so that most land where their kind belongs.
    A cell keeps its own position when that fits as well; otherwise the later column wins, since
    what a row loses to a merged cell above is usually its first columns."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if len(filled) > len(roles):
        return {i: c for i, c in filled}
    kinds = [cell_kind(c, scope) for _, c in filled]
    same_width = len(cells) == len(roles)

    def gain(k: int, column: int) -> float:
        role = roles[column] if roles[column] in ACCEPTS else None
        fits = 3.0 if kinds[k] in PREFERS[role] else 2.0 if kinds[k] in ACCEPTS[role] else 0.0
        return fits + (1.0 if same_width and filled[k][0] == column else 0.0) + column * 1e-3

    # best[k][j]: the best total placing cells k.. onto columns j..
    n, m = len(filled), len(roles)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for k in range(n - 1, -1, -1):
        best[k][m] = float("-inf")
        for j in range(m - 1, -1, -1):
            best[k][j] = max(best[k][j + 1], gain(k, j) + best[k + 1][j + 1])
    placed, j = {}, 0
    for k in range(n):
        while best[k][j] != gain(k, j) + best[k + 1][j + 1]:
            j += 1
        placed[j] = filled[k][1]
        j += 1
    return placed


def header_role(cell: str) -> str | None:
    """The role a column name gives its column ("周 次" → week, "负责部门" → owner), if any."""
    cell = re.sub(r"\s+", "", cell)
    if len(cell) > HEADER_CELL_MAX or not cell:
        return None
    return next((role for role, pattern in HEADER_WORDS.items() if pattern.search(cell)), None)


def _row_quote(text: str, cells: tuple[str, ...]) -> str:
    filled = [c for c in cells if c]
    start = text.find(filled[0])
    end = text.rfind(filled[-1]) + len(filled[-1])
    return text[start:end][:QUOTE_LIMIT] if 0 <= start < end else filled[0][:QUOTE_LIMIT]


def _week_number(cell: str) -> TimeMatch:
    m = WEEK_CELL.match(cell) or WEEK_NUMBERS.match(cell)
    last = m.groupdict().get("w2")
    return TimeMatch(0, len(cell), WEEK, week=cn_number(m["w"]), week_last=cn_number(last) if last else None)


def _time_words(cell: str) -> str:
    m = re.search(r"(?:周|星期)[一二三四五六日天](?:上午|下午|中午|晚上)?", cell)
    return m.group(0) if m else ""


def _more_precise(current: TimeMatch | None, new: TimeMatch | None) -> TimeMatch | None:
    if current is None or new is None:
        return current or new
    if current.kind in (WEEK, ANCHOR) and new.kind == DATE:
        return replace(new, week=current.week, week_last=current.week_last)
    if current.kind == DATE and new.kind in (WEEK, ANCHOR):
        return replace(current, week=new.week, week_last=new.week_last)
    if current.kind == DATE == new.kind and current.first and new.first and current.last and new.last and (
            (new.day_level and not current.day_level)   # "九月 | 8月29日": the row's own day, even outside its month
            or (current.first <= new.first and new.last <= current.last and new.last - new.first < current.last - current.first)):
        return replace(new, week=current.week, week_last=current.week_last)   # "2月 | 5日": the day within the month
    return current
