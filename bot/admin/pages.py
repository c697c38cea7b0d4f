"""Shapes the pages need, computed without Flask: the plan's lines with found items and unread
dates marked, and the days of a calendar view with their tasks."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.plan.document import PlanDocument
from bot.plan.items import PlanItem
from bot.schedule import Term, dated_range


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    items: tuple[int, ...]      # indexes (1-based) of the items found on this line
    segments: tuple[tuple[str, bool], ...]   # the text in pieces, each with: is it a date no item took


def highlighted_lines(document: PlanDocument, items: tuple[PlanItem, ...],
                      unread: Mapping[int, Sequence[tuple[int, int]]] | None = None) -> list[SourceLine]:
    """The plan's non-blank lines with the items found on each; unread: line -> spans of dates no item took."""
    found: dict[int, list[int]] = {}
    for index, item in enumerate(items, start=1):
        found.setdefault(item.line, []).append(index)
    unread = unread or {}
    return [SourceLine(line.number, line.text, tuple(found.get(line.number, ())), split_marked(line.text, unread.get(line.number, ())))
            for line in document.lines if line.text.strip()]


def split_marked(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """text cut at the spans: (piece, True) for each span, (piece, False) between them."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start < end:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
    pieces.append((text[at:], False))
    return tuple(piece for piece in pieces if piece[0])


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    tasks: tuple
    in_term: bool


def calendar_days(tasks, first: date, last: date, terms: tuple[Term, ...]) -> list[CalendarDay]:
    """Each day from first to last with the dated tasks that cover it (anchors placed in their term)."""
    placed = []
    for task in tasks:
        term = next((t for t in terms if t.start <= last and t.end >= first), None)
        covered = dated_range(task, term)
        if covered is not None:
            placed.append((covered, task))
    days = []
    day = first
    while day <= last:
        here = tuple(task for (start, end), task in placed if start <= day <= end)
        days.append(CalendarDay(day, here, any(t.start <= day <= t.end for t in terms) if terms else True))
        day += timedelta(days=1)
    return days
