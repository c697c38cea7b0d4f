"""Dated lists: a *when* (a month, a date range, a week, a term word) and the activities under it.
Labels ("9月份：", "第3周 9.15-9.21"), the activities of one line or cell, and their items;
`tables.py` reads the rows of 大事安排 tables and 行事历 on top of this.
"""
from __future__ import annotations

import re
from dataclasses import replace

from bot.timegrammar.recurrence import Recurrence

from .items import PlanItem
from .owners import find_owner
from .prose import QUOTE_LIMIT
from .titles import NUMBERING, clean_title, is_cut_off, with_topic

from .timewords import ANCHOR, DATE, RECUR, WEEK, Scope, TimeMatch, find_times

# What may stand beside a date in a label: "9月份：", "九月工作安排", "第1周", "8月23日上午9:00", "1月13日前".
LABEL_REST = re.compile(
    r"^[\s：:，,、份()（）]*(?:(?:主要|重点|重要)?(?:工作|活动|事项|大事|园务|教学|德育)?(?:安排|计划|要点|内容|一览)?)?"
    r"(?:上午|下午|中午|晚上|早上|全天)?\s*(?:\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半)?)?"
    r"(?:之?前|以前|起|开始|期间)?[\s：:()（）]*$"
)
LABEL_MAX = 40
RULE_LABEL_MAX = 16
RULE_REST = re.compile(r"[\s、，,：:]|工作|任务|安排|事项|常规|放学前|放学后|上学前|课前|课后|午餐前|午饭前|早上|上午|下午|晚上|中午|时段|一次")
# "第一天（10月16日，星期三）": the words beside a day that name it again.
DAY_WORDS = re.compile(r"第[一二三四五六七八九十\d]{1,2}天|[，,]?\s*(?:星期|周)[一二三四五六日天]")
# "暑假开始 初三升学指导": two activities a space apart (each of four or more characters, no clock between).
SPACED_TASKS = re.compile(r"(?<=[\u4e00-\u9fff]{4})\s+(?=[\u4e00-\u9fff]{4})")
# "9月份：开学典礼；军训" — a label that runs on into its activities.
LABEL_PREFIX = re.compile(r"^(?P<label>[^：:\t]{2,14})(?:[：:](?!\d{2})|\t)\s*(?P<rest>\S.*)$")   # "7:50" is a clock
ITEM_SPLIT = re.compile(
    r"[；;\n]|\s+/\s+|\s{2,}|(?<=\S)\s+(?=(?:\d{1,2}|[（(]\d{1,2}[）)])\s*[.、．)）](?!\d))"
    r"|(?<=[^\s\d])\s*(?=\d{1,2}\s*[.．、](?!\d))(?<![第\d])"
)



def date_label(text: str, scope: Scope) -> TimeMatch | None:
    """The time a label names when the label is nothing but a time ("9月份", "第3周 9.15-9.21")."""
    if len(text) > LABEL_MAX:
        return None   # a label is short; a sentence is not worth the grammar's time here
    matches = [m for m in find_times(text, scope.school_year, in_cell=True, scope=scope) if m.kind in (DATE, WEEK)]
    if not matches:
        return None
    if not LABEL_REST.match(DAY_WORDS.sub("", words_outside(text, matches))):
        return None
    dated = next((m for m in matches if m.kind == DATE), None)
    week = next((m for m in matches if m.kind == WEEK), None)
    if dated and week:
        return replace(dated, week=week.week, week_last=week.week_last)
    return dated or week


def date_labels(text: str, scope: Scope) -> list[TimeMatch]:
    """A cell of several dates and nothing else, each a label of its own."""
    parts = [p for p in re.split(r"[；;、，,和及]|\s+", text) if p.strip()]
    labels = [date_label(p, scope) for p in parts]
    return labels if len(labels) > 1 and all(label is not None and label.kind == DATE for label in labels) else []


def anchor_label(text: str, scope: Scope) -> TimeMatch | None:
    """A cell that is only a term word: "寒假", "学期结束前", "期中考试后一周内"."""
    anchors = anchor_labels(text, scope)
    return anchors[0] if len(anchors) == 1 else None


