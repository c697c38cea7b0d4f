"""Dates in a plan that no extracted item took: what the office should look at before importing.

A date left over in the text is the likeliest sign of a task the extractor missed (or
rightly passed over, as in "截至2023年12月，学校共有教师80人"); either way a person should
look, so the review page marks them. Pure: the document and its extraction in, spans out.

Only dates and week numbers count (a recurrence or a term anchor names no day). One is taken
- when an item's quote, found in the item's line, covers or overlaps it, or contains its text;
- when it is where an item's dates came from: the nearest match at or above the item's line
  that spans them, so a month heading ("九月份") or a table row's month cell counts for the
  activities under or beside it, whose quotes need not repeat it;
- when it is the first day of term the extraction found ("9月1日正式开学").
Not marked at all: a line of nothing but dates followed by another dated line (or by none)
heads nothing (an empty week of a school calendar: "第2周" / "9月6日至9月12日"); nor the web
page's byline (发布时间、浏览次数), which is not the plan's.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from .document import PlanDocument
from .items import PlanItem
from .schoolyear import SchoolYear
from .timewords import DATE, WEEK, TimeMatch, find_times

if TYPE_CHECKING:   # only its fields are read: this module need not load the extractor
    from .extract import PlanExtraction

BYLINE = re.compile(r"发布(?:时间|日期)|更新(?:时间|日期)|浏览")
NOT_WORDS = re.compile(r"[\W\d_]+")   # punctuation, digits, spaces: what is left of "第2周" once the date is gone
Span = tuple[int, int]


def unread_times(document: PlanDocument, extraction: PlanExtraction) -> dict[int, list[Span]]:
    """Line number -> (start, end) offsets in that line's text of the dates no item took."""
    texts = {line.number: line.text for line in document.lines if line.text.strip()}
    times = {number: _dates_in(text, extraction.school_year) for number, text in texts.items()}
    numbers = list(texts)
    after = dict(zip(numbers, [times[n] for n in numbers[1:]] + [None]))   # the dates on the next line with words
    times = {number: ([] if _heads_nothing(texts[number], found, after[number]) else found) for number, found in times.items()}
    taken: set[tuple[int, int]] = set()   # (line number, start of the match)
    for item in extraction.items:
        taken |= _quoted(item, texts.get(item.line, ""), times.get(item.line, []))
        taken |= _source(item, times)
    term_start = extraction.term_start
    unread: dict[int, list[Span]] = {}
    for number, found in times.items():
        left = [_trimmed(texts[number], m) for m in found if (number, m.start) not in taken and not _is_day(m, term_start)]
        if left:
            unread[number] = left
    return unread


def _trimmed(text: str, match: TimeMatch) -> Span:
    """The match without the spaces or tab it took from around it ("11月\t" in a table row)."""
    start, end = match.start, match.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_day(match: TimeMatch, day: date | None) -> bool:
    return day is not None and match.day_level and match.first == day


def _dates_in(text: str, school_year: SchoolYear | None) -> list[TimeMatch]:
    if BYLINE.search(text):
        return []
    return [m for m in find_times(text, school_year, in_cell=True) if m.kind in (DATE, WEEK)]


def _heads_nothing(text: str, found: list[TimeMatch], following: list[TimeMatch] | None) -> bool:
    """Only dates on the line, and the next line with words is dated too (or there is none)."""
    if not found or following == []:
        return False
    for m in reversed(found):
        text = text[:m.start] + text[m.end:]
    return not NOT_WORDS.sub("", text)


def _quoted(item: PlanItem, text: str, found: list[TimeMatch]) -> set[tuple[int, int]]:
    """The matches on the item's line that its quote covers; a quote not found as it is still takes what it repeats."""
    at = text.find(item.quote) if item.quote else -1
    if at < 0:
        return {(item.line, m.start) for m in found if text[m.start:m.end] in item.quote}
    return {(item.line, m.start) for m in found if m.start < at + len(item.quote) and at < m.end}


def _source(item: PlanItem, times: dict[int, list[TimeMatch]]) -> set[tuple[int, int]]:
    """The nearest matches at or above the item's line whose dates (or weeks) contain the item's."""
    if item.start is None and item.week is None:
        return set()
    for number in range(item.line, 0, -1):
        spanning = {(number, m.start) for m in times.get(number, ()) if _contains(m, item)}
        if spanning:
            return spanning
    return set()


def _contains(match: TimeMatch, item: PlanItem) -> bool:
    if match.kind == WEEK:
        return item.week is not None and match.week <= item.week and (item.week_last or item.week) <= (match.week_last or match.week)
    if item.start is None or match.first is None:
        return False
    return match.first <= item.start and (item.end or item.start) <= (match.last or match.first)
