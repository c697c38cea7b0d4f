"""Which reminders fall due, around the 2025 National Day holiday (Oct 1–8 off; Sun Sep 28 and Sat Oct 11 worked)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.config import Term
from bot.reminder_rules.planning import ReminderSettings, due_between

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class T:
    id: int
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None
    term_anchor: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def due(tasks, start, end, settings: ReminderSettings | None = None, **kwargs):
    settings = settings or ReminderSettings()
    return [(d.kind, d.task_id, d.at.strftime("%m-%d %H:%M")) for d in due_between(tasks, settings, start, end, TZ, **kwargs)]


def test_digest_on_the_first_school_day_of_each_week():
    assert due([], at(2025, 9, 15), at(2025, 10, 13)) == [
        ("digest", None, "09-15 07:30"), ("digest", None, "09-22 07:30"), ("digest", None, "09-29 07:30"),
        ("digest", None, "10-09 07:30"),  # Oct 6–8 are holidays
    ]


def test_eve_moves_to_the_last_school_day_and_morning_is_on_the_day():
    monday_event = T(1, date(2025, 9, 22), date(2025, 9, 22))
    after_holiday = T(2, date(2025, 10, 9), date(2025, 10, 9))
    plan = due([monday_event, after_holiday], at(2025, 9, 16), at(2025, 10, 10), ReminderSettings(digest=False))
    assert plan == [
        ("eve", 1, "09-19 16:00"), ("morning", 1, "09-22 07:30"),
        ("eve", 2, "09-30 16:00"), ("morning", 2, "10-09 07:30"),
    ]


def test_deadlines_before_the_end_of_a_month_long_task_on_school_days():
    report = T(3, date(2025, 12, 1), date(2025, 12, 31))
    assert due([report], at(2025, 12, 1), at(2026, 1, 1), ReminderSettings(digest=False)) == [
        ("deadline", 3, "12-26 07:30"),  # 3 days before is Sunday the 28th: Friday instead
        ("deadline", 3, "12-30 07:30"),
    ]


def test_weekday_duties_on_their_days_but_not_on_holidays():
    tuesday_duty = T(4, recurrence="weekly:TUE")
    plan = due([tuesday_duty], at(2025, 9, 29), at(2025, 10, 20), ReminderSettings(digest=False))
    assert plan == [("recurring", 4, "09-30 07:30"), ("recurring", 4, "10-14 07:30")]  # Oct 7 is a holiday


def test_daily_duties_are_not_pushed_every_day():
    assert due([T(5, recurrence="daily"), T(6, recurrence="weekly")], at(2025, 9, 1), at(2025, 9, 30), ReminderSettings(digest=False)) == []


def test_quiet_hours_wait_for_the_morning():
    late = ReminderSettings(digest=False, morning=False, eve_time=time(22, 0), quiet_start=time(21, 0), quiet_end=time(7, 0))
    assert due([T(7, date(2025, 9, 24), date(2025, 9, 24))], at(2025, 9, 20), at(2025, 9, 25), late) == [("eve", 7, "09-24 07:00")]


def test_a_group_can_opt_out_of_a_kind():
    quiet = ReminderSettings(digest=False, eve=False)
    assert due([T(8, date(2025, 9, 24), date(2025, 9, 24))], at(2025, 9, 20), at(2025, 9, 25), quiet) == [("morning", 8, "09-24 07:30")]


def test_no_digest_or_duties_outside_the_terms():
    terms = (Term("第一学期", date(2025, 9, 1), date(2026, 1, 23)),)
    summer = due([T(9, recurrence="weekly:MON")], at(2025, 8, 1), at(2025, 8, 31), terms=terms)
    assert summer == []


def test_a_plans_duties_stop_when_the_plan_ends():
    old = T(10, recurrence="weekly:MON", valid_from=date(2024, 8, 1), valid_to=date(2025, 7, 31))
    assert due([old], at(2025, 9, 1), at(2025, 9, 30), ReminderSettings(digest=False)) == []


def test_a_year_the_calendar_package_does_not_cover_falls_back_to_weekends():
    plan = due([T(11, date(2031, 3, 3), date(2031, 3, 3))], at(2031, 2, 25), at(2031, 3, 4), ReminderSettings(digest=False))
    assert plan == [("eve", 11, "02-28 16:00"), ("morning", 11, "03-03 07:30")]


def test_configured_holidays_are_skipped_too():
    plan = due([], at(2025, 9, 15), at(2025, 9, 20), holidays=frozenset({date(2025, 9, 15)}))
    assert plan == [("digest", None, "09-16 07:30")]


def test_keys_are_unique_per_reminder_and_occurrence():
    report = T(3, date(2025, 12, 1), date(2025, 12, 31))
    dues = due_between([report], ReminderSettings(), at(2025, 12, 1), at(2026, 1, 1), TZ)
    keys = [d.key for d in dues]
    assert len(keys) == len(set(keys)) and "deadline:3:2025-12-31:3" in keys