def anchor_labels(text: str, scope: Scope) -> list[TimeMatch]:
    """"期初、期中、期末": the term words a time cell names, when it names nothing else."""
    matches = find_times(text, scope.school_year, in_cell=True, scope=scope)
    if not matches or any(m.kind != ANCHOR for m in matches):
        return []
    rest = re.sub(r"[、，,和及与\s]|考试|测试|之?[前后]|一周内|期间|结束|开始|阶段", "", words_outside(text, matches))
    return matches if LABEL_REST.match(rest) else []


def words_outside(text: str, matches: list[TimeMatch]) -> str:
    parts, pos = [], 0
    for m in matches:
        parts.append(text[pos:m.start])
        pos = m.end
    return "".join(parts) + text[pos:]


def split_label(text: str, scope: Scope) -> tuple[TimeMatch, str] | None:
    m = LABEL_PREFIX.match(text.strip())
    if not m:
        return None
    when = date_label(m["label"], scope) or rule_label(m["label"], scope)
    return (when, m["rest"]) if when else None


def rule_label(text: str, scope: Scope) -> TimeMatch | None:
    """"（一）每天", "每月第一周周一：", "周五放学前：": a rhythm heading the duties after it."""
    text = NUMBERING.sub("", text.strip())
    if len(text) > RULE_LABEL_MAX:
        return None
    rules = [m for m in find_times(text, scope.school_year, in_cell=True, scope=scope) if m.kind == RECUR and not m.weak]
    others = [m for m in find_times(text, scope.school_year, in_cell=True, scope=scope) if m.kind != RECUR]
    if not rules or others or len(RULE_REST.sub("", words_outside(text, rules))) > 0:
        return None
    rule = rules[0].rule
    for extra in rules[1:]:   # "每月第一周周一": monthly at the start, on a Monday — the month's rhythm wins
        rule = rule if rule.kind != "weekly" else extra.rule
    return replace(rules[0], rule=rule)


def activities(cell: str) -> list[str]:
    """One cell or list line may hold several numbered, ；- or space-separated activities."""
    pieces = [p.strip() for p in ITEM_SPLIT.split(cell) if p and p.strip(" 。；;，,")]
    return [part for piece in pieces for part in SPACED_TASKS.split(piece) if part.strip()]


def week_scope(scope: Scope, when: TimeMatch | None) -> Scope:
    """A when of a week or less is a printed week: weekdays and day numbers inside it are its days."""
    if when is not None and when.first is not None and when.last is not None and (when.last - when.first).days <= 8:
        return replace(scope, week=(when.first, when.last), month=(when.first.year, when.first.month))
    if when is not None and when.first is not None:
        return replace(scope, month=(when.first.year, when.first.month))
    return scope


def dated_items(piece: str, when: TimeMatch, scope: Scope, line: int, section: str, owner: str | None,
                rule: Recurrence | None = None) -> list[PlanItem]:
    """Items for an activity listed under `when`; a more precise date in the activity itself wins."""
    unnumbered = NUMBERING.sub("", piece)  # "1.10月13日": the list number is not part of a date
    inner = week_scope(scope, when)
    own = find_times(unnumbered, inner.school_year, in_cell=True, scope=inner)
    day = next((m for m in own if m.kind == DATE and m.day_level), None)
    week = next((m for m in own if m.kind == WEEK), None)
    own_rule = next((m.rule for m in own if m.kind == RECUR and not m.weak), None)
    rule = rule or own_rule or (when.rule if when.kind == RECUR else None)   # under "每天": daily
    base = day or when
    title = unnumbered.strip(" 。；;，,：:")
    for m in (day, week):
        if m is not None and title.startswith(unnumbered[m.start:m.end]):
            title = title[m.end - m.start:]
    title = with_topic(clean_title(title), section)
    if len(title) < 2 or is_cut_off(title):
        return []
    return [PlanItem(
        title=title, quote=piece.strip()[:QUOTE_LIMIT], line=line, section=section,
        start=base.first, end=base.last, recurrence=rule.code if rule else None,
        term_anchor=base.anchor if base.first is None else None,
        week=(week or when).week, week_last=(week or when).week_last,
        owner=find_owner(piece) or owner,
    )]
