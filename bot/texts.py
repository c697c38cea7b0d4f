"""Every word a teacher or the office sees, in one place."""
from __future__ import annotations

from datetime import date, timedelta

RECURRENCE_WORDS = {
    "daily": "每天", "weekly": "每周", "biweekly": "两周一次", "monthly": "每月", "monthly:start": "每月初",
    "monthly:end": "每月底前", "termly": "每学期", "yearly": "每学年", "quarterly": "每季度",
}
WEEKDAY_WORDS = {"MON": "周一", "TUE": "周二", "WED": "周三", "THU": "周四", "FRI": "周五", "SAT": "周六", "SUN": "周日"}
ANCHOR_WORDS = {
    "term_start": "开学初", "midterm": "期中", "term_end": "期末", "year_end": "学年末", "summer": "暑假", "winter": "寒假",
}

IMPORT_DONE = "已导入《{name}》（{school_year}）：共 {total} 项，新增 {added} 项，保留 {kept} 项，撤下 {withdrawn} 项。"
IMPORT_EMPTY = "已导入《{name}》，但没有找到任何带日期、周期或学期节点的事项，未排入任务。"
ERROR_PREFIX = "错误："
UNKNOWN_YEAR = "学年未知"


def describe_recurrence(rule: str) -> str:
    if rule.startswith("weekly:"):
        return "每" + "、".join(WEEKDAY_WORDS[d] for d in rule.split(":", 1)[1].split(","))
    if rule.startswith("monthly:by"):
        return f"每月{rule[len('monthly:by'):]}日前"
    return RECURRENCE_WORDS.get(rule, rule)


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
    parts = []
    if start is not None:
        parts.append(describe_dates(start, end))
    elif week is not None:
        parts.append(f"第{week}周")
    if recurrence:
        parts.append(describe_recurrence(recurrence))
    if anchor and start is None:
        parts.append(ANCHOR_WORDS.get(anchor, anchor))
    return " ".join(parts) or "未定时间"


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1
