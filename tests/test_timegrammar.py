"""The shared time grammar: words as data, rhythms as values, partial dates resolved against an anchor."""
from __future__ import annotations

from datetime import date

import pytest

from bot.plan.schoolyear import SPRING, SchoolYear
from bot.timegrammar.lexicon import cn_number, weekday_index
from bot.timegrammar.recurrence import Recurrence
from bot.timegrammar.resolve import Today, month_part, resolve_month
from bot.understanding.spans import find_span


@pytest.mark.parametrize("word, value", [("12", 12), ("十", 10), ("十二", 12), ("二十一", 21), ("三十", 30), ("两", 2)])
def test_numerals(word, value):
    assert cn_number(word) == value


@pytest.mark.parametrize("word, index", [("一", 0), ("日", 6), ("天", 6), ("3", 2), ("7", 6)])
def test_weekdays(word, index):
    assert weekday_index(word) == index


@pytest.mark.parametrize("code", ["daily", "weekly", "weekly:TUE,THU", "biweekly", "monthly", "monthly:start",
                                  "monthly:end", "monthly:by8", "termly", "yearly", "quarterly"])
def test_a_rhythm_round_trips_through_its_code(code):
    assert Recurrence.parse(code).code == code


def test_unknown_codes_are_no_rhythm():
    assert Recurrence.parse("fortnightly") is None and Recurrence.parse("") is None and Recurrence.parse(None) is None


def test_a_frequency_takes_the_weekdays_of_a_time_cell_only_when_weekly():
    tuesday = (1,)
    assert Recurrence("weekly").on_weekdays(tuesday).code == "weekly:TUE"
    assert Recurrence("monthly").on_weekdays(tuesday).code == "monthly"
    assert Recurrence("biweekly").on_weekdays(tuesday).code == "biweekly"


@pytest.mark.parametrize("part, span", [
    (None, (date(2024, 2, 1), date(2024, 2, 29))), ("上旬", (date(2024, 2, 1), date(2024, 2, 10))),
    ("中旬", (date(2024, 2, 11), date(2024, 2, 20))), ("下旬", (date(2024, 2, 21), date(2024, 2, 29))),
    ("底", (date(2024, 2, 21), date(2024, 2, 29))), ("初", (date(2024, 2, 1), date(2024, 2, 10))),
])
def test_parts_of_a_month(part, span):
    assert month_part(2024, 2, part) == span


def test_a_month_resolves_against_a_school_year_or_today():
    assert resolve_month(3, SchoolYear(2023))[0] == date(2024, 3, 1)
    assert resolve_month(9, SchoolYear(2023))[0] == date(2023, 9, 1)
    assert resolve_month(3, SchoolYear(2023, SPRING), "下旬")[0] == date(2024, 3, 21)
    assert resolve_month(3, Today(date(2026, 12, 1)))[0] == date(2027, 3, 1)
    assert resolve_month(12, Today(date(2026, 12, 1)))[0] == date(2026, 12, 1)
    assert resolve_month(13, Today(date(2026, 12, 1))) is None


def test_a_day_without_its_year_is_the_nearest_ahead():
    today = Today(date(2026, 12, 1))
    assert today.day(1, 5) == date(2027, 1, 5)
    assert today.day(11, 20) == date(2026, 11, 20)   # up to two months back is still this year's
    assert today.day(2, 30) is None


@pytest.mark.parametrize("text, span", [
    ("12月下旬有什么活动", (date(2026, 12, 21), date(2026, 12, 31))),
    ("一月上旬", (date(2027, 1, 1), date(2027, 1, 10))),
    ("这个月底有啥", (date(2026, 12, 21), date(2026, 12, 31))),
    ("月底要交什么", (date(2026, 12, 21), date(2026, 12, 31))),
    ("下个月初有什么任务", (date(2027, 1, 1), date(2027, 1, 10))),
    ("明儿有啥", (date(2026, 12, 2), date(2026, 12, 2))),
    ("今儿个有啥安排", (date(2026, 12, 1), date(2026, 12, 1))),
])
def test_chat_reads_the_month_parts_and_words_plans_use(text, span):
    found = find_span(text, date(2026, 12, 1))
    assert (found.start, found.end) == span


@pytest.mark.parametrize("code", ["monthly:by²", "monthly:by99", "monthly:by0", "monthly:by" + "9" * 30])
def test_a_stored_rule_with_an_impossible_day_is_a_plain_monthly_duty(code):
    from bot.task_dates import recurs_in
    from bot.timegrammar.recurrence import Recurrence
    assert Recurrence.parse(code) == Recurrence("monthly")
    recurs_in(Recurrence.parse(code), date(2026, 10, 1), date(2026, 10, 31), None)   # and nothing downstream overflows
